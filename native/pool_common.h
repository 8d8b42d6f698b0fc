// 2-D pooling on oneDNN, shared by MaxPool, AvgPool and their gradients.
#pragma once

#include "common.h"

namespace calibra {

// NHWC geometry in tfjs terms. Read from the call in the order listed, which
// src/engine/native/pool-geometry.ts writes.
struct PoolShape {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr;

  int64_t x_elems() const { return n * ih * iw * c; }
  int64_t y_elems() const { return n * oh * ow * c; }
};

PoolShape read_pool_shape(Args &a);

// Average pooling follows tfjs: the forward pass averages in-bounds elements only (see
// pool_common.cc for the gradient).
enum class Pool { max, avg };

void pool_forward(const PoolShape &s, Pool kind, const float *x, float *y);
void pool_backward(const PoolShape &s, Pool kind, const float *dy, const float *x, float *dx);

}  // namespace calibra
