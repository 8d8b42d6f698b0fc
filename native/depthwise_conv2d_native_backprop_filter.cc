// DepthwiseConv2dNativeBackpropFilter: args (heap, ConvShape…, x, dy, dw), as a grouped
// convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void depthwise_conv2d_native_backprop_filter(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *x = a.tensor(s.x_elems());
  const float *dy = a.tensor(s.y_elems());
  float *dw = a.tensor(s.w_elems());
  conv_backward_weights(s, x, dy, dw);
}

}  // namespace calibra
