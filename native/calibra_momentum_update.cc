// CalibraMomentumUpdate, every variable of a step in one call and in place: args (heap,
// momentum, nesterov, table), table a Float64Array of one row per variable: (param, grad,
// accum, size, lr, l2), tensors as byte offsets.
//
// Per element, in double precision and in the order of the per-variable JS kernel
// (src/engine/kernels/optimizer-updates.ts), so the two agree to the bit:
//   g = grad + l2·p;  a ← μ·a + g;  p ← p − lr·(nesterov ? g + μ·a : a), with a not yet rounded.
#include "optimizer_update.h"

namespace calibra {
namespace {

// Compiled for AVX-512 and AVX2 as the other elementwise passes are, but with no multiply and
// add fused into one FMA (which rounds once where JS rounds twice): the results stay the JS
// kernel's to the bit. Vector division and square root round correctly, as JS's do (the addon
// is built with -fno-math-errno, without which a square root cannot be vectorised).
#pragma GCC optimize("fp-contract=off")

CALIBRA_VECTOR_CLONES void momentum_range(int64_t begin, int64_t end, double momentum, bool nesterov, double lr,
                                          double l2, float *p, const float *g, float *accum) {
  for (int64_t i = begin; i < end; ++i) {
    const double pi = p[i];
    const double gi = g[i] + l2 * pi;
    const double ai = accum[i] * momentum + gi;
    accum[i] = static_cast<float>(ai);
    p[i] = static_cast<float>(pi - lr * (nesterov ? gi + momentum * ai : ai));
  }
}

}  // namespace

void calibra_momentum_update(Args &a) {
  const double momentum = a.d();
  const bool nesterov = a.i() != 0;
  const VariableTable vars = read_variable_table(a, 3, 2, "momentum");
  parallel_over_rows(vars.sizes, [&](size_t row, int64_t begin, int64_t end) {
    const auto &[t, k] = vars.rows[row];
    momentum_range(begin, end, momentum, nesterov, k[0], k[1], t[0], t[1], t[2]);
  });
}

}  // namespace calibra
