#include "needlescope/uniformity/point_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace needlescope::uniformity {

PointIndex::PointIndex(const std::vector<cv::Point2d>& points) : points_(points) {
  if (points.empty()) {
    start_ = {0, 0};
    return;
  }
  double x0 = points[0].x, x1 = x0, y0 = points[0].y, y1 = y0;
  for (const cv::Point2d& p : points) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  origin_ = {x0, y0};
  // About two points per cell on average.
  const double w = std::max(x1 - x0, 1e-9), h = std::max(y1 - y0, 1e-9);
  cell_ = std::max(std::sqrt(2.0 * w * h / double(points.size())), 1e-6 * std::max(w, h));
  cols_ = std::min(4096, int(w / cell_) + 1);
  rows_ = std::min(4096, int(h / cell_) + 1);
  cell_ = std::max(w / (cols_ - 0.5), h / (rows_ - 0.5));
  std::vector<int> count(size_t(cols_ * rows_) + 1, 0);
  for (const cv::Point2d& p : points) ++count[size_t(CellY(p.y) * cols_ + CellX(p.x)) + 1];
  start_.assign(count.size(), 0);
  for (size_t c = 1; c < count.size(); ++c) start_[c] = start_[c - 1] + count[c];
  order_.assign(points.size(), 0);
  std::vector<int> fill(start_.begin(), start_.end() - 1);
  for (size_t i = 0; i < points.size(); ++i) {
    order_[size_t(fill[size_t(CellY(points[i].y) * cols_ + CellX(points[i].x))]++)] = int(i);
  }
}

std::pair<int, double> PointIndex::NearestOther(size_t i) const {
  const cv::Point2d p = points_[i];
  const int cx = CellX(p.x), cy = CellY(p.y);
  int best = -1;
  double best_d = std::numeric_limits<double>::infinity();
  // Rings of cells around p's cell; ring r holds only points farther than (r - 1) cells.
  for (int r = 0; r <= std::max(cols_, rows_); ++r) {
    if (best >= 0 && (r - 1) * cell_ > best_d) break;
    for (int j = cy - r; j <= cy + r; ++j) {
      if (j < 0 || j >= rows_) continue;
      const bool edge_row = j == cy - r || j == cy + r;
      for (int x = cx - r; x <= cx + r; x += (edge_row ? 1 : 2 * std::max(r, 1))) {
        if (x < 0 || x >= cols_) continue;
        const size_t c = size_t(j * cols_ + x);
        for (int k = start_[c]; k < start_[c + 1]; ++k) {
          const int id = order_[size_t(k)];
          if (size_t(id) == i) continue;
          const double d = cv::norm(points_[size_t(id)] - p);
          if (d < best_d || (d == best_d && id < best)) best = id, best_d = d;
        }
      }
    }
  }
  return {best, best_d};
}

}  // namespace needlescope::uniformity
