#include "batch_norm_common.h"

#include <cstring>
#include <limits>
#include <string>

#include "onednn_compat.h"

namespace calibra {

BatchNormShape read_batch_norm_shape(Args &a) {
  BatchNormShape s{};
  s.n = a.i();
  s.spatial = a.i();
  s.c = a.i();
  s.epsilon = a.f();
  if (s.n < 1 || s.spatial < 1 || s.c < 1) throw CallError("batch norm needs a non-empty input");
  return s;
}

BnActivation read_bn_activation(Args &a) {
  const int64_t code = a.i();
  if (code < 0 || code > static_cast<int64_t>(BnActivation::relu6)) throw CallError("unknown activation " + std::to_string(code));
  return static_cast<BnActivation>(code);
}

float activation_cap(BnActivation act) {
  return act == BnActivation::relu6 ? 6.f : std::numeric_limits<float>::infinity();
}

std::vector<int64_t> BatchNormShape::key() const {
  int32_t eps_bits;
  std::memcpy(&eps_bits, &epsilon, sizeof eps_bits);
  return {n, spatial, c, eps_bits};
}

dnnl::normalization_flags batch_norm_flags() {
  return dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
}

dnnl::batch_normalization_forward::primitive_desc batch_norm_forward_pd(const BatchNormShape &s,
                                                                        const dnnl::primitive_attr &attr) {
  return onednn::batch_norm_forward(cpu_engine(), s.data_md(), s.epsilon, batch_norm_flags(), attr);
}

}  // namespace calibra
