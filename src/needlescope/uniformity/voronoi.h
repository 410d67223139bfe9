#pragma once

// Dirichlet (Voronoi) tiles of a point pattern clipped to its window, and what they give
// exactly: tile areas, the coverage of discs around the points (the union of discs is the
// disjoint union of each disc clipped to its own tile), and the largest empty circle (the
// distance to the nearest point is convex on each tile, so its maximum over the window is
// at a tile vertex).

#include <opencv2/core.hpp>
#include <vector>

#include "needlescope/uniformity/window.h"

namespace needlescope::uniformity {

// tiles[i] = {u in window : |u - points[i]| <= |u - points[j]| for all j}, as one polygon
// (for a concave window a tile may be in pieces joined by zero-width bridges; its area is
// still right). Each tile is the window's bounding box cut by the bisectors with the
// neighbours within twice its farthest vertex (which makes it exact), then clipped to the
// window. Points must be inside the window and distinct.
std::vector<Polygon> DirichletTiles(const std::vector<cv::Point2d>& points, const Window& window);

// |union of discs(points, r) inside the window| / |window|, exact.
double CoverageFraction(const std::vector<cv::Point2d>& points,
                        const std::vector<Polygon>& tiles,
                        const Window& window,
                        double radius);

struct EmptyCircle {
  double radius = 0;
  cv::Point2d centre;
};
// The largest circle centred in the window containing no point (it may stick out of the
// window): max over tile vertices inside the window of the distance to the tile's point.
EmptyCircle LargestEmptyCircle(const std::vector<cv::Point2d>& points, const std::vector<Polygon>& tiles,
                               const Window& window);

}  // namespace needlescope::uniformity
