// DepthwiseConv2dNative: args (heap, ConvShape…, x, filter, filterId, y), as a grouped
// convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void depthwise_conv2d_native(Args &a) { run_conv_forward(a, Epilogue::none); }

}  // namespace calibra
