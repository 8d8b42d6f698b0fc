// FusedBatchNorm: args (heap, BatchNormShape…, activation, x, mean, variance, offset or -1,
// scale or -1, y). y = (x − mean)·scale/√(variance + ε) + offset along the channel (last) axis,
// with the statistics given: inference, and BatchNorm whose statistics are frozen. No scale
// means 1, no offset 0. With an activation, y is ReLU or ReLU6 of that, clipped as
// capped_relu does (NaN stays NaN). One pass, split between the threads by rows.
#include <vector>

#include "batch_norm_common.h"
#include "elementwise.h"

namespace calibra {
namespace {

template <bool kActivate>
CALIBRA_INLINE void normalise_rows_as(int64_t begin, int64_t end, int64_t c, float cap, const float *x,
                                      const float *mean, const float *factor, const float *shift, float *y) {
  for (int64_t r = begin; r < end; ++r) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) {
      const float v = (xr[j] - mean[j]) * factor[j] + shift[j];
      yr[j] = kActivate ? (v <= 0.f ? 0.f : (v > cap ? cap : v)) : v;
    }
  }
}

CALIBRA_VECTOR_CLONES void normalise_rows(int64_t begin, int64_t end, int64_t c, const float *x, const float *mean,
                                          const float *factor, const float *shift, float *y) {
  normalise_rows_as<false>(begin, end, c, 0.f, x, mean, factor, shift, y);
}

CALIBRA_VECTOR_CLONES void normalise_activate_rows(int64_t begin, int64_t end, int64_t c, float cap, const float *x,
                                                   const float *mean, const float *factor, const float *shift,
                                                   float *y) {
  normalise_rows_as<true>(begin, end, c, cap, x, mean, factor, shift, y);
}

}  // namespace

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
  const float cap = activation_cap(act);
  parallel_rows(threads_for(s.elems()), s.rows(), [&](int, int64_t begin, int64_t end) {
    if (act == BnActivation::linear) {
      normalise_rows(begin, end, s.c, x, mean, factor.data(), shift.data(), y);
    } else {
      normalise_activate_rows(begin, end, s.c, cap, x, mean, factor.data(), shift.data(), y);
    }
  });
}

}  // namespace calibra
