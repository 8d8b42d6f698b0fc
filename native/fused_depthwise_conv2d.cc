// FusedDepthwiseConv2D: args (heap, ConvShape…, x, filter, filterId, bias or -1, activation,
// alpha, y), as a grouped convolution with one group per input channel.
#include "conv_common.h"

namespace calibra {

void fused_depthwise_conv2d(Args &a) { run_conv_forward(a, Epilogue::bias_activation); }

}  // namespace calibra
