// Relu: args (heap, n, x, y).
#include <limits>

#include "elementwise.h"

namespace calibra {

void relu(Args &a) {
  const int64_t n = a.i();
  const float *x = a.tensor(n);
  float *y = a.tensor(n);
  capped_relu(n, std::numeric_limits<float>::infinity(), x, y);
}

}  // namespace calibra
