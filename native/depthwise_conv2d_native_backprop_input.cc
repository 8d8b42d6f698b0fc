// DepthwiseConv2dNativeBackpropInput: args (heap, ConvShape…, dy, filter, filterId, dx), as a
// grouped convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void depthwise_conv2d_native_backprop_input(Args &a) { run_conv_backward_data(a); }

}  // namespace calibra
