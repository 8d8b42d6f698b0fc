// Shared by the optimizer updates (calibra_adam_update.cc, calibra_momentum_update.cc): one
// pass over all of a step's variables, split between the threads as one range of elements, so
// that a step meets one barrier rather than one per variable (a thread preempted by another
// process stalls every barrier it is late to).
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "elementwise.h"

namespace calibra {

// A table of one row per variable, as updateInPlace (src/engine/native/rewrite-in-place.ts)
// writes it: `tensors` byte offsets, the element count, then `scalars` numbers.
struct VariableTable {
  struct Row {
    std::array<float *, 4> tensors;
    const double *scalars;
  };
  std::vector<Row> rows;
  std::vector<int64_t> sizes;
};

inline VariableTable read_variable_table(Args &a, size_t tensors, size_t scalars, const char *update) {
  const size_t width = tensors + 1 + scalars;
  const auto [table, length] = a.doubles();
  if (length % width != 0) {
    throw CallError(std::string("the ") + update + " table needs " + std::to_string(width) + " numbers per variable");
  }
  VariableTable out;
  for (size_t row = 0; row < length; row += width) {
    const double *r = table + row;
    const auto n = static_cast<int64_t>(r[tensors]);
    VariableTable::Row v{{}, r + tensors + 1};
    for (size_t t = 0; t < tensors; ++t) v.tensors[t] = a.tensor_at(static_cast<int64_t>(r[t]), n);
    out.rows.push_back(v);
    out.sizes.push_back(n);
  }
  return out;
}

// Runs body(row, begin, end) over [0, sizes[row]) for every row, all rows' elements split
// between the threads in one parallel region.
template <typename Body>
void parallel_over_rows(const std::vector<int64_t> &sizes, Body body) {
  std::vector<int64_t> start(sizes.size() + 1, 0);
  for (size_t r = 0; r < sizes.size(); ++r) start[r + 1] = start[r] + sizes[r];
  parallel_chunks(start.back(), [&](int64_t begin, int64_t end) {
    auto row = static_cast<size_t>(std::upper_bound(start.begin(), start.end(), begin) - start.begin()) - 1;
    for (; row < sizes.size() && start[row] < end; ++row) {
      const int64_t lo = std::max(begin, start[row]) - start[row];
      const int64_t hi = std::min(end, start[row + 1]) - start[row];
      if (lo < hi) body(row, lo, hi);
    }
  });
}

}  // namespace calibra
