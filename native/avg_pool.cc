// AvgPool: args (heap, PoolShape…, x, y).
#include "pool_common.h"

namespace calibra {

void avg_pool(Args &a) {
  const PoolShape s = read_pool_shape(a);
  const float *x = a.tensor(s.x_elems());
  float *y = a.tensor(s.y_elems());
  pool_forward(s, Pool::avg, x, y);
}

}  // namespace calibra
