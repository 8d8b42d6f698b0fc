// AvgPoolGrad: args (heap, PoolShape…, dy, dx).
#include "pool_common.h"

namespace calibra {

void avg_pool_grad(Args &a) {
  const PoolShape s = read_pool_shape(a);
  const float *dy = a.tensor(s.y_elems());
  float *dx = a.tensor(s.x_elems());
  pool_backward(s, Pool::avg, dy, nullptr, dx);
}

}  // namespace calibra
