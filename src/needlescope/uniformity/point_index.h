#pragma once

// A bucket grid over a point set for nearest-neighbour and fixed-radius queries: linear
// memory, and queries that look at a few cells, so that 100 000 points take milliseconds.

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <vector>

namespace needlescope::uniformity {

class PointIndex {
 public:
  explicit PointIndex(const std::vector<cv::Point2d>& points);

  // Index of the nearest other point to points[i] (-1 when there is none) and its distance.
  std::pair<int, double> NearestOther(size_t i) const;
  // Calls fn(j) for every point j != skip within `radius` of p (any order).
  template <class Fn>
  void ForEachWithin(cv::Point2d p, double radius, int skip, Fn&& fn) const {
    const int r = int(std::ceil(radius / cell_));
    const int cx = CellX(p.x), cy = CellY(p.y);
    for (int j = std::max(0, cy - r); j <= std::min(rows_ - 1, cy + r); ++j) {
      for (int i = std::max(0, cx - r); i <= std::min(cols_ - 1, cx + r); ++i) {
        for (int k = start_[size_t(j * cols_ + i)]; k < start_[size_t(j * cols_ + i) + 1]; ++k) {
          const int id = order_[size_t(k)];
          if (id != skip && cv::norm(points_[size_t(id)] - p) <= radius) fn(id);
        }
      }
    }
  }
  double cell_size() const { return cell_; }

 private:
  int CellX(double x) const { return std::clamp(int((x - origin_.x) / cell_), 0, cols_ - 1); }
  int CellY(double y) const { return std::clamp(int((y - origin_.y) / cell_), 0, rows_ - 1); }

  const std::vector<cv::Point2d>& points_;
  cv::Point2d origin_;
  double cell_ = 1;
  int cols_ = 1, rows_ = 1;
  std::vector<int> start_;  // CSR layout: points of cell c are order_[start_[c] .. start_[c+1])
  std::vector<int> order_;
};

}  // namespace needlescope::uniformity
