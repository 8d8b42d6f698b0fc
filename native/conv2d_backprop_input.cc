// Conv2DBackpropInput: args (heap, ConvShape…, dy, filter, filterId, dx).
#include "conv_common.h"

namespace calibra {

void conv2d_backprop_input(Args &a) { run_conv_backward_data(a); }

}  // namespace calibra
