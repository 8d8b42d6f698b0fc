#include "pool_common.h"

#include "onednn_compat.h"

namespace calibra {

using dnnl::pooling_backward;
using dnnl::pooling_forward;
using dnnl::prop_kind;

PoolShape read_pool_shape(Args &a) {
  PoolShape s{};
  for (int64_t *field : {&s.n, &s.ih, &s.iw, &s.c, &s.oh, &s.ow, &s.kh, &s.kw, &s.sh, &s.sw, &s.pt, &s.pl,
                         &s.pb, &s.pr}) {
    *field = a.i();
  }
  return s;
}

namespace {

memory::desc src_md(const PoolShape &s) { return {{s.n, s.c, s.ih, s.iw}, dt::f32, tag::nhwc}; }
memory::desc dst_md(const PoolShape &s) { return {{s.n, s.c, s.oh, s.ow}, dt::f32, tag::nhwc}; }

enum class Pass { forward, backward };

// tfjs's forward average ignores padding, but every tfjs backend's AvgPoolGrad divides by the
// whole window, as if padding counted. The native kernels keep tfjs's behaviour for both.
dnnl::algorithm algorithm(Pool kind, Pass pass) {
  if (kind == Pool::max) return dnnl::algorithm::pooling_max;
  return pass == Pass::forward ? dnnl::algorithm::pooling_avg_exclude_padding
                               : dnnl::algorithm::pooling_avg_include_padding;
}

std::vector<int64_t> key(const PoolShape &s, Pool kind) {
  return {s.n,  s.ih, s.iw, s.c,  s.oh, s.ow, s.kh, s.kw,
          s.sh, s.sw, s.pt, s.pl, s.pb, s.pr, static_cast<int64_t>(kind)};
}

pooling_forward::primitive_desc forward_pd(const PoolShape &s, Pool kind, Pass pass, prop_kind prop) {
  return onednn::pool_forward(cpu_engine(), prop, algorithm(kind, pass), src_md(s), dst_md(s), {s.sh, s.sw},
                              {s.kh, s.kw}, {s.pt, s.pl}, {s.pb, s.pr}, user_scratchpad_attr());
}

struct Backward {
  pooling_forward::primitive_desc fwd_pd;
  dnnl::primitive fwd;
  pooling_backward::primitive_desc pd;
  dnnl::primitive prim;
  // Max pooling's backward pass needs the forward pass's argmax workspace, which tfjs does
  // not keep; the forward is rerun into these.
  memory y, workspace;
};

}  // namespace

void pool_forward(const PoolShape &s, Pool kind, const float *x, float *y) {
  static PrimitiveCache<Compiled<pooling_forward::primitive_desc>> cache;
  auto &c = cache.get(key(s, kind), [&] {
    pooling_forward::primitive_desc pd = forward_pd(s, kind, Pass::forward, prop_kind::forward_inference);
    return Compiled<pooling_forward::primitive_desc>{pd, pooling_forward(pd)};
  });
  c.prim.execute(cpu_stream(), {
                                   {DNNL_ARG_SRC, user_memory(src_md(s), x)},
                                   {DNNL_ARG_DST, user_memory(dst_md(s), y)},
                                   {DNNL_ARG_SCRATCHPAD, scratchpad(c.pd)},
                               });
  cpu_stream().wait();
}

void pool_backward(const PoolShape &s, Pool kind, const float *dy, const float *x, float *dx) {
  static PrimitiveCache<Backward> cache;
  auto &c = cache.get(key(s, kind), [&] {
    pooling_forward::primitive_desc fwd_pd = forward_pd(s, kind, Pass::backward, prop_kind::forward_training);
    pooling_backward::primitive_desc pd =
        onednn::pool_backward(cpu_engine(), algorithm(kind, Pass::backward), src_md(s), dst_md(s), {s.sh, s.sw},
                              {s.kh, s.kw}, {s.pt, s.pl}, {s.pb, s.pr}, fwd_pd, user_scratchpad_attr());
    memory y, workspace;
    if (kind == Pool::max) {
      y = memory(dst_md(s), cpu_engine());
      workspace = memory(fwd_pd.workspace_desc(), cpu_engine());
    }
    return Backward{fwd_pd, pooling_forward(fwd_pd), pd, pooling_backward(pd), y, workspace};
  });
  std::unordered_map<int, memory> args{
      {DNNL_ARG_DIFF_DST, user_memory(dst_md(s), dy)},
      {DNNL_ARG_DIFF_SRC, user_memory(src_md(s), dx)},
      {DNNL_ARG_SCRATCHPAD, scratchpad(c.pd)},
  };
  if (kind == Pool::max) {
    c.fwd.execute(cpu_stream(), {
                                    {DNNL_ARG_SRC, user_memory(src_md(s), x)},
                                    {DNNL_ARG_DST, c.y},
                                    {DNNL_ARG_WORKSPACE, c.workspace},
                                    {DNNL_ARG_SCRATCHPAD, scratchpad(c.fwd_pd)},
                                });
    args.emplace(DNNL_ARG_WORKSPACE, c.workspace);
  }
  c.prim.execute(cpu_stream(), args);
  cpu_stream().wait();
}

}  // namespace calibra
