// Relu6: args (heap, n, x, y).
#include "elementwise.h"

namespace calibra {

void relu6(Args &a) {
  const int64_t n = a.i();
  const float *x = a.tensor(n);
  float *y = a.tensor(n);
  capped_relu(n, 6.f, x, y);
}

}  // namespace calibra
