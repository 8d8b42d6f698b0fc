// CalibraBatchNormTrain: args (heap, BatchNormShape…, activation, x, scale, offset, y, mean,
// variance). mean and variance are the batch's, the variance biased (divided by n·spatial), as
// tfjs stores it. With an activation, y is ReLU or ReLU6 of the normalised values, applied in
// place while y is still in cache from oneDNN's last pass over it.
#include "batch_norm_common.h"
#include "elementwise.h"

namespace calibra {

void calibra_batch_norm_train(Args &a) {
  const BatchNormShape s = read_batch_norm_shape(a);
  const BnActivation act = read_bn_activation(a);
  const float *x = a.tensor(s.elems());
  const float *scale = a.tensor(s.c);
  const float *offset = a.tensor(s.c);
  float *y = a.tensor(s.elems());
  float *mean = a.tensor(s.c);
  float *variance = a.tensor(s.c);

  using bn = dnnl::batch_normalization_forward;
  static PrimitiveCache<Compiled<bn::primitive_desc>> cache;
  auto &c = cache.get(s.key(), [&] {
    bn::primitive_desc pd = batch_norm_forward_pd(s, user_scratchpad_attr());
    return Compiled<bn::primitive_desc>{pd, bn(pd)};
  });
  c.prim.execute(cpu_stream(), {
                                   {DNNL_ARG_SRC, user_memory(s.data_md(), x)},
                                   {DNNL_ARG_SCALE, user_memory(s.channel_md(), scale)},
                                   {DNNL_ARG_SHIFT, user_memory(s.channel_md(), offset)},
                                   {DNNL_ARG_DST, user_memory(s.data_md(), y)},
                                   {DNNL_ARG_MEAN, user_memory(s.channel_md(), mean)},
                                   {DNNL_ARG_VARIANCE, user_memory(s.channel_md(), variance)},
                                   {DNNL_ARG_SCRATCHPAD, scratchpad(c.pd)},
                               });
  cpu_stream().wait();
  if (act != BnActivation::linear) capped_relu(s.elems(), activation_cap(act), y, y);
}

}  // namespace calibra
