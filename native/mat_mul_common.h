// Batched matrix product on oneDNN, shared by BatchMatMul and _FusedMatMul.
#pragma once

#include "common.h"

namespace calibra {

// y[batch, m, n] = op(a)[batch_a, m, k] · op(b)[batch_b, k, n], where a batch of one broadcasts.
// Read from the call in the order listed.
struct MatMulShape {
  int64_t batch_a, batch_b, m, k, n, transpose_a, transpose_b;

  int64_t batch() const { return batch_a > batch_b ? batch_a : batch_b; }
  int64_t a_elems() const { return batch_a * m * k; }
  int64_t b_elems() const { return batch_b * k * n; }
  int64_t y_elems() const { return batch() * m * n; }
};

MatMulShape read_mat_mul_shape(Args &a);

// bias, when present, has n elements and is added to every row.
void mat_mul(const MatMulShape &s, const float *a, const float *b, const float *bias, Activation act,
             float alpha, float *y);

}  // namespace calibra
