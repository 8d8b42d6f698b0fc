// channelMoments(heap, count, channels, x) → Float64Array [mean × channels, m2 × channels]:
// the per-channel mean and sum of squared deviations of a channels-last float32 block of
// count × channels values, in float64 and in two passes, as src/bn/channel-moments.ts computes
// them in JS. AdaBN's exact mode takes its statistics here straight from the wasm heap, instead
// of copying every cached activation out to JS first.
#include <omp.h>

#include <vector>

#include "common.h"

namespace calibra {

namespace {

// Each thread sums a contiguous run of rows into its own row of `partial`; the rows are added
// up afterwards, so no two threads write one accumulator.
template <typename RowTerm>
std::vector<double> channel_sums(int64_t count, int64_t channels, RowTerm term) {
  const int threads = omp_get_max_threads();
  std::vector<double> partial(static_cast<size_t>(threads * channels), 0.0);
#pragma omp parallel num_threads(threads)
  {
    double *acc = partial.data() + omp_get_thread_num() * channels;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < count; ++r) term(r, acc);
  }
  std::vector<double> sum(static_cast<size_t>(channels), 0.0);
  for (int t = 0; t < threads; ++t)
    for (int64_t c = 0; c < channels; ++c) sum[c] += partial[t * channels + c];
  return sum;
}

}  // namespace

napi_value channel_moments(napi_env env, napi_callback_info info) {
  try {
    Args a(env, info);
    const int64_t count = a.i();
    const int64_t channels = a.i();
    if (count < 0 || channels < 1) throw CallError("channelMoments needs count ≥ 0 and channels ≥ 1");
    const float *x = a.tensor(count * channels);
    std::vector<double> mean = channel_sums(count, channels, [&](int64_t r, double *acc) {
      const float *row = x + r * channels;
      for (int64_t c = 0; c < channels; ++c) acc[c] += row[c];
    });
    for (double &m : mean) m /= count > 0 ? static_cast<double>(count) : 1.0;
    const std::vector<double> m2 = channel_sums(count, channels, [&](int64_t r, double *acc) {
      const float *row = x + r * channels;
      for (int64_t c = 0; c < channels; ++c) {
        const double d = row[c] - mean[c];
        acc[c] += d * d;
      }
    });
    napi_value buffer, result;
    void *data = nullptr;
    if (napi_create_arraybuffer(env, 2 * channels * sizeof(double), &data, &buffer) != napi_ok ||
        napi_create_typedarray(env, napi_float64_array, 2 * channels, buffer, 0, &result) != napi_ok) {
      throw CallError("could not allocate the result");
    }
    double *out = static_cast<double *>(data);
    for (int64_t c = 0; c < channels; ++c) {
      out[c] = mean[c];
      out[channels + c] = m2[c];
    }
    return result;
  } catch (const std::exception &e) {
    napi_throw_error(env, "CALIBRA_NATIVE", e.what());
    return nullptr;
  }
}

}  // namespace calibra
