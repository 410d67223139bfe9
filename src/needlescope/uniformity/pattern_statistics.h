#pragma once

// Point-pattern statistics over a window, defined as R's spatstat defines them (reference
// values and definitions: ../shared/reference/spatstat/README.md; docs/uniformity.md).
// Undefined values are std::nullopt with a reason, never NaN.

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "needlescope/uniformity/window.h"

namespace needlescope::uniformity {

struct Summary {
  double mean = 0, sd = 0, cv = 0;  // sd with denominator n - 1 (R's sd); cv = sd / mean
  double min = 0, median = 0, max = 0;
};
Summary Summarise(std::vector<double> values);  // needs >= 2 values

// Nearest-neighbour distance of every point (spatstat nndist: no edge correction).
std::vector<double> NearestNeighbourDistances(const std::vector<cv::Point2d>& points);

struct ClarkEvans {
  double naive = 0;                // mean NN distance / (0.5 sqrt(A / n))
  std::optional<double> donnelly;  // rectangles only
  std::optional<double> cdf;       // Kaplan-Meier G; undefined when every NN distance is censored
  double z = 0, p_two_sided = 0;   // asymptotic Z test, no edge correction
  std::string cdf_note;            // why cdf is undefined, when it is
};
// Needs n >= 2 points, all inside the window.
ClarkEvans ComputeClarkEvans(const std::vector<cv::Point2d>& points,
                             const std::vector<double>& nn,
                             const Window& window);

struct Quadrats {
  int k = 0;
  // counts[iy][ix], iy = 0 the row of smallest y (the image's top row); -1 = a cell with no
  // area inside the window (not used).
  std::vector<std::vector<int>> counts;
  std::vector<std::vector<double>> cell_area_in_window;
  int cells_used = 0;
  double mean = 0, sd = 0, cv = 0;  // counts over the used cells, sd with denominator cells - 1
  double chi2 = 0;
  int df = 0;
  double p_two_sided = 0, p_clustered = 0, p_regular = 0;
  double morisita = 0;  // Morisita's index (equal-area form over the used cells); 1 = random
  double min_expected = 0;
};
// k x k equal cells over the window's bounding box; a point goes to [a, b) in x and y, the
// last cell closed. Needs k >= 1 and at least one point.
Quadrats ComputeQuadrats(const std::vector<cv::Point2d>& points, const Window& window, int k);

}  // namespace needlescope::uniformity
