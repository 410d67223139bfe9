#pragma once

// How strongly a spot at a known position shows in a photo: a joint least-squares fit of
// Gaussian spot profiles over a small window (docs/compare.md, "Persistence"). Used to
// decide whether a BEFORE puncture is still there in AFTER, where a healing puncture may be
// too faint for the detector's candidates but its position is known from the alignment.

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/point_grid.h"

namespace needlescope::healing {

// A spot as it appears in the photo: centre (px) and width, the 1/e radius of its profile
// exp(-d^2 / r^2) including the camera's blur.
struct Spot {
  double x = 0, y = 0, radius_px = 1;
};

// Peak amplitude, in green optical density, of spots[target] in `bgr` (CV_8UC3): the model
// over the window of half-size 3 r + 3 px around it (clipped to the image) is
// a + b x + c y + sum_k A_k exp(-d_k^2 / r_k^2), over the target and every other spot whose
// profile reaches the window (within 2 r_k of it), so that crowded neighbours are not read
// as the target's background. Solved by SVD (two coincident neighbours do not break it).
// One call per target; independent of the order of `spots` up to rounding.
class SpotFitter {
 public:
  SpotFitter(const cv::Mat& bgr, std::vector<Spot> spots);
  double Amplitude(size_t target) const;

 private:
  cv::Mat bgr_;
  std::vector<Spot> spots_;
  detect::PointGrid grid_;  // spot ids, cells as wide as the farthest reach
};

}  // namespace needlescope::healing
