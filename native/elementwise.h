// Shared by the elementwise kernels (activations, their gradients, Add/Multiply/Sub): splitting
// a pass over memory between the OpenMP threads, and compiling its loop for AVX-512 and AVX2
// as well as the baseline, chosen when the addon loads.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

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

// Runs body(begin, end) over [0, n), in one contiguous chunk per thread. Chunks start on
// 16-float (64-byte) boundaries, so that no two threads write the same cache line.
template <typename Body>
void parallel_chunks(int64_t n, Body body) {
  const int threads = n < kMinParallelElements ? 1 : omp_get_max_threads();
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

// How a binary kernel's operands line up with its output of rows × channels floats; the
// numbering is shared with src/engine/native/elementwise.ts.
enum class Broadcast : int64_t {
  same = 0,     // a and b have the output's shape
  b_row = 1,    // b is one row of `channels` values, repeated; a has the output's shape
  a_row = 2,    // as b_row, the other way round
};

// One binary call, read from args (heap, broadcast, rows, channels, a, b, out).
struct BinaryCall {
  Broadcast broadcast;
  int64_t rows, channels;
  const float *a, *b;
  float *out;
};

BinaryCall read_binary_call(Args &args);

// Applies op to each element: out = op(a, b) with a row operand repeated. A row of one value
// (a scalar) is read once, not once per output element.
template <typename Op>
CALIBRA_INLINE void binary_range(const BinaryCall &c, int64_t begin, int64_t end, Op op) {
  const float *a = c.a;
  const float *b = c.b;
  float *out = c.out;
  const int64_t ch = c.channels;
  switch (c.broadcast) {
    case Broadcast::same:
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) out[i] = op(a[i], b[i]);
      return;
    case Broadcast::b_row:
      if (ch == 1) {
        const float s = b[0];
#pragma omp simd
        for (int64_t i = begin; i < end; ++i) out[i] = op(a[i], s);
        return;
      }
      for (int64_t r = begin / ch; r * ch < end; ++r) {
        const int64_t from = std::max(begin, r * ch), to = std::min(end, (r + 1) * ch);
#pragma omp simd
        for (int64_t i = from; i < to; ++i) out[i] = op(a[i], b[i - r * ch]);
      }
      return;
    case Broadcast::a_row:
      if (ch == 1) {
        const float s = a[0];
#pragma omp simd
        for (int64_t i = begin; i < end; ++i) out[i] = op(s, b[i]);
        return;
      }
      for (int64_t r = begin / ch; r * ch < end; ++r) {
        const int64_t from = std::max(begin, r * ch), to = std::min(end, (r + 1) * ch);
#pragma omp simd
        for (int64_t i = from; i < to; ++i) out[i] = op(a[i - r * ch], b[i]);
      }
      return;
  }
}

// Runs a binary kernel whose clone-compiled loop is range(call, begin, end).
void run_binary(const BinaryCall &c, void (*range)(const BinaryCall &, int64_t, int64_t));

// y = 0 where x ≤ 0, cap where x > cap, else x: Relu (cap ∞) and Relu6 (cap 6) as the cpu
// backend computes them, NaN staying NaN and −0 becoming 0.
void capped_relu(int64_t n, float cap, const float *x, float *y);

}  // namespace calibra
