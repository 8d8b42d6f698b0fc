// FusedConv2D: args (heap, ConvShape…, x, filter, filterId, bias or -1, activation, alpha, y).
#include "conv_common.h"

namespace calibra {

void fused_conv2d(Args &a) {
  const ConvShape s = read_conv_shape(a);
  const float *x = a.tensor(s.x_elems());
  const float *w = a.tensor(s.w_elems());
  const int64_t w_id = a.i();
  const float *bias = a.optional_tensor(s.oc);
  const auto act = static_cast<Activation>(a.i());
  const float alpha = a.f();
  float *y = a.tensor(s.y_elems());
  conv_forward(s, x, w, w_id, bias, act, alpha, y);
}

}  // namespace calibra
