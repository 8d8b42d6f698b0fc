// DepthwiseConv2dNative: args (heap, ConvShape…, x, filter, filterId, y), as a grouped
// convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void depthwise_conv2d_native(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *x = a.tensor(s.x_elems());
  const float *w = a.tensor(s.w_elems());
  const int64_t w_id = a.i();
  float *y = a.tensor(s.y_elems());
  conv_forward(s, x, w, w_id, nullptr, Activation::linear, 0.f, y);
}

}  // namespace calibra
