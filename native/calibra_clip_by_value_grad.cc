// CalibraClipByValueGrad: args (heap, n, min, max, dy, x, dx). dx = dy where min ≤ x ≤ max,
// else 0 (NaN x included): tfjs's where(), which selects dy rather than multiplying it, and
// compares x with the bounds rounded to float32, as Args::f rounds them.
#include "elementwise.h"

namespace calibra {
namespace {

CALIBRA_VECTOR_CLONES void clip_grad_range(int64_t begin, int64_t end, float lo, float hi, const float *dy,
                                           const float *x, float *dx) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float v = x[i];
    dx[i] = (v >= lo) & (v <= hi) ? dy[i] : 0.f;
  }
}

}  // namespace

void calibra_clip_by_value_grad(Args &a) {
  const int64_t n = a.i();
  const float lo = a.f();
  const float hi = a.f();
  const float *dy = a.tensor(n);
  const float *x = a.tensor(n);
  float *dx = a.tensor(n);
  parallel_chunks(n, [&](int64_t begin, int64_t end) { clip_grad_range(begin, end, lo, hi, dy, x, dx); });
}

}  // namespace calibra
