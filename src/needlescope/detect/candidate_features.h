#pragma once

// Measures a scale-space maximum's features (candidate.h) in one padded tile.

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"
#include "needlescope/detect/scale_space.h"

namespace needlescope::detect {

// One padded tile's planes, as candidates are measured on them.
struct TilePlanes {
  cv::Mat od;        // CV_32FC3: optical density in R, G, B order
  cv::Mat plane;     // CV_32F: the channel the LoG stack was computed on
  // CV_8U: when `plane` is one channel's optical density, that channel's 8-bit codes
  // (plane = float(color::OpticalDensityTable()[code])), which make its ring median cheap;
  // empty for the other planes.
  cv::Mat plane_codes;
  cv::Point origin;  // the tile's top-left pixel in the image
};

// `stack`: the LoG responses of `tile.plane`. Distances are computed in image coordinates,
// so that a candidate's measurements do not depend on the tiling.
Candidate MeasureCandidate(const SpotMaximum& spot, const TilePlanes& tile,
                           const std::vector<cv::Mat>& stack, const color::Unmixer& unmixer);

// Candidate::stain_contrast_wide of a measured candidate (its centre, radius and ring
// colour), on the same tile planes. Only `--target stain` needs it.
double WideStainContrast(const Candidate& c, const TilePlanes& tile);

}  // namespace needlescope::detect
