// CalibraAdamUpdate, every variable of a step in one call and in place: args (heap, beta1,
// beta2, epsilon, correction1, correction2, table), table a Float64Array of one row per
// variable: (param, grad, m, v, size, lr, l2, decay), tensors as byte offsets.
//
// Per element, in double precision and in the order of the per-variable JS kernel
// (src/engine/kernels/optimizer-updates.ts), so the two agree to the bit:
//   g = grad + l2·p;  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
//   p ← p·(1 − lr·decay) − lr·(m / c1) / (√(v / c2) + ε), with m and v not yet rounded to float32.
#include <cmath>

#include "optimizer_update.h"

namespace calibra {
namespace {

// Compiled for AVX-512 and AVX2 as the other elementwise passes are, but with no multiply and
// add fused into one FMA (which rounds once where JS rounds twice): the results stay the JS
// kernel's to the bit. Vector division and square root round correctly, as JS's do (the addon
// is built with -fno-math-errno, without which a square root cannot be vectorised).
#pragma GCC optimize("fp-contract=off")

struct AdamStep {
  double beta1, beta2, epsilon, correction1, correction2;
};

CALIBRA_VECTOR_CLONES void adam_range(int64_t begin, int64_t end, const AdamStep &s, double lr, double l2,
                                      double decay, float *p, const float *g, float *m, float *v) {
  const double shrink = 1 - lr * decay;
  for (int64_t i = begin; i < end; ++i) {
    const double pi = p[i];
    const double gi = g[i] + l2 * pi;
    const double mi = m[i] * s.beta1 + gi * (1 - s.beta1);
    const double vi = v[i] * s.beta2 + gi * gi * (1 - s.beta2);
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    p[i] = static_cast<float>(pi * shrink - (lr * (mi / s.correction1)) / (std::sqrt(vi / s.correction2) + s.epsilon));
  }
}

}  // namespace

void calibra_adam_update(Args &a) {
  AdamStep s;
  s.beta1 = a.d();
  s.beta2 = a.d();
  s.epsilon = a.d();
  s.correction1 = a.d();
  s.correction2 = a.d();
  const VariableTable vars = read_variable_table(a, 4, 3, "Adam");
  parallel_over_rows(vars.sizes, [&](size_t row, int64_t begin, int64_t end) {
    const auto &[t, k] = vars.rows[row];
    adam_range(begin, end, s, k[0], k[1], k[2], t[0], t[1], t[2], t[3]);
  });
}

}  // namespace calibra
