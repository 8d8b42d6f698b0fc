// CalibraFusedBatchNormGrad: args (heap, BatchNormShape…, activation, dy, x, mean, variance,
// scale or -1, y or -1, dx, dmean, dvariance, dscale, doffset). The gradient of FusedBatchNorm with respect to each of
// its inputs, as tfjs defines it: the statistics are inputs like any other, so no path runs
// through them. With s the scale (1 without), r = 1/√(variance + ε) and per-channel sums Σdy
// and Σdy·(x − mean):
//   dx = dy·s·r,  doffset = Σdy,  dscale = r·Σdy·(x − mean),
//   dmean = −s·r·Σdy,  dvariance = −½·s·r³·Σdy·(x − mean).
// One pass writes dx and sums; each thread sums its rows in double, then the threads' sums add.
// With an activation, dy is masked by the forward's output y on the way in (the mask of
// capped_relu_grad_from_output).
#include <vector>

#include "batch_norm_common.h"
#include "elementwise.h"

namespace calibra {
namespace {

template <bool kMasked>
CALIBRA_INLINE void grad_rows_as(int64_t begin, int64_t end, int64_t c, float cap, const float *dy, const float *y,
                                 const float *x, const float *mean, const float *factor, float *dx, double *sum_dy,
                                 double *sum_dy_centered) {
  for (int64_t r = begin; r < end; ++r) {
    const float *dyr = dy + r * c;
    const float *yr = kMasked ? y + r * c : nullptr;
    const float *xr = x + r * c;
    float *dxr = dx + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) {
      float d = dyr[j];
      if (kMasked) {
        const float v = yr[j];
        d *= v != v ? v : ((v > 0.f) & (v < cap) ? 1.f : 0.f);
      }
      dxr[j] = d * factor[j];
      sum_dy[j] += d;
      sum_dy_centered[j] += static_cast<double>(d) * (xr[j] - mean[j]);
    }
  }
}

CALIBRA_VECTOR_CLONES void grad_rows(int64_t begin, int64_t end, int64_t c, const float *dy, const float *x,
                                     const float *mean, const float *factor, float *dx, double *sum_dy,
                                     double *sum_dy_centered) {
  grad_rows_as<false>(begin, end, c, 0.f, dy, nullptr, x, mean, factor, dx, sum_dy, sum_dy_centered);
}

CALIBRA_VECTOR_CLONES void masked_grad_rows(int64_t begin, int64_t end, int64_t c, float cap, const float *dy,
                                            const float *y, const float *x, const float *mean, const float *factor,
                                            float *dx, double *sum_dy, double *sum_dy_centered) {
  grad_rows_as<true>(begin, end, c, cap, dy, y, x, mean, factor, dx, sum_dy, sum_dy_centered);
}

}  // namespace

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
  if (act != BnActivation::linear && y == nullptr) throw CallError("an activation's gradient needs the forward's output");
  const float cap = activation_cap(act);
  const int threads = threads_for(s.elems());
  // Per thread: Σdy for each channel, then Σdy·(x − mean).
  std::vector<double> sums(static_cast<size_t>(threads) * 2 * s.c, 0.0);
  parallel_rows(threads, s.rows(), [&](int thread, int64_t begin, int64_t end) {
    double *own = sums.data() + static_cast<size_t>(thread) * 2 * s.c;
    if (act == BnActivation::linear) {
      grad_rows(begin, end, s.c, dy, x, mean, factor.data(), dx, own, own + s.c);
    } else {
      masked_grad_rows(begin, end, s.c, cap, dy, y, x, mean, factor.data(), dx, own, own + s.c);
    }
  });
  for (int64_t j = 0; j < s.c; ++j) {
    double sum_dy = 0, sum_dy_centered = 0;
    for (int t = 0; t < threads; ++t) {
      sum_dy += sums[(static_cast<size_t>(t) * 2) * s.c + j];
      sum_dy_centered += sums[(static_cast<size_t>(t) * 2 + 1) * s.c + j];
    }
    const double sr = (scale ? scale[j] : 1.0) * r[j];
    doffset[j] = static_cast<float>(sum_dy);
    dscale[j] = static_cast<float>(r[j] * sum_dy_centered);
    dmean[j] = static_cast<float>(-sr * sum_dy);
    dvariance[j] = static_cast<float>(-0.5 * sr * r[j] * r[j] * sum_dy_centered);
  }
}

}  // namespace calibra
