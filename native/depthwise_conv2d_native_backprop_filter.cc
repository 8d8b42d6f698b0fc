// DepthwiseConv2dNativeBackpropFilter: args (heap, ConvShape…, x, dy, dw), as a grouped
// convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void depthwise_conv2d_native_backprop_filter(Args &a) { run_conv_backward_weights(a); }

}  // namespace calibra
