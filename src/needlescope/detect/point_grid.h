#pragma once

// Points bucketed on a square grid, so that "all points within d of p" (d <= reach) looks
// at the 3x3 cells around p instead of every point. Neighbours are visited in a fixed order
// (cells row by row, then insertion order), so results built from them are deterministic.

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace needlescope::detect {

class PointGrid {
 public:
  explicit PointGrid(double reach) : cell_(std::max(1.0, reach)) {}
  void Add(int id, double x, double y) { cells_[Key(Cell(x), Cell(y))].push_back(id); }
  template <class Fn>
  void ForEachNear(double x, double y, Fn&& fn) const {
    const long cx = Cell(x), cy = Cell(y);
    for (long j = cy - 1; j <= cy + 1; ++j) {
      for (long i = cx - 1; i <= cx + 1; ++i) {
        const auto it = cells_.find(Key(i, j));
        if (it == cells_.end()) continue;
        for (int id : it->second) fn(id);
      }
    }
  }

 private:
  long Cell(double v) const { return long(std::floor(v / cell_)); }
  static long long Key(long i, long j) { return (static_cast<long long>(j) << 32) ^ (i & 0xffffffffL); }
  double cell_;
  std::unordered_map<long long, std::vector<int>> cells_;
};

}  // namespace needlescope::detect
