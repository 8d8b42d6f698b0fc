// Conv2D: args (heap, ConvShape…, x, filter, filterId, y).
#include "conv_common.h"

namespace calibra {

void conv2d(Args &a) { run_conv_forward(a, Epilogue::none); }

}  // namespace calibra
