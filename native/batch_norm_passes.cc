#include "batch_norm_passes.h"

#include <cmath>

#include "elementwise.h"

namespace calibra {
namespace {

CALIBRA_VECTOR_CLONES void moment_rows(int64_t begin, int64_t end, int64_t c, const float *x, double *sum,
                                       double *sum_sq) {
  for (int64_t r = begin; r < end; ++r) {
    const float *xr = x + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) {
      const double v = xr[j];
      sum[j] += v;
      sum_sq[j] += v * v;
    }
  }
}

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

template <bool kMasked>
CALIBRA_INLINE void grad_rows_as(int64_t begin, int64_t end, int64_t c, float top, const float *dy, const float *y,
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
        const float passes = (v > 0.f) & (v <= top) ? 1.f : 0.f;
        d *= v != v ? v : passes;
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

CALIBRA_VECTOR_CLONES void masked_grad_rows(int64_t begin, int64_t end, int64_t c, float top, const float *dy,
                                            const float *y, const float *x, const float *mean, const float *factor,
                                            float *dx, double *sum_dy, double *sum_dy_centered) {
  grad_rows_as<true>(begin, end, c, top, dy, y, x, mean, factor, dx, sum_dy, sum_dy_centered);
}

CALIBRA_VECTOR_CLONES void add_centered_rows(int64_t begin, int64_t end, int64_t c, const float *x, const float *mean,
                                             const float *coef, const float *shift, float *dx) {
  for (int64_t r = begin; r < end; ++r) {
    const float *xr = x + r * c;
    float *dxr = dx + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) dxr[j] += (xr[j] - mean[j]) * coef[j] + shift[j];
  }
}

}  // namespace

void moments_pass(const BatchNormShape &s, const float *x, std::vector<double> &mean, std::vector<double> &variance) {
  const std::vector<double> sums = summed_rows(threads_for(s.elems()), s.rows(), 2 * s.c,
                                               [&](int64_t begin, int64_t end, double *own) {
    moment_rows(begin, end, s.c, x, own, own + s.c);
  });
  const double count = static_cast<double>(s.rows());
  mean.resize(s.c);
  variance.resize(s.c);
  for (int64_t j = 0; j < s.c; ++j) {
    mean[j] = sums[j] / count;
    variance[j] = std::max(0.0, sums[s.c + j] / count - mean[j] * mean[j]);
  }
}

void normalise_pass(const BatchNormShape &s, BnActivation act, const float *x, const float *mean, const float *factor,
                    const float *shift, float *y) {
  const float cap = activation_cap(act);
  parallel_rows(threads_for(s.elems()), s.rows(), [&](int, int64_t begin, int64_t end) {
    if (act == BnActivation::linear) {
      normalise_rows(begin, end, s.c, x, mean, factor, shift, y);
    } else {
      normalise_activate_rows(begin, end, s.c, cap, x, mean, factor, shift, y);
    }
  });
}

GradSums grad_pass(const BatchNormShape &s, BnActivation act, const float *dy, const float *y, const float *x,
                   const float *mean, const float *factor, float *dx) {
  if (act != BnActivation::linear && y == nullptr) throw CallError("an activation's gradient needs the forward's output");
  // The largest output that passes: below ReLU6's cap, where an output of exactly 6 does not
  // pass; ReLU passes every positive output, ∞ included, as tfjs's Relu gradient does.
  const float cap = activation_cap(act);
  const float top = act == BnActivation::relu6 ? std::nextafter(cap, 0.f) : cap;
  const std::vector<double> sums = summed_rows(threads_for(s.elems()), s.rows(), 2 * s.c,
                                               [&](int64_t begin, int64_t end, double *own) {
    if (act == BnActivation::linear) {
      grad_rows(begin, end, s.c, dy, x, mean, factor, dx, own, own + s.c);
    } else {
      masked_grad_rows(begin, end, s.c, top, dy, y, x, mean, factor, dx, own, own + s.c);
    }
  });
  return {{sums.begin(), sums.begin() + s.c}, {sums.begin() + s.c, sums.end()}};
}

void add_centered_pass(const BatchNormShape &s, const float *x, const float *mean, const float *coef,
                       const float *shift, float *dx) {
  parallel_rows(threads_for(s.elems()), s.rows(), [&](int, int64_t begin, int64_t end) {
    add_centered_rows(begin, end, s.c, x, mean, coef, shift, dx);
  });
}

}  // namespace calibra
