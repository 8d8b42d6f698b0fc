// FusedBatchNorm: args (heap, BatchNormShape…, activation, x, mean, variance, offset or -1,
// scale or -1, y). y = (x − mean)·scale/√(variance + ε) + offset along the channel (last) axis,
// with the statistics given: inference, and BatchNorm whose statistics are frozen. No scale
// means 1, no offset 0. With an activation, y is ReLU or ReLU6 of that, clipped as
// capped_relu does (NaN stays NaN). One pass, split between the threads by rows.
#include <vector>

#include "batch_norm_passes.h"

namespace calibra {

void fused_batch_norm(Args &a) {
  const BatchNormShape s = read_batch_norm_shape(a);
  const BnActivation act = read_bn_activation(a);
  const float *x = a.tensor(s.elems());
  const float *mean = a.tensor(s.c);
  const float *variance = a.tensor(s.c);
  const float *offset = a.optional_tensor(s.c);
  const float *scale = a.optional_tensor(s.c);
  float *y = a.tensor(s.elems());

  std::vector<float> factor(s.c), shift(s.c);
  for (int64_t j = 0; j < s.c; ++j) {
    factor[j] = static_cast<float>((scale ? scale[j] : 1.0) * inverse_std(variance[j], s.epsilon));
    shift[j] = offset ? offset[j] : 0.f;
  }
  normalise_pass(s, act, x, mean, factor.data(), shift.data(), y);
}

}  // namespace calibra
