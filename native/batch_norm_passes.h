// The passes over an activation that every Calibra BatchNorm kernel is made of, each split
// between the threads by rows and compiled for AVX-512 and AVX2 (elementwise.h): FusedBatchNorm
// and its gradient, and the batch-statistics pair with or without an activation. Forward, a
// read of x for the moments, then a read and a write to normalise (and activate); backward,
// the sums with dx = d·factor (d masked by the activation's output), then the centred
// correction to dx. oneDNN's batch normalisation fuses ReLU but not ReLU6 and cannot mask its
// gradient by an output; without an activation it was still the slower inside a training step,
// where each call follows other threaded work: MobileNetV2 α=0.35 224, batch 16, 2 shared
// cores, its 17 plain BN forwards took 128–160 ms a step and their gradients 64–68 ms, these
// passes 17 ms and 16–21 ms (single oneDNN calls stalled up to 16 ms). Called back to back on
// one shape with 1 thread, oneDNN's forward is the faster where there are 8 or 16 channels
// (55 against 85 µs at 16×28×28×16), the passes from 24 channels up.
#pragma once

#include <vector>

#include "batch_norm_common.h"

namespace calibra {

// Per channel, the mean and the biased variance of x, from Σx and Σx² summed in double (one
// read of x).
void moments_pass(const BatchNormShape &s, const float *x, std::vector<double> &mean, std::vector<double> &variance);

// y = (x − mean)·factor + shift per channel, then the activation (capped_relu's clipping).
void normalise_pass(const BatchNormShape &s, BnActivation act, const float *x, const float *mean, const float *factor,
                    const float *shift, float *y);

// With d = dy, masked by the forward's output y where there is an activation: dx = d·factor,
// and per channel Σd and Σd·(x − mean). The mask passes dy where 0 < y (and y < 6 for ReLU6),
// gives dy · 0 elsewhere and NaN where y is NaN. An output of exactly cap cannot tell an input of exactly cap
// from a larger one, so neither passes (PyTorch's ReLU6 gradient; tfjs's passes x = 6).
struct GradSums {
  std::vector<double> sum_dy, sum_dy_centered;
};
GradSums grad_pass(const BatchNormShape &s, BnActivation act, const float *dy, const float *y, const float *x,
                   const float *mean, const float *factor, float *dx);

// dx += coef·(x − mean) + shift per channel.
void add_centered_pass(const BatchNormShape &s, const float *x, const float *mean, const float *coef,
                       const float *shift, float *dx);

}  // namespace calibra
