#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::validate {

// A pen cartridge's needle layout (models/cartridges/*.json, schema in
// models/cartridges/README.md): where each needle sits, in mm from the layout's centre, in
// the cartridge's index order.
struct CartridgeLayout {
  std::string name, description, source;
  std::vector<cv::Point2d> needles_mm;
  // Derived: the median nearest-neighbour distance (mm), and the rotations (degrees, 0 first)
  // that map the layout onto itself within a tenth of the pitch: from the holes alone a stamp's
  // needle indices are known only up to these.
  double pitch_mm = 0;
  std::vector<double> symmetry_deg;
  // symmetry_permutation[k][i]: the needle that needle i lands on under symmetry_deg[k].
  std::vector<std::vector<int>> symmetry_permutation;
};

// Parses and checks a layout document; throws std::invalid_argument saying what is wrong
// (fewer than 3 needles, two needles closer than 0.05 mm, a field of the wrong type).
CartridgeLayout ParseCartridgeLayout(const std::string& json_text);

// The median over points of the distance to the nearest other point (a layout's or a photo's
// holes' pitch; uniformity's nearest-neighbour distances). Needs 2 or more points.
double MedianNearestNeighbour(const std::vector<cv::Point2d>& points);

// Fills pitch_mm, symmetry_deg and symmetry_permutation from needles_mm.
void DeriveLayoutGeometry(CartridgeLayout* layout);

}  // namespace needlescope::validate
