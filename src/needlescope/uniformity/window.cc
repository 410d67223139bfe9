#include "needlescope/uniformity/window.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "needlescope/tiling/cancellation.h"

namespace needlescope::uniformity {
namespace {

double Cross(cv::Point2d a, cv::Point2d b) { return a.x * b.y - a.y * b.x; }

double SegmentDistance(cv::Point2d p, cv::Point2d a, cv::Point2d b) {
  const cv::Point2d ab = b - a;
  const double len2 = ab.dot(ab);
  const double t = len2 > 0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
  return cv::norm(p - (a + t * ab));
}

// Whether closed segments ab and cd share a point.
bool SegmentsTouch(cv::Point2d a, cv::Point2d b, cv::Point2d c, cv::Point2d d) {
  const double d1 = Cross(b - a, c - a), d2 = Cross(b - a, d - a);
  const double d3 = Cross(d - c, a - c), d4 = Cross(d - c, b - c);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  auto on = [](cv::Point2d p, cv::Point2d q, cv::Point2d r, double cross) {
    return cross == 0 && std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) &&
           std::min(p.y, q.y) <= r.y && r.y <= std::max(p.y, q.y);
  };
  return on(a, b, c, d1) || on(a, b, d, d2) || on(c, d, a, d3) || on(c, d, b, d4);
}

// The first pair of edges (i < j, lowest i, then lowest j) that makes `v` no simple polygon:
// adjacent edges whose shared vertex is repeated, or non-adjacent edges that touch. Edges
// are bucketed on a grid of about n cells over the bounding box, so only edges sharing a
// cell are compared: about n edges times the few in their cells, where comparing every
// pair is n^2 / 2 tests (2 x 10^10 for the 2 x 10^5 vertices a mask's outline can have).
std::optional<std::pair<size_t, size_t>> FirstDefect(const std::vector<cv::Point2d>& v) {
  const size_t n = v.size();
  std::optional<std::pair<size_t, size_t>> first;
  auto consider = [&](size_t i, size_t j) {
    if (!first || std::make_pair(i, j) < *first) first = std::make_pair(i, j);
  };
  for (size_t i = 0; i + 1 < n; ++i)
    if (v[i] == v[i + 1]) consider(i, i + 1);
  if (v[n - 1] == v[0]) consider(0, n - 1);

  double x0 = v[0].x, x1 = x0, y0 = v[0].y, y1 = y0;
  for (const cv::Point2d& p : v) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const int k = std::max(1, int(std::sqrt(double(n))));
  const double cw = std::max((x1 - x0) / k, 1e-12), ch = std::max((y1 - y0) / k, 1e-12);
  auto cell = [&](double value, double origin, double size) {
    return std::clamp(int((value - origin) / size), 0, k - 1);
  };
  std::vector<std::vector<size_t>> cells(size_t(k) * k);
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d a = v[i], b = v[(i + 1) % n];
    for (int cy = cell(std::min(a.y, b.y), y0, ch); cy <= cell(std::max(a.y, b.y), y0, ch); ++cy)
      for (int cx = cell(std::min(a.x, b.x), x0, cw); cx <= cell(std::max(a.x, b.x), x0, cw); ++cx)
        cells[size_t(cy) * k + cx].push_back(i);
  }
  for (const std::vector<size_t>& edges : cells) {
    for (size_t p = 0; p < edges.size(); ++p) {
      for (size_t q = p + 1; q < edges.size(); ++q) {
        const size_t i = std::min(edges[p], edges[q]), j = std::max(edges[p], edges[q]);
        const bool adjacent = j == i + 1 || (i == 0 && j == n - 1);
        if (adjacent || (first && std::make_pair(i, j) >= *first)) continue;
        if (SegmentsTouch(v[i], v[(i + 1) % n], v[j], v[(j + 1) % n])) consider(i, j);
      }
    }
  }
  return first;
}

// Signed area of (triangle origin, a, b) intersected with the disc of radius r at the origin.
double TriangleDiscArea(cv::Point2d a, cv::Point2d b, double r) {
  // Split ab where it crosses the circle; each piece is wholly inside (a triangle) or
  // wholly outside (a circular sector).
  const cv::Point2d d = b - a;
  const double qa = d.dot(d), qb = 2 * a.dot(d), qc = a.dot(a) - r * r;
  std::vector<double> ts = {0.0};
  const double disc = qb * qb - 4 * qa * qc;
  if (qa > 0 && disc > 0) {
    const double s = std::sqrt(disc);
    for (double t : {(-qb - s) / (2 * qa), (-qb + s) / (2 * qa)}) {
      if (t > 0 && t < 1) ts.push_back(t);
    }
  }
  ts.push_back(1.0);
  double area = 0;
  for (size_t i = 0; i + 1 < ts.size(); ++i) {
    const cv::Point2d p = a + ts[i] * d, q = a + ts[i + 1] * d;
    const cv::Point2d mid = 0.5 * (p + q);
    if (mid.dot(mid) <= r * r) {
      area += 0.5 * Cross(p, q);
    } else {
      area += 0.5 * r * r * std::atan2(Cross(p, q), p.dot(q));
    }
  }
  return area;
}

}  // namespace

double SignedArea(const Polygon& p) {
  double twice = 0;
  for (size_t i = 0, n = p.size(); i < n; ++i) twice += Cross(p[i], p[(i + 1) % n]);
  return 0.5 * twice;
}

Polygon ClipToHalfPlane(const Polygon& subject, cv::Point2d a, cv::Point2d b) {
  Polygon out;
  const cv::Point2d edge = b - a;
  for (size_t i = 0, n = subject.size(); i < n; ++i) {
    const cv::Point2d p = subject[i], q = subject[(i + 1) % n];
    const double sp = Cross(edge, p - a), sq = Cross(edge, q - a);
    if (sp >= 0) out.push_back(p);
    if ((sp >= 0) != (sq >= 0)) out.push_back(p + (sp / (sp - sq)) * (q - p));
  }
  return out;
}

bool WithinHalfPlane(const Polygon& subject, cv::Point2d a, cv::Point2d b) {
  const cv::Point2d edge = b - a;
  for (const cv::Point2d& p : subject) {
    if (!(Cross(edge, p - a) >= 0)) return false;
  }
  return true;
}

Polygon ClipToConvex(const Polygon& subject, const Polygon& convex) {
  Polygon out = subject;
  for (size_t i = 0, n = convex.size(); i < n && !out.empty(); ++i) {
    out = ClipToHalfPlane(out, convex[i], convex[(i + 1) % n]);
  }
  return out;
}

double DiscIntersectionArea(const Polygon& polygon, cv::Point2d centre, double r) {
  double area = 0;
  for (size_t i = 0, n = polygon.size(); i < n; ++i) {
    area += TriangleDiscArea(polygon[i] - centre, polygon[(i + 1) % n] - centre, r);
  }
  return std::abs(area);
}

Window Window::Rectangle(double x0, double y0, double x1, double y1) {
  if (!(x1 > x0 && y1 > y0)) throw WindowError("the window has zero area");
  return FromPolygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
}

Window Window::FromPolygon(Polygon v) {
  if (v.size() > 1 && v.front() == v.back()) v.pop_back();
  if (v.size() < 3)
    throw WindowError("a window needs at least 3 vertices, got " + std::to_string(v.size()));
  for (const cv::Point2d& p : v) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      throw WindowError("a window vertex is not a finite number");
  }
  const size_t n = v.size();
  if (const auto bad = FirstDefect(v)) {
    const auto [i, j] = *bad;
    const bool adjacent = j == i + 1 || (i == 0 && j == n - 1);
    if (adjacent) throw WindowError("the window repeats a vertex");
    throw WindowError("the window polygon intersects itself (edges " + std::to_string(i) + " and " +
                      std::to_string(j) + ")");
  }
  const double area = SignedArea(v);
  if (!(std::abs(area) > 0)) throw WindowError("the window has zero area");
  if (area < 0) std::reverse(v.begin(), v.end());
  Window w;
  w.vertices_ = std::move(v);
  w.area_ = std::abs(area);
  double x0 = w.vertices_[0].x, x1 = x0, y0 = w.vertices_[0].y, y1 = y0;
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d p = w.vertices_[i];
    w.perimeter_ += cv::norm(w.vertices_[(i + 1) % n] - p);
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  w.bounds_ = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
  w.is_rectangle_ = n == 4 && std::abs(w.area_ - w.bounds_.area()) <= 1e-12 * w.area_;
  w.grid_ = MakeEdgeGrid(w);
  return w;
}

// Edges bucketed on a grid over the window's bounding box: a cell lists every edge whose
// bounding box (widened by a hair) meets it, and a cell that lists none lies wholly inside
// or wholly outside the window, which its `side` records. Only worth it for many edges.
struct Window::EdgeGrid {
  static constexpr size_t kMinEdges = 64;
  double x0 = 0, y0 = 0, size = 1;  // top-left corner and side of the cells
  int cols = 0, rows = 0;
  std::vector<int> first;  // edges of cell c: edge[first[c]] ... edge[first[c + 1] - 1]
  std::vector<int> edge;
  std::vector<signed char> side;  // per cell: 1 inside, 0 outside, -1 crossed by edges

  int Col(double x) const { return std::clamp(int(std::floor((x - x0) / size)), 0, cols - 1); }
  int Row(double y) const { return std::clamp(int(std::floor((y - y0) / size)), 0, rows - 1); }
};

// The grid of `w` (built once its vertices, bounds and orientation are final): about one
// cell per edge, so a cell holds a few edges.
std::shared_ptr<const Window::EdgeGrid> Window::MakeEdgeGrid(const Window& w) {
  const Polygon& v = w.vertices();
  const size_t n = v.size();
  if (n < EdgeGrid::kMinEdges) return nullptr;
  auto g = std::make_shared<EdgeGrid>();
  const cv::Rect2d b = w.bounds();
  const double hair = 1e-9 * (b.width + b.height);
  g->size = std::max(std::sqrt(b.area() / double(n)), 4 * hair);
  g->x0 = b.x - hair;
  g->y0 = b.y - hair;
  g->cols = int(std::ceil((b.width + 2 * hair) / g->size)) + 1;
  g->rows = int(std::ceil((b.height + 2 * hair) / g->size)) + 1;
  const size_t cells = size_t(g->cols) * size_t(g->rows);
  std::vector<std::vector<int>> lists(cells);
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d a = v[i], c = v[(i + 1) % n];
    const int cx0 = g->Col(std::min(a.x, c.x) - hair), cx1 = g->Col(std::max(a.x, c.x) + hair);
    const int cy0 = g->Row(std::min(a.y, c.y) - hair), cy1 = g->Row(std::max(a.y, c.y) + hair);
    for (int cy = cy0; cy <= cy1; ++cy)
      for (int cx = cx0; cx <= cx1; ++cx) lists[size_t(cy) * g->cols + cx].push_back(int(i));
  }
  g->first.assign(cells + 1, 0);
  for (size_t c = 0; c < cells; ++c) {
    g->first[c + 1] = g->first[c] + int(lists[c].size());
    g->edge.insert(g->edge.end(), lists[c].begin(), lists[c].end());
  }
  // Sides: two empty cells side by side (closed squares no edge meets) form one connected
  // set without boundary points, so they lie on the same side. One pass over every edge
  // per connected group of empty cells, found by flood fill, rather than one per cell.
  g->side.assign(cells, -1);
  std::vector<size_t> stack;
  for (size_t seed = 0; seed < cells; ++seed) {
    if (!lists[seed].empty() || g->side[seed] >= 0) continue;
    const cv::Point2d centre(g->x0 + (double(seed % g->cols) + 0.5) * g->size,
                             g->y0 + (double(seed / g->cols) + 0.5) * g->size);
    const signed char side = w.ContainsByEveryEdge(centre) ? 1 : 0;
    g->side[seed] = side;
    stack.assign(1, seed);
    while (!stack.empty()) {
      const size_t c = stack.back();
      stack.pop_back();
      const int cx = int(c % g->cols), cy = int(c / g->cols);
      for (const auto& [dx, dy] : {std::pair{-1, 0}, std::pair{1, 0}, std::pair{0, -1}, std::pair{0, 1}}) {
        if (cx + dx < 0 || cx + dx >= g->cols || cy + dy < 0 || cy + dy >= g->rows) continue;
        const size_t d = size_t(cy + dy) * g->cols + size_t(cx + dx);
        if (lists[d].empty() && g->side[d] < 0) {
          g->side[d] = side;
          stack.push_back(d);
        }
      }
    }
  }
  return g;
}

bool Window::ContainsByEveryEdge(cv::Point2d p) const {
  bool inside = false;
  for (size_t i = 0, n = vertices_.size(); i < n; ++i) {
    const cv::Point2d a = vertices_[i], b = vertices_[(i + 1) % n];
    // On the boundary? Only possible within the edge's bounding box: the cheap test first.
    const bool in_box = std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) &&
                        std::min(a.y, b.y) <= p.y && p.y <= std::max(a.y, b.y);
    if (in_box && SegmentDistance(p, a, b) == 0) return true;
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
      inside = !inside;
  }
  return inside;
}

double Window::DistanceToBoundaryByEveryEdge(cv::Point2d p) const {
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0, n = vertices_.size(); i < n; ++i) {
    best = std::min(best, SegmentDistance(p, vertices_[i], vertices_[(i + 1) % n]));
  }
  return best;
}

bool Window::Contains(cv::Point2d p) const {
  if (!grid_) return ContainsByEveryEdge(p);
  // Outside the closed bounding box nothing is inside (and the pass over every edge finds
  // an even number of crossings there).
  if (p.x < bounds_.x || p.y < bounds_.y || p.x > bounds_.br().x || p.y > bounds_.br().y) return false;
  const signed char side = grid_->side[size_t(grid_->Row(p.y)) * grid_->cols + grid_->Col(p.x)];
  return side >= 0 ? side == 1 : ContainsByEveryEdge(p);
}

bool Window::InteriorContainsBox(cv::Point2d lo, cv::Point2d hi) const {
  // Within the grid's reach (the bounds), Row and Col do not clamp.
  if (!grid_ || lo.x < bounds_.x || lo.y < bounds_.y || hi.x > bounds_.br().x || hi.y > bounds_.br().y)
    return false;
  // The closed cells from the box's first column and row to its last cover it.
  for (int row = grid_->Row(lo.y); row <= grid_->Row(hi.y); ++row) {
    for (int col = grid_->Col(lo.x); col <= grid_->Col(hi.x); ++col) {
      if (grid_->side[size_t(row) * grid_->cols + size_t(col)] != 1) return false;
    }
  }
  return true;
}

double Window::DistanceToBoundary(cv::Point2d p) const {
  if (!grid_ || p.x < grid_->x0 || p.y < grid_->y0 || p.x >= grid_->x0 + grid_->cols * grid_->size ||
      p.y >= grid_->y0 + grid_->rows * grid_->size)
    return DistanceToBoundaryByEveryEdge(p);
  // Rings of cells around p's cell: once the best distance is at most k cell sides, no
  // edge outside ring k (all of which lie beyond it) can be nearer. The minimum over the
  // edges seen is then the minimum over all, each distance computed as the full pass does.
  const EdgeGrid& g = *grid_;
  const int col = g.Col(p.x), row = g.Row(p.y);
  const size_t n = vertices_.size();
  double best = std::numeric_limits<double>::infinity();
  for (int k = 0; k <= std::max(g.cols, g.rows); ++k) {
    for (int cy = row - k; cy <= row + k; ++cy) {
      if (cy < 0 || cy >= g.rows) continue;
      const bool edge_row = cy == row - k || cy == row + k;
      for (int cx = col - k; cx <= col + k; cx += (edge_row ? 1 : 2 * k)) {
        if (cx >= 0 && cx < g.cols) {
          const size_t c = size_t(cy) * g.cols + cx;
          for (int e = g.first[c]; e < g.first[c + 1]; ++e) {
            const size_t i = size_t(g.edge[size_t(e)]);
            best = std::min(best, SegmentDistance(p, vertices_[i], vertices_[(i + 1) % n]));
          }
        }
      }
    }
    if (best <= k * g.size) break;
  }
  return best;
}

std::vector<char> Window::ContainsEach(const std::vector<cv::Point2d>& points) const {
  std::vector<char> inside(points.size());
  tbb::parallel_for(size_t(0), points.size(), [&](size_t i) { inside[i] = Contains(points[i]); });
  ThrowIfCancelled();
  return inside;
}

std::vector<double> Window::DistancesToBoundary(const std::vector<cv::Point2d>& points) const {
  std::vector<double> distance(points.size());
  tbb::parallel_for(size_t(0), points.size(), [&](size_t i) { distance[i] = DistanceToBoundary(points[i]); });
  ThrowIfCancelled();
  return distance;
}

}  // namespace needlescope::uniformity
