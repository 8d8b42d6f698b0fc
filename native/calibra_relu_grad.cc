// CalibraReluGrad: args (heap, n, cap, dy, x, dx). dx = dy · m with m = 1 where 0 < x ≤ cap,
// NaN where x is NaN, else 0: tfjs's Relu and Relu6 gradients (dy · step(x), times x ≤ 6 for
// Relu6) to the bit, so 0 · ∞ is NaN and a negative dy times 0 is −0 here as there.
#include "elementwise.h"

namespace calibra {
namespace {

CALIBRA_VECTOR_CLONES void relu_grad_range(int64_t begin, int64_t end, float cap, const float *dy, const float *x,
                                           float *dx) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float v = x[i];
    const float passes = (v > 0.f) & (v <= cap) ? 1.f : 0.f;
    dx[i] = dy[i] * (v != v ? v : passes);
  }
}

}  // namespace

void calibra_relu_grad(Args &a) {
  const int64_t n = a.i();
  const float cap = a.f();
  const float *dy = a.tensor(n);
  const float *x = a.tensor(n);
  float *dx = a.tensor(n);
  parallel_chunks(n, [&](int64_t begin, int64_t end) { relu_grad_range(begin, end, cap, dy, x, dx); });
}

}  // namespace calibra
