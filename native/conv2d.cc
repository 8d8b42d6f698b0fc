// Conv2D: args (heap, ConvShape…, x, filter, filterId, y).
#include "conv_common.h"

namespace calibra {

void conv2d(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *x = a.tensor(s.x_elems());
  const float *w = a.tensor(s.w_elems());
  const int64_t w_id = a.i();
  float *y = a.tensor(s.y_elems());
  conv_forward(s, x, w, w_id, nullptr, Activation::linear, 0.f, y);
}

}  // namespace calibra
