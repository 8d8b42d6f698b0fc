// BatchMatMul: args (heap, MatMulShape…, a, b, y).
#include "mat_mul_common.h"

namespace calibra {

void batch_mat_mul(Args &args) {
  const MatMulShape s = read_mat_mul_shape(args);
  const float *a = args.tensor(s.a_elems());
  const float *b = args.tensor(s.b_elems());
  float *y = args.tensor(s.y_elems());
  mat_mul(s, a, b, nullptr, Activation::linear, 0.f, y);
}

}  // namespace calibra
