// CalibraBatchNormTrain: args (heap, BatchNormShape…, activation, x, scale, offset, y, mean,
// variance). mean and variance are the batch's, the variance biased (divided by n·spatial), as
// tfjs stores it. y is the normalised values, or ReLU or ReLU6 of them with an activation.
// Calibra's own two passes (batch_norm_passes.h): the moments in double, then normalise (and
// activate).
#include <vector>

#include "batch_norm_passes.h"

namespace calibra {

void calibra_batch_norm_train(Args &a) {
  const BatchNormShape s = read_batch_norm_shape(a);
  const BnActivation act = read_bn_activation(a);
  const float *x = a.tensor(s.elems());
  const float *scale = a.tensor(s.c);
  const float *offset = a.tensor(s.c);
  float *y = a.tensor(s.elems());
  float *mean = a.tensor(s.c);
  float *variance = a.tensor(s.c);

  std::vector<double> batch_mean, batch_variance;
  moments_pass(s, x, batch_mean, batch_variance);
  std::vector<float> factor(s.c);
  for (int64_t j = 0; j < s.c; ++j) {
    mean[j] = static_cast<float>(batch_mean[j]);
    variance[j] = static_cast<float>(batch_variance[j]);
    factor[j] = static_cast<float>(scale[j] * inverse_std(variance[j], s.epsilon));
  }
  normalise_pass(s, act, x, mean, factor.data(), offset, y);
}

}  // namespace calibra
