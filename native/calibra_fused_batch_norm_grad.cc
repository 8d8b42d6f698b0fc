// CalibraFusedBatchNormGrad: args (heap, BatchNormShape…, activation, dy, x, mean, variance,
// scale or -1, y or -1, dx, dmean, dvariance, dscale, doffset). The gradient of FusedBatchNorm
// with respect to each of its inputs, as tfjs defines it: the statistics are inputs like any other, so no path runs
// through them. With s the scale (1 without), r = 1/√(variance + ε) and per-channel sums Σdy
// and Σdy·(x − mean):
//   dx = dy·s·r,  doffset = Σdy,  dscale = r·Σdy·(x − mean),
//   dmean = −s·r·Σdy,  dvariance = −½·s·r³·Σdy·(x − mean).
// One pass writes dx and sums; each thread sums its rows in double, then the threads' sums add.
// With an activation, dy is masked by the forward's output y on the way in (see grad_pass).
#include <vector>

#include "batch_norm_passes.h"

namespace calibra {

void calibra_fused_batch_norm_grad(Args &a) {
  const BatchNormShape s = read_batch_norm_shape(a);
  const BnActivation act = read_bn_activation(a);
  const float *dy = a.tensor(s.elems());
  const float *x = a.tensor(s.elems());
  const float *mean = a.tensor(s.c);
  const float *variance = a.tensor(s.c);
  const float *scale = a.optional_tensor(s.c);
  const float *y = a.optional_tensor(s.elems());
  float *dx = a.tensor(s.elems());
  float *dmean = a.tensor(s.c);
  float *dvariance = a.tensor(s.c);
  float *dscale = a.tensor(s.c);
  float *doffset = a.tensor(s.c);

  std::vector<double> r(s.c);
  std::vector<float> factor(s.c);
  for (int64_t j = 0; j < s.c; ++j) {
    r[j] = inverse_std(variance[j], s.epsilon);
    factor[j] = static_cast<float>((scale ? scale[j] : 1.0) * r[j]);
  }
  const GradSums sums = grad_pass(s, act, dy, y, x, mean, factor.data(), dx);
  for (int64_t j = 0; j < s.c; ++j) {
    const double sum_dy = sums.sum_dy[j];
    const double sum_dy_centered = sums.sum_dy_centered[j];
    const double sr = (scale ? scale[j] : 1.0) * r[j];
    doffset[j] = static_cast<float>(sum_dy);
    dscale[j] = static_cast<float>(r[j] * sum_dy_centered);
    dmean[j] = static_cast<float>(-sr * sum_dy);
    dvariance[j] = static_cast<float>(-0.5 * sr * r[j] * r[j] * sum_dy_centered);
  }
}

}  // namespace calibra
