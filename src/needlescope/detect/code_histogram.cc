#include "needlescope/detect/code_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace needlescope::detect {

CodeHistogram::CodeHistogram(const std::array<float, 256>& value_of_code) {
  std::array<int, 256> codes;
  std::iota(codes.begin(), codes.end(), 0);
  std::stable_sort(codes.begin(), codes.end(),
                   [&](int a, int b) { return value_of_code[size_t(a)] < value_of_code[size_t(b)]; });
  for (size_t rank = 0; rank < codes.size(); ++rank) {
    rank_of_code_[size_t(codes[rank])] = std::uint8_t(rank);
    value_of_rank_[rank] = value_of_code[size_t(codes[rank])];
  }
}

std::pair<float, float> CodeHistogram::TakeMedianAndMad() {
  if (n_ == 0) return {0.f, 0.f};
  const int k = n_ / 2;  // the index, in sorted order, of the element wanted
  // The median: the rank at which the running count first passes k.
  int median_rank = lowest_, below = 0;
  while (below + count_[size_t(median_rank)] <= k) below += count_[size_t(median_rank++)];
  const float median = value_of_rank_[size_t(median_rank)];

  // The deviations, smallest first: |v - median| does not decrease on walking away from the
  // median's rank on either side, so merging the two walks visits them in sorted order.
  // Ranks outside [lowest_, highest_] count nothing and are never needed: the walk ends
  // once k deviations lie behind it.
  auto deviation = [&](int rank) { return std::abs(value_of_rank_[size_t(rank)] - median); };
  int taken = count_[size_t(median_rank)];
  float mad = 0.f;
  int down = median_rank - 1, up = median_rank + 1;
  while (taken <= k) {
    const bool take_down =
        down >= lowest_ && (up > highest_ || deviation(down) <= deviation(up));
    const int rank = take_down ? down-- : up++;
    taken += count_[size_t(rank)];
    mad = deviation(rank);
  }

  std::fill(count_.begin() + lowest_, count_.begin() + highest_ + 1, 0);
  n_ = 0;
  lowest_ = 256;
  highest_ = -1;
  return {median, mad};
}

}  // namespace needlescope::detect
