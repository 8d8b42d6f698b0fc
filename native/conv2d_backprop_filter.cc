// Conv2DBackpropFilter: args (heap, ConvShape…, x, dy, dw).
#include "conv_common.h"

namespace calibra {

void conv2d_backprop_filter(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *x = a.tensor(s.x_elems());
  const float *dy = a.tensor(s.y_elems());
  float *dw = a.tensor(s.w_elems());
  conv_backward_weights(s, x, dy, dw);
}

}  // namespace calibra
