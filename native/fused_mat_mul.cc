// _FusedMatMul: args (heap, MatMulShape…, a, b, bias or -1, activation, alpha, y).
#include "mat_mul_common.h"

namespace calibra {

void fused_mat_mul(Args &args) {
  const MatMulShape s = read_mat_mul_shape(args);
  const float *a = args.tensor(s.a_elems());
  const float *b = args.tensor(s.b_elems());
  const float *bias = args.optional_tensor(s.n);
  const auto act = static_cast<Activation>(args.i());
  const float alpha = args.f();
  float *y = args.tensor(s.y_elems());
  mat_mul(s, a, b, bias, act, alpha, y);
}

}  // namespace calibra
