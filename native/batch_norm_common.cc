#include "batch_norm_common.h"

#include <limits>
#include <string>

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

}  // namespace calibra
