// Shared by the elementwise kernels (activations, their gradients, Add/Multiply/Sub/RealDiv)
// and the per-channel passes of FusedBatchNorm and its gradient: splitting a pass over memory
// between the OpenMP threads, and compiling its loop for AVX-512 and AVX2 as well as the
// baseline, chosen when the addon loads.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common.h"

namespace calibra {

// The addon is built without -march, so that it runs on any x86-64; these loops are cheap to
// compile three times. Measured on these 2 EPYC cores, 1M floats (in cache): Relu6 90 µs with
// AVX-512 against 151 µs with SSE2, the Relu gradient 132 against 202 µs. Beyond the cache
// memory bandwidth decides and they are even.
#define CALIBRA_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
// Lets a loop template inline into each clone and be compiled for that clone's instructions.
#define CALIBRA_INLINE inline __attribute__((always_inline))

// Below this many floats a pass stays on the calling thread: waking the other thread costs
// about 0.5 µs. Measured per call, 1 thread against 2: Relu6 at 16K floats 1.1 against 1.2 µs,
// at 32K 2.1 against 1.8, at 1M 90 against 47; Add of a per-channel row at 16K 1.9 against 1.6.
constexpr int64_t kMinParallelElements = int64_t{1} << 15;

// How many threads a pass over n floats is split between.
inline int threads_for(int64_t n) { return n < kMinParallelElements ? 1 : omp_get_max_threads(); }

// Runs body(begin, end) over [0, n), in one contiguous chunk per thread. Chunks start on
// 16-float (64-byte) boundaries, so that no two threads write the same cache line.
template <typename Body>
void parallel_chunks(int64_t n, Body body) {
  const int threads = threads_for(n);
  if (threads <= 1) {
    body(int64_t{0}, n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int64_t team = omp_get_num_threads();
    const int64_t per = ((n + team - 1) / team + 15) / 16 * 16;
    const int64_t begin = std::min(n, omp_get_thread_num() * per);
    const int64_t end = std::min(n, begin + per);
    if (begin < end) body(begin, end);
  }
}

// Runs body(thread, begin, end) over [0, rows), one contiguous block of rows per thread, with
// thread < threads: for passes along the channel axis whose threads each keep their own
// per-channel sums.
template <typename Body>
void parallel_rows(int threads, int64_t rows, Body body) {
  if (threads <= 1) {
    body(0, int64_t{0}, rows);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int64_t team = omp_get_num_threads();
    const int64_t per = (rows + team - 1) / team;
    const int thread = omp_get_thread_num();
    const int64_t begin = std::min(rows, thread * per);
    const int64_t end = std::min(rows, begin + per);
    if (begin < end) body(thread, begin, end);
  }
}

// Runs body(begin, end, sums) over [0, rows) as parallel_rows does, each thread adding into its
// own `per_thread` doubles, and returns those added up over the threads.
template <typename Body>
std::vector<double> summed_rows(int threads, int64_t rows, int64_t per_thread, Body body) {
  std::vector<double> sums(static_cast<size_t>(threads * per_thread), 0.0);
  parallel_rows(threads, rows, [&](int thread, int64_t begin, int64_t end) {
    body(begin, end, sums.data() + static_cast<size_t>(thread * per_thread));
  });
  std::vector<double> total(sums.begin(), sums.begin() + per_thread);
  for (int t = 1; t < threads; ++t) {
    for (int64_t k = 0; k < per_thread; ++k) total[k] += sums[static_cast<size_t>(t * per_thread + k)];
  }
  return total;
}

// How a binary kernel's operands line up with its output, seen as [outer, mid, inner]; the
// numbering is shared with src/engine/native/elementwise.ts.
enum class Broadcast : int64_t {
  same = 0,     // a and b have the output's shape
  b_small = 1,  // b is [outer, 1, inner], repeated along mid; a has the output's shape
  a_small = 2,  // as b_small, the other way round
};

// One binary call, read from args (heap, broadcast, outer, mid, inner, a, b, out).
struct BinaryCall {
  Broadcast broadcast;
  int64_t outer, mid, inner;
  const float *a, *b;
  float *out;

  int64_t elems() const { return outer * mid * inner; }
};

BinaryCall read_binary_call(Args &args);

// out = op(a, b) over [begin, end) where `small` is the call's [outer, 1, inner] operand and
// `big` the other; kSmallFirst says that small is a. With inner 1 (a per-sample scalar, or one
// scalar for the whole call) each block of mid values shares one small value.
template <bool kSmallFirst, typename Op>
CALIBRA_INLINE void broadcast_range(const BinaryCall &c, const float *big, const float *small, int64_t begin,
                                    int64_t end, Op op) {
  const auto f = [op](float x, float s) { return kSmallFirst ? op(s, x) : op(x, s); };
  float *out = c.out;
  const int64_t inner = c.inner;
  const int64_t block = c.mid * inner;
  for (int64_t o = begin / block; o * block < end; ++o) {
    const int64_t block_begin = std::max(begin, o * block), block_end = std::min(end, (o + 1) * block);
    const float *row = small + o * inner;
    if (inner == 1) {
      const float v = row[0];
#pragma omp simd
      for (int64_t i = block_begin; i < block_end; ++i) out[i] = f(big[i], v);
      continue;
    }
    for (int64_t r = block_begin / inner; r * inner < block_end; ++r) {
      const int64_t from = std::max(block_begin, r * inner), to = std::min(block_end, (r + 1) * inner);
      const int64_t shift = r * inner;
#pragma omp simd
      for (int64_t i = from; i < to; ++i) out[i] = f(big[i], row[i - shift]);
    }
  }
}

// Applies op to each element: out = op(a, b), the small operand repeated.
template <typename Op>
CALIBRA_INLINE void binary_range(const BinaryCall &c, int64_t begin, int64_t end, Op op) {
  switch (c.broadcast) {
    case Broadcast::same: {
      const float *a = c.a;
      const float *b = c.b;
      float *out = c.out;
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) out[i] = op(a[i], b[i]);
      return;
    }
    case Broadcast::b_small:
      broadcast_range<false>(c, c.a, c.b, begin, end, op);
      return;
    case Broadcast::a_small:
      broadcast_range<true>(c, c.b, c.a, begin, end, op);
      return;
  }
}

// Runs a binary kernel whose clone-compiled loop is range(call, begin, end).
void run_binary(const BinaryCall &c, void (*range)(const BinaryCall &, int64_t, int64_t));

// y = 0 where x ≤ 0, cap where x > cap, else x: Relu (cap ∞) and Relu6 (cap 6) as the cpu
// backend computes them, NaN staying NaN and −0 becoming 0.
void capped_relu(int64_t n, float cap, const float *x, float *y);

}  // namespace calibra
