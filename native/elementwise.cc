#include "elementwise.h"

namespace calibra {

BinaryCall read_binary_call(Args &args) {
  BinaryCall c{};
  const int64_t broadcast = args.i();
  if (broadcast < 0 || broadcast > static_cast<int64_t>(Broadcast::a_small)) {
    throw CallError("unknown broadcast " + std::to_string(broadcast));
  }
  c.broadcast = static_cast<Broadcast>(broadcast);
  c.outer = args.i();
  c.mid = args.i();
  c.inner = args.i();
  if (c.outer < 1 || c.mid < 1 || c.inner < 1) throw CallError("bad binary shape");
  const int64_t small = c.outer * c.inner;
  c.a = args.tensor(c.broadcast == Broadcast::a_small ? small : c.elems());
  c.b = args.tensor(c.broadcast == Broadcast::b_small ? small : c.elems());
  c.out = args.tensor(c.elems());
  return c;
}

void run_binary(const BinaryCall &c, void (*range)(const BinaryCall &, int64_t, int64_t)) {
  parallel_chunks(c.elems(), [&](int64_t begin, int64_t end) { range(c, begin, end); });
}

namespace {

CALIBRA_VECTOR_CLONES void capped_relu_range(int64_t begin, int64_t end, float cap, const float *x, float *y) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float v = x[i];
    y[i] = v <= 0.f ? 0.f : (v > cap ? cap : v);
  }
}

}  // namespace

void capped_relu(int64_t n, float cap, const float *x, float *y) {
  parallel_chunks(n, [&](int64_t begin, int64_t end) { capped_relu_range(begin, end, cap, x, y); });
}

}  // namespace calibra
