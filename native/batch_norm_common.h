// Batch normalisation: the shape that its kernels read from a call, and the activation fused
// into them.
#pragma once

#include <cmath>

#include "common.h"

namespace calibra {

// x viewed as [n, spatial, c] (NHWC with H·W folded, or [N, C] with spatial 1). Read from the
// call in that order, then epsilon.
struct BatchNormShape {
  int64_t n, spatial, c;
  float epsilon;

  int64_t rows() const { return n * spatial; }
  int64_t elems() const { return rows() * c; }
};

BatchNormShape read_batch_norm_shape(Args &a);

// The ReLU or ReLU6 that a BatchNorm kernel applies to its output, when the activation layer
// after the BN layer is fused into it (src/models/bn-activation-fusion.ts). The codes are
// src/engine/native/bn-activation.ts's.
enum class BnActivation : int64_t { linear = 0, relu = 1, relu6 = 2 };

BnActivation read_bn_activation(Args &a);
// What the activation clips at: ∞ for ReLU, 6 for ReLU6.
float activation_cap(BnActivation act);

// 1/√(variance + ε), in double as tfjs's cpu backend computes it.
inline double inverse_std(float variance, float epsilon) {
  return 1.0 / std::sqrt(static_cast<double>(variance) + static_cast<double>(epsilon));
}

}  // namespace calibra
