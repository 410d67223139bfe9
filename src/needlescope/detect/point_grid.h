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
  // Shifted as unsigned: shifting a negative cell index is undefined behaviour in C++17. The
  // bits, and so the hash and the visiting order, are what the signed shift gave.
  static long long Key(long i, long j) {
    return static_cast<long long>((static_cast<unsigned long long>(j) << 32) ^
                                  (static_cast<unsigned long long>(i) & 0xffffffffULL));
  }
  double cell_;
  std::unordered_map<long long, std::vector<int>> cells_;
};

// The same for points known to lie in a given rectangle (a tile's plane): the cells are one
// flat array and each cell's points a linked list in insertion order, so Add never
// reallocates a cell and ForEachNear never hashes. Same cells and the same visiting order
// as PointGrid (the cell of v is floor(v / reach) in both), hence the same results.
class BoundedPointGrid {
 public:
  // Points will lie in [x0, x1] x [y0, y1]; `capacity` bounds the ids (0 <= id < capacity).
  BoundedPointGrid(double reach, double x0, double y0, double x1, double y1, int capacity)
      : cell_(std::max(1.0, reach)),
        cx0_(Cell(x0) - 1),
        cy0_(Cell(y0) - 1),
        cols_(int(Cell(x1) - cx0_) + 2),
        head_(size_t(cols_) * size_t(Cell(y1) - cy0_ + 2), -1),
        tail_(head_.size(), -1),
        next_(size_t(capacity), -1) {}
  void Add(int id, double x, double y) {
    const size_t c = Index(Cell(x), Cell(y));
    if (tail_[c] < 0) head_[c] = id;
    else next_[size_t(tail_[c])] = id;
    tail_[c] = id;
  }
  template <class Fn>
  void ForEachNear(double x, double y, Fn&& fn) const {
    const long cx = Cell(x), cy = Cell(y);
    for (long j = cy - 1; j <= cy + 1; ++j) {
      for (long i = cx - 1; i <= cx + 1; ++i) {
        for (int id = head_[Index(i, j)]; id >= 0; id = next_[size_t(id)]) fn(id);
      }
    }
  }

 private:
  long Cell(double v) const { return long(std::floor(v / cell_)); }
  size_t Index(long i, long j) const { return size_t(j - cy0_) * size_t(cols_) + size_t(i - cx0_); }
  double cell_;
  long cx0_, cy0_;
  int cols_;
  std::vector<int> head_, tail_, next_;  // per cell: first and last id; per id: the next
};

}  // namespace needlescope::detect
