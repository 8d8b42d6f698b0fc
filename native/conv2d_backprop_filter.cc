// Conv2DBackpropFilter: args (heap, ConvShape…, x, dy, dw).
#include "conv_common.h"

namespace calibra {

void conv2d_backprop_filter(Args &a) { run_conv_backward_weights(a); }

}  // namespace calibra
