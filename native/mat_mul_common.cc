#include "mat_mul_common.h"

#include <cstring>

#include "onednn_compat.h"

namespace calibra {

MatMulShape read_mat_mul_shape(Args &a) {
  MatMulShape s{};
  for (int64_t *field : {&s.batch_a, &s.batch_b, &s.m, &s.k, &s.n, &s.transpose_a, &s.transpose_b}) {
    *field = a.i();
  }
  if (s.batch_a != s.batch_b && s.batch_a != 1 && s.batch_b != 1) {
    throw CallError("matmul batches must match or be 1");
  }
  return s;
}

namespace {

// A transposed operand is the same dims read with the last two strides swapped.
memory::desc a_md(const MatMulShape &s) {
  return {{s.batch_a, s.m, s.k}, dt::f32, s.transpose_a ? tag::acb : tag::abc};
}
memory::desc b_md(const MatMulShape &s) {
  return {{s.batch_b, s.k, s.n}, dt::f32, s.transpose_b ? tag::acb : tag::abc};
}
memory::desc y_md(const MatMulShape &s) { return {{s.batch(), s.m, s.n}, dt::f32, tag::abc}; }
memory::desc bias_md(const MatMulShape &s) { return {{1, 1, s.n}, dt::f32, tag::abc}; }

}  // namespace

void mat_mul(const MatMulShape &s, const float *a, const float *b, const float *bias, Activation act,
             float alpha, float *y) {
  static PrimitiveCache<Compiled<dnnl::matmul::primitive_desc>> cache;
  int32_t alpha_bits;
  std::memcpy(&alpha_bits, &alpha, sizeof alpha_bits);
  const std::vector<int64_t> key{s.batch_a,     s.batch_b,         s.m, s.k, s.n, s.transpose_a, s.transpose_b,
                                 bias != nullptr, static_cast<int64_t>(act), alpha_bits};
  auto &c = cache.get(key, [&] {
    dnnl::matmul::primitive_desc pd =
        onednn::mat_mul(cpu_engine(), a_md(s), b_md(s), bias != nullptr ? bias_md(s) : memory::desc(), y_md(s),
                        attr_with_activation(act, alpha));
    return Compiled<dnnl::matmul::primitive_desc>{pd, dnnl::matmul(pd)};
  });
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, user_memory(a_md(s), a)},
      {DNNL_ARG_WEIGHTS, user_memory(b_md(s), b)},
      {DNNL_ARG_DST, user_memory(y_md(s), y)},
      {DNNL_ARG_SCRATCHPAD, scratchpad(c.pd)},
  };
  if (bias != nullptr) args.emplace(DNNL_ARG_BIAS, user_memory(bias_md(s), bias));
  c.prim.execute(cpu_stream(), args);
  cpu_stream().wait();
}

}  // namespace calibra
