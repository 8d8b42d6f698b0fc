// RealDiv: args (heap, BinaryCall…): out = a / b (see elementwise.h).
#include "elementwise.h"

namespace calibra {
namespace {

CALIBRA_VECTOR_CLONES void real_div_range(const BinaryCall &c, int64_t begin, int64_t end) {
  binary_range(c, begin, end, [](float a, float b) { return a / b; });
}

}  // namespace

void real_div(Args &a) { run_binary(read_binary_call(a), real_div_range); }

}  // namespace calibra
