// CalibraMomentumUpdate, every variable of a step in one call and in place: args (heap,
// momentum, nesterov, table), table a Float64Array of one row per variable: (param, grad,
// accum, size, lr, l2), tensors as byte offsets.
//
// Per element, in double precision and in the order of the per-variable JS kernel
// (src/engine/kernels/optimizer-updates.ts), so the two agree to the bit:
//   g = grad + l2·p;  a ← μ·a + g;  p ← p − lr·(nesterov ? g + μ·a : a), with a not yet rounded.
#include "elementwise.h"

namespace calibra {
namespace {

// Built for the baseline x86-64 only, not cloned for AVX2/AVX-512 as the other elementwise
// passes are: with FMA available the compiler may fuse a multiply and an add, and the results
// would no longer be the JS kernel's to the bit. The pass is memory bound either way.

void momentum_range(int64_t begin, int64_t end, double momentum, bool nesterov, double lr,
                    double l2, float *p, const float *g, float *accum) {
  for (int64_t i = begin; i < end; ++i) {
    const double pi = p[i];
    const double gi = g[i] + l2 * pi;
    const double ai = accum[i] * momentum + gi;
    accum[i] = static_cast<float>(ai);
    p[i] = static_cast<float>(pi - lr * (nesterov ? gi + momentum * ai : ai));
  }
}

constexpr size_t kRow = 6;

}  // namespace

void calibra_momentum_update(Args &a) {
  const double momentum = a.d();
  const bool nesterov = a.i() != 0;
  const auto [table, length] = a.doubles();
  if (length % kRow != 0) throw CallError("the momentum table needs 6 numbers per variable");
  for (size_t row = 0; row < length; row += kRow) {
    const double *r = table + row;
    const auto n = static_cast<int64_t>(r[3]);
    float *p = a.tensor_at(static_cast<int64_t>(r[0]), n);
    const float *g = a.tensor_at(static_cast<int64_t>(r[1]), n);
    float *accum = a.tensor_at(static_cast<int64_t>(r[2]), n);
    const double lr = r[4], l2 = r[5];
    parallel_chunks(n, [&](int64_t begin, int64_t end) { momentum_range(begin, end, momentum, nesterov, lr, l2, p, g, accum); });
  }
}

}  // namespace calibra
