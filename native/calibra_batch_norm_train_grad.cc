// CalibraBatchNormTrainGrad: args (heap, BatchNormShape…, activation, dy, x, scale, mean,
// variance, y or -1, dx, dscale, doffset). The full gradient of CalibraBatchNormTrain, through
// the batch statistics, in Calibra's own two passes (batch_norm_passes.h). With an activation,
// d is dy masked by the forward's output y (see grad_pass); without, d is dy.
// With r = 1/√(variance + ε), xc = x − mean, M values per channel and d as above:
//   dx = scale·r·d − scale·r·Σd/M − scale·r³·Σ(d·xc)/M · xc,  dscale = r·Σ(d·xc),  doffset = Σd.
#include <vector>

#include "batch_norm_passes.h"

namespace calibra {

void calibra_batch_norm_train_grad(Args &a) {
  const BatchNormShape s = read_batch_norm_shape(a);
  const BnActivation act = read_bn_activation(a);
  const float *dy = a.tensor(s.elems());
  const float *x = a.tensor(s.elems());
  const float *scale = a.tensor(s.c);
  const float *mean = a.tensor(s.c);
  const float *variance = a.tensor(s.c);
  const float *y = a.optional_tensor(s.elems());
  float *dx = a.tensor(s.elems());
  float *dscale = a.tensor(s.c);
  float *doffset = a.tensor(s.c);

  const double count = static_cast<double>(s.rows());
  std::vector<double> r(s.c);
  std::vector<float> factor(s.c), coef(s.c), shift(s.c);
  for (int64_t j = 0; j < s.c; ++j) {
    r[j] = inverse_std(variance[j], s.epsilon);
    factor[j] = static_cast<float>(scale[j] * r[j]);
  }
  const GradSums sums = grad_pass(s, act, dy, y, x, mean, factor.data(), dx);
  for (int64_t j = 0; j < s.c; ++j) {
    const double sr = scale[j] * r[j];
    coef[j] = static_cast<float>(-sr * r[j] * r[j] * sums.sum_dy_centered[j] / count);
    shift[j] = static_cast<float>(-sr * sums.sum_dy[j] / count);
    dscale[j] = static_cast<float>(r[j] * sums.sum_dy_centered[j]);
    doffset[j] = static_cast<float>(sums.sum_dy[j]);
  }
  add_centered_pass(s, x, mean, coef.data(), shift.data(), dx);
}

}  // namespace calibra
