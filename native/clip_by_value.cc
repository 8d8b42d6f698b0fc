// ClipByValue: args (heap, n, min, max, x, y). NaN stays NaN and −0 stays −0, as on the cpu
// backend. That compares x with the bounds as given, in double, and this with the bounds rounded
// to float32 (Args::f), with the same result: an x between a bound and its rounding is that
// rounding, so clipped or not it comes out the same.
#include "elementwise.h"

namespace calibra {
namespace {

CALIBRA_VECTOR_CLONES void clip_range(int64_t begin, int64_t end, float lo, float hi, const float *x, float *y) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float v = x[i];
    y[i] = v > hi ? hi : (v < lo ? lo : v);
  }
}

}  // namespace

void clip_by_value(Args &a) {
  const int64_t n = a.i();
  const float lo = a.f();
  const float hi = a.f();
  const float *x = a.tensor(n);
  float *y = a.tensor(n);
  parallel_chunks(n, [&](int64_t begin, int64_t end) { clip_range(begin, end, lo, hi, x, y); });
}

}  // namespace calibra
