#pragma once

// Coverage uniformity of a puncture pattern (docs/uniformity.md): the statistics of
// pattern_statistics.h and voronoi.h over a window, gap and hotspot regions, and a score
// with a verdict. Works on any point set; `analyze` feeds it the detected punctures inside
// the treated region.

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "needlescope/uniformity/pattern_statistics.h"
#include "needlescope/uniformity/voronoi.h"
#include "needlescope/uniformity/window.h"

namespace needlescope::uniformity {

struct UniformityOptions {
  std::vector<int> quadrat_k = {4, 8};       // grids k x k, each k in [1, 64]
  std::vector<double> effect_radii_px = {};  // coverage radii, px, each > 0
  // A gap is window area farther than this from every puncture; 0 = 1.5 x the mean spacing
  // 1/sqrt(intensity) (a Poisson pattern leaves ~0.1 % of its window that far).
  double gap_distance_px = 0;
  // A hotspot is where the Gaussian kernel density (bandwidth 0 = the mean spacing) exceeds
  // this multiple of the mean intensity.
  double hotspot_factor = 2.0;      // > 1
  double hotspot_bandwidth_px = 0;  // >= 0
  double mm_per_px = 0;             // > 0 when known: adds mm and cm² figures
  std::optional<std::pair<double, double>> target_density_per_cm2;  // needs mm_per_px

  std::string Check() const;  // empty when valid, else "uniformity.<field> = <value>: <rule>"
};

struct Region {
  Polygon outline;  // px
  double area_px = 0;
};

struct UniformityResult {
  int n = 0;
  double window_area_px = 0;
  double intensity_per_mpx = 0;
  std::optional<double> intensity_per_cm2;
  // Statistics that need >= 2 points are absent below that; `undefined` says why.
  std::optional<Summary> nn;
  std::optional<ClarkEvans> clark_evans;
  std::vector<Quadrats> quadrats;  // one per options.quadrat_k (needs >= 1 point)
  std::optional<Summary> voronoi;
  std::vector<std::pair<double, double>> coverage;  // (radius_px, fraction)
  std::optional<EmptyCircle> largest_empty_circle;
  double gap_distance_px = 0, hotspot_bandwidth_px = 0, hotspot_factor_used = 0;  // as used
  std::vector<Region> gaps, hotspots;
  double gap_fraction = 0, hotspot_fraction = 0;  // of the window's area
  std::optional<double> score;                    // 0-100
  std::string verdict;                            // even, random, gaps, clustered, sparse
  std::optional<bool> density_in_target;
  std::string undefined;  // why some metrics are missing, or ""
};

// Throws WindowError when a point lies outside the window.
UniformityResult MeasureUniformity(const std::vector<cv::Point2d>& points,
                                   const Window& window,
                                   const UniformityOptions& options);

}  // namespace needlescope::uniformity
