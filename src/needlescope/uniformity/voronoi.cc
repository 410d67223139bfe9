#include "needlescope/uniformity/voronoi.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "needlescope/tiling/cancellation.h"
#include "needlescope/uniformity/point_index.h"

namespace needlescope::uniformity {
namespace {

// Keeps the half-plane of points at least as close to p as to q of a convex polygon; false,
// and the cell untouched, when the bisector misses it, as it does for points within twice
// the cell's reach but beyond its true neighbours.
bool CutByBisector(Polygon* cell, cv::Point2d p, cv::Point2d q) {
  const cv::Point2d mid = 0.5 * (p + q), dir = q - p;
  // Line through mid perpendicular to dir, oriented so that p is on its left.
  const cv::Point2d a = mid, b = mid + cv::Point2d(-dir.y, dir.x);
  if (WithinHalfPlane(*cell, a, b)) return false;
  *cell = ClipToHalfPlane(*cell, a, b);
  return true;
}

// The first search radius, in index cells (two points each on average). The cell is cut by
// the points in order of distance until the next is beyond twice its farthest vertex,
// round after round of doubling radius, so the radius decides only how many points are
// gathered and sorted, never which cuts are made. On the DirichletTiles kernel 1.5 was as
// quick as 1.0 and quicker than 2.5, which gathers nearly three times the points.
constexpr double kFirstReach = 1.5;

// Whether a (non-empty) cell lies in the window's interior, by its bounding box.
bool InWindowInterior(const Polygon& cell, const Window& window) {
  cv::Point2d lo = cell[0], hi = cell[0];
  for (const cv::Point2d& v : cell) {
    lo.x = std::min(lo.x, v.x), hi.x = std::max(hi.x, v.x);
    lo.y = std::min(lo.y, v.y), hi.y = std::max(hi.y, v.y);
  }
  return window.InteriorContainsBox(lo, hi);
}

double FarthestVertex(const Polygon& cell, cv::Point2d p) {
  double r = 0;
  for (const cv::Point2d& v : cell) r = std::max(r, cv::norm(v - p));
  return r;
}

}  // namespace

std::vector<Polygon> DirichletTiles(const std::vector<cv::Point2d>& points, const Window& window) {
  const PointIndex index(points);
  const cv::Rect2d f = window.bounds();
  const Polygon frame = {
      {f.x, f.y}, {f.x + f.width, f.y}, {f.x + f.width, f.y + f.height}, {f.x, f.y + f.height}};
  std::vector<Polygon> tiles(points.size());
  // Each tile depends only on the points, so computing them in parallel changes nothing.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, points.size(), 256),
                    [&](const tbb::blocked_range<size_t>& range) {
                      std::vector<std::pair<double, int>> near;
                      for (size_t i = range.begin(); i != range.end(); ++i) {
                        const cv::Point2d p = points[i];
                        Polygon cell = frame;
                        double farthest = FarthestVertex(cell, p);  // kept up to date with the cell
                        // Grow the search radius until every point that could still cut the cell
                        // (closer than twice the cell's farthest vertex) has been used.
                        double searched = 0;
                        double reach = kFirstReach * index.cell_size();
                        for (;;) {
                          near.clear();
                          index.ForEachWithin(p, reach, int(i), [&](int j) {
                            const double d = cv::norm(points[size_t(j)] - p);
                            if (d > searched) near.emplace_back(d, j);
                          });
                          std::sort(near.begin(), near.end());
                          for (const auto& [d, j] : near) {
                            if (d > 2 * farthest) break;
                            if (CutByBisector(&cell, p, points[size_t(j)])) farthest = FarthestVertex(cell, p);
                          }
                          searched = reach;
                          if (2 * farthest <= reach) break;
                          reach *= 2;
                        }
                        // A cell wholly inside the window is its own tile; clipping the
                        // window's outline (thousands of vertices for a traced region) to it
                        // would only rebuild it, up to rounding.
                        const bool inside =
                            window.is_rectangle() || (!cell.empty() && InWindowInterior(cell, window));
                        tiles[i] = inside ? cell : ClipToConvex(window.vertices(), cell);
                      }
                    });
  ThrowIfCancelled();
  return tiles;
}

double CoverageFraction(const std::vector<cv::Point2d>& points,
                        const std::vector<Polygon>& tiles,
                        const Window& window,
                        double radius) {
  double covered = 0;
  for (size_t i = 0; i < points.size(); ++i)
    covered += DiscIntersectionArea(tiles[i], points[i], radius);
  return covered / window.area();
}

EmptyCircle LargestEmptyCircle(const std::vector<cv::Point2d>& points,
                               const std::vector<Polygon>& tiles,
                               const Window& window) {
  // For a concave window, clipping leaves zero-width bridges along cut lines, and cutting a
  // bridge again makes vertices outside the window: those are not candidate centres. (The
  // tolerance keeps true vertices that rounding put a hair outside the boundary.)
  const double tolerance = 1e-9 * (window.bounds().width + window.bounds().height);
  EmptyCircle best;
  for (size_t i = 0; i < points.size(); ++i) {
    for (const cv::Point2d& v : tiles[i]) {
      const double d = cv::norm(v - points[i]);
      if (d <= best.radius) continue;
      if (!window.is_rectangle() && !window.Contains(v) && window.DistanceToBoundary(v) > tolerance)
        continue;
      best = {d, v};
    }
  }
  return best;
}

}  // namespace needlescope::uniformity
