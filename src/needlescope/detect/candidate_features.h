#pragma once

// Measures a scale-space maximum's features (candidate.h) in one padded tile.

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"
#include "needlescope/detect/scale_space.h"

namespace needlescope::detect {

// `od`: the tile's optical density, CV_32FC3 in R, G, B order; `plane`: the channel the
// stack was computed on (CV_32F); `stack`: its LoG responses; `origin`: the tile's top-left
// pixel in the image (distances are computed in image coordinates, so that a candidate's
// measurements do not depend on the tiling).
Candidate MeasureCandidate(const SpotMaximum& spot, const cv::Mat& od, const cv::Mat& plane,
                           const std::vector<cv::Mat>& stack, const color::Unmixer& unmixer,
                           cv::Point origin);

// Candidate::stain_contrast_wide of a measured candidate (its centre, radius and ring
// colour), on the same tile planes. Only `--target stain` needs it.
double WideStainContrast(const Candidate& c, const cv::Mat& od, const cv::Mat& plane,
                         cv::Point origin);

}  // namespace needlescope::detect
