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

// What a forward kernel adds after the convolution: nothing (Conv2D, DepthwiseConv2dNative), or
// a bias and an activation (the fused kernels).
enum class Epilogue { none, bias_activation };

// The kernels' bodies. Each reads (heap, ConvShape…) and then, in order:
//   run_conv_forward: x, filter, filterId, [bias or -1, activation, alpha,] y — the bracket
//     with Epilogue::bias_activation;
//   run_conv_backward_data: dy, filter, filterId, dx;
//   run_conv_backward_weights: x, dy, dw.
// filterId is the wasm tensor id that keys the filter's reordered copy (see weights_as).
void run_conv_forward(Args &a, Epilogue epilogue);
void run_conv_backward_data(Args &a);
void run_conv_backward_weights(Args &a);

}  // namespace calibra
