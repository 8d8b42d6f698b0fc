// channelMoments(heap, count, channels, x) → Float64Array [mean × channels, m2 × channels]:
// the per-channel mean and sum of squared deviations of a channels-last float32 block of
// count × channels values, in float64 and in two passes, as src/bn/channel-moments.ts computes
// them in JS. AdaBN's exact mode takes its statistics here straight from the wasm heap, instead
// of copying every cached activation out to JS first. (The BN kernels' moments_pass takes one
// pass, Σx and Σx²; AdaBN's statistics must survive a mean far from zero.)
#include <vector>

#include "elementwise.h"

namespace calibra {

namespace {

CALIBRA_VECTOR_CLONES void sum_rows(int64_t begin, int64_t end, int64_t c, const float *x, double *sum) {
  for (int64_t r = begin; r < end; ++r) {
    const float *xr = x + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) sum[j] += xr[j];
  }
}

CALIBRA_VECTOR_CLONES void squared_deviation_rows(int64_t begin, int64_t end, int64_t c, const float *x,
                                                  const double *mean, double *m2) {
  for (int64_t r = begin; r < end; ++r) {
    const float *xr = x + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) {
      const double d = xr[j] - mean[j];
      m2[j] += d * d;
    }
  }
}

}  // namespace

napi_value channel_moments(napi_env env, napi_callback_info info) {
  try {
    Args a(env, info);
    const int64_t count = a.i();
    const int64_t channels = a.i();
    if (count < 0 || channels < 1) throw CallError("channelMoments needs count ≥ 0 and channels ≥ 1");
    const float *x = a.tensor(count * channels);
    const int threads = threads_for(count * channels);
    std::vector<double> mean = summed_rows(threads, count, channels, [&](int64_t begin, int64_t end, double *own) {
      sum_rows(begin, end, channels, x, own);
    });
    for (double &m : mean) m /= count > 0 ? static_cast<double>(count) : 1.0;
    const std::vector<double> m2 = summed_rows(threads, count, channels, [&](int64_t begin, int64_t end, double *own) {
      squared_deviation_rows(begin, end, channels, x, mean.data(), own);
    });
    napi_value buffer, result;
    void *data = nullptr;
    if (napi_create_arraybuffer(env, 2 * channels * sizeof(double), &data, &buffer) != napi_ok ||
        napi_create_typedarray(env, napi_float64_array, 2 * channels, buffer, 0, &result) != napi_ok) {
      throw CallError("could not allocate the result");
    }
    double *out = static_cast<double *>(data);
    std::copy(mean.begin(), mean.end(), out);
    std::copy(m2.begin(), m2.end(), out + channels);
    return result;
  } catch (const std::exception &e) {
    napi_throw_error(env, "CALIBRA_NATIVE", e.what());
    return nullptr;
  }
}

}  // namespace calibra
