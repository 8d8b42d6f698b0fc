// MaxPoolGrad: args (heap, PoolShape…, dy, x, dx). The gradient flows to the first maximum of
// each window, as in tfjs.
#include "pool_common.h"

namespace calibra {

void max_pool_grad(Args &a) {
  const PoolShape s = read_pool_shape(a);
  const float *dy = a.tensor(s.y_elems());
  const float *x = a.tensor(s.x_elems());
  float *dx = a.tensor(s.x_elems());
  pool_backward(s, Pool::max, dy, x, dx);
}

}  // namespace calibra
