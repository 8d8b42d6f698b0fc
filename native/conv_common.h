// Convolution on oneDNN, shared by the Conv2D and DepthwiseConv2dNative kernel families: a
// depthwise convolution is a grouped one with one input channel per group.
#pragma once

#include "common.h"

namespace calibra {

// NHWC geometry of one convolution, in tfjs terms: filter HWIO (or HW·C·multiplier for
// depthwise), pads as tfjs computed them. Read from the call in the order listed, which
// src/engine/native/conv-geometry.ts writes.
struct ConvShape {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups;

  int64_t x_elems() const { return n * ih * iw * ic; }
  int64_t y_elems() const { return n * oh * ow * oc; }
  int64_t w_elems() const { return kh * kw * (ic / groups) * oc; }
};

ConvShape read_conv_shape(Args &args);

void conv_forward(const ConvShape &s, const float *x, const float *w, int64_t w_id, const float *bias,
                  Activation act, float alpha, float *y);
void conv_backward_data(const ConvShape &s, const float *dy, const float *w, int64_t w_id, float *dx);
void conv_backward_weights(const ConvShape &s, const float *x, const float *dy, float *dw);

}  // namespace calibra
