#pragma once

// The observation window of a point pattern: a simple polygon (a rectangle is the common
// case). Coordinates in px of the image (x right, y down); every statistic here is
// unchanged by the y flip against spatstat's y-up convention except the quadrat layout.

#include <opencv2/core.hpp>
#include <memory>
#include <string>
#include <vector>

namespace needlescope::uniformity {

using Polygon = std::vector<cv::Point2d>;

class Window {
 public:
  static Window Rectangle(double x0, double y0, double x1, double y1);  // needs x1 > x0, y1 > y0
  // Throws WindowError unless `vertices` is a simple polygon (>= 3 vertices, non-zero area,
  // no two edges crossing). Either orientation; a closing vertex equal to the first is
  // dropped.
  static Window FromPolygon(Polygon vertices);

  const Polygon& vertices() const { return vertices_; }  // anticlockwise in y-up terms
  bool is_rectangle() const { return is_rectangle_; }
  double area() const { return area_; }
  double perimeter() const { return perimeter_; }
  cv::Rect2d bounds() const { return bounds_; }
  // Closed set: points on the boundary are inside. For a window of many edges (a traced
  // outline has thousands) both look up the edges near p on a grid first; the answers are
  // exactly those of a pass over every edge (tests compare the two).
  bool Contains(cv::Point2d p) const;
  double DistanceToBoundary(cv::Point2d p) const;
  // The same for many points at once, in parallel (each point's answer is computed exactly
  // as alone).
  std::vector<char> ContainsEach(const std::vector<cv::Point2d>& points) const;
  std::vector<double> DistancesToBoundary(const std::vector<cv::Point2d>& points) const;
  // Whether the closed box [lo, hi] lies in the window's interior (no boundary point in it),
  // as the edge grid tells it: every grid cell the box meets is one no edge meets, inside.
  // False whenever that does not settle it (no grid, an edge near, the box beyond the
  // bounds). Corners rather than a Rect2d, whose far corner is a sum and may round.
  bool InteriorContainsBox(cv::Point2d lo, cv::Point2d hi) const;
  // The pass over every edge, without the grid: what the two above must equal.
  bool ContainsByEveryEdge(cv::Point2d p) const;
  double DistanceToBoundaryByEveryEdge(cv::Point2d p) const;

 private:
  Polygon vertices_;
  bool is_rectangle_ = false;
  double area_ = 0, perimeter_ = 0;
  cv::Rect2d bounds_;
  struct EdgeGrid;  // window.cc; shared, so that copying a window stays cheap
  std::shared_ptr<const EdgeGrid> grid_;
  static std::shared_ptr<const EdgeGrid> MakeEdgeGrid(const Window& w);
};

class WindowError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Polygon helpers (any simple polygon, either orientation unless said).
double SignedArea(const Polygon& p);  // shoelace; > 0 anticlockwise in y-up terms
// The part of `subject` on the side of the line a->b where `keep(p)` = cross(b - a, p - a)
// >= 0 (Sutherland-Hodgman against one half-plane). Correct area for concave subjects too.
Polygon ClipToHalfPlane(const Polygon& subject, cv::Point2d a, cv::Point2d b);
// Whether every vertex of `subject` is kept by that test: ClipToHalfPlane would then return
// `subject` itself, vertex for vertex.
bool WithinHalfPlane(const Polygon& subject, cv::Point2d a, cv::Point2d b);
// `subject` clipped to a convex polygon given anticlockwise (SignedArea > 0).
Polygon ClipToConvex(const Polygon& subject, const Polygon& convex);
// Area of the intersection of a polygon with the disc (centre, r), exact (sum over edges of
// signed triangle-disc intersection areas). Any simple polygon; returns |area|.
double DiscIntersectionArea(const Polygon& polygon, cv::Point2d centre, double r);

}  // namespace needlescope::uniformity
