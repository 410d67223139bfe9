#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/validate/cartridge.h"

namespace needlescope::validate {

// Groups of holes that lie closer to each other than `link_px` (single linkage), each as
// indices into `holes`, ordered by their first hole; deterministic.
std::vector<std::vector<int>> ClusterHoles(const std::vector<cv::Point2d>& holes, double link_px);

// One stamp of the cartridge fitted to a cluster of holes: layout (mm) -> photo (px) by
// rotation, scale and translation.
struct StampFit {
  bool fitted = false;
  double x = 0, y = 0;        // the layout's centre in the photo, px
  double angle_deg = 0;       // rotation of the layout, [0, 360)
  double px_per_mm = 0;       // scale
  double residual_px = 0;     // RMS distance of the matched holes from their needles
  std::vector<int> hole_of_needle;  // per needle: the matched hole (index into the holes given), or -1
  int unexplained_holes = 0;        // holes of the cluster matched to no needle
  std::vector<cv::Point2d> needles_px;  // where each needle lands in the photo
};

// Fits the layout to the cluster's holes. px_per_mm: the scale when known (> 0; fixed), else
// `pitch_px` / layout.pitch_mm as the start, refined per stamp. Robust to missing needles
// and extra holes: every pair of neighbouring holes against every pair of layout needles as
// far apart proposes a pose; the pose matching most holes within `match_px` (fewest RMS
// residual among ties) is refined by least squares on its matches.
StampFit FitStamp(const std::vector<cv::Point2d>& holes, const std::vector<int>& cluster,
                  const CartridgeLayout& layout, double pitch_px, double px_per_mm, double match_px);

}  // namespace needlescope::validate
