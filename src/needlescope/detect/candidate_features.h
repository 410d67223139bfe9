#pragma once

// Measures a scale-space maximum's features (candidate.h) in one padded tile.

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"
#include "needlescope/detect/scale_space.h"

namespace needlescope::detect {

// One padded tile, as candidates are measured on it.
struct TilePlanes {
  // CV_8UC3: the photo's pixels (B, G, R) over the tile; their optical density is
  // color::OpticalDensityFloatTable() of each code.
  cv::Mat bgr;
  cv::Mat plane;  // CV_32F: the plane the LoG stack was computed on
  // When `plane` is one channel's optical density, that channel's index in `bgr` (its
  // codes make the ring median cheap); -1 for the other planes.
  int plane_channel = -1;
  cv::Point origin;  // the tile's top-left pixel in the image
};

// `stack`: the LoG responses of `tile.plane`. Distances are computed in image coordinates,
// so that a candidate's measurements do not depend on the tiling.
Candidate MeasureCandidate(const SpotMaximum& spot, const TilePlanes& tile,
                           const std::vector<cv::Mat>& stack, const color::Unmixer& unmixer);

// Candidate::stain_contrast_wide of a measured candidate (its centre, radius and ring
// colour), on the same tile planes: `weights` (R, G, B) applied to the OD of a disc 1 px
// wider than the spot minus its ring's (stain_direction.h). Only `--target stain` needs it.
double WideStainContrast(const Candidate& c, const TilePlanes& tile, const color::Rgb& weights);

}  // namespace needlescope::detect
