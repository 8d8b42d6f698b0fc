// Conv2DBackpropInput: args (heap, ConvShape…, dy, filter, filterId, dx).
#include "conv_common.h"

namespace calibra {

void conv2d_backprop_input(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *dy = a.tensor(s.y_elems());
  const float *w = a.tensor(s.w_elems());
  const int64_t w_id = a.i();
  float *dx = a.tensor(s.x_elems());
  conv_backward_data(s, dy, w, w_id, dx);
}

}  // namespace calibra
