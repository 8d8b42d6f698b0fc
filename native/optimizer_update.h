// Shared by the optimizer updates (calibra_adam_update.cc, calibra_momentum_update.cc): one
// pass over all of a step's variables, split between the threads as one range of elements, so
// that a step meets one barrier rather than one per variable (a thread preempted by another
// process stalls every barrier it is late to).
#pragma once

#include <algorithm>
#include <vector>

#include "elementwise.h"

namespace calibra {

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
