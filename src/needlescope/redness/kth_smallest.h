#pragma once

// The k-th smallest of many floats without holding them all: the values are visited twice,
// and only those sharing the answer's histogram bin are kept. Used where a full-size
// photo's values were collected only to take a percentile (at 24 MP, tens of MB at the
// run's peak memory).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace needlescope::redness {

// The 0-based nearest rank of percentile q (in [0, 100]) among n > 0 values.
inline size_t NearestRank(size_t n, double q) {
  return std::min(n - 1, size_t(std::floor(q / 100.0 * double(n - 1) + 0.5)));
}

// A float's bits as an unsigned integer in the same order as the floats (-0 as +0).
inline std::uint32_t OrderedKey(float v) {
  if (v == 0) v = 0;
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// The k-th smallest (0-based) of the floats that `visit(fn)` passes to fn, one call each,
// where k = rank_of(n) < n for the n values; none when there are no values. `visit` is
// called twice and must pass the same values both times (no NaN). The same value a sort of
// all of them gives: a histogram of the top 16 bits of OrderedKey finds the bin holding
// rank k, the second visit keeps that bin's values, and nth_element picks within them.
template <class Visit, class RankOf>
std::optional<float> KthSmallest(Visit visit, RankOf rank_of) {
  std::vector<size_t> histogram(size_t(1) << 16, 0);
  size_t n = 0;
  visit([&](float v) {
    ++histogram[OrderedKey(v) >> 16];
    ++n;
  });
  if (n == 0) return std::nullopt;
  const size_t k = rank_of(n);
  size_t bin = 0, below = 0;
  while (below + histogram[bin] <= k) below += histogram[bin++];
  std::vector<float> in_bin;
  in_bin.reserve(histogram[bin]);
  visit([&](float v) {
    if ((OrderedKey(v) >> 16) == bin) in_bin.push_back(v);
  });
  std::nth_element(in_bin.begin(), in_bin.begin() + (k - below), in_bin.end());
  return in_bin[k - below];
}

}  // namespace needlescope::redness
