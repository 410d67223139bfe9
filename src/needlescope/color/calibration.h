#pragma once

// Camera calibration of the melanin and hemoglobin directions (docs/redness.md,
// "Calibrating a camera"). The directions depend on the camera's spectral sensitivities and
// processing; a fixed literature pair leaks melanin into hemoglobin on cameras unlike the one
// it was measured with (moles would read as redness). Per-image estimation is unstable (too
// little pigment variation in one photo), but pooled over many photos of one camera,
// independent component analysis (Tsumura et al. 1999) recovers both directions.

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"

namespace needlescope::color {

// Shading-free OD samples of one photo's skin pixels, centred on that photo's mean (which
// removes its white balance and skin tone), on a regular grid of at most ~max_samples.
std::vector<cv::Vec2d> CalibrationSamples(const cv::Mat& bgr, const cv::Mat& skin, int max_samples);

struct Calibration {
  ChromophoreVectors vectors;  // scaled to the prior's shading-free lengths (same units)
  double melanin_angle_to_prior_deg = 0;
  double hemoglobin_angle_to_prior_deg = 0;
  double separation_deg = 0;  // between the two estimated directions
  double negentropy = 0;      // of the best rotation (higher: more clearly non-Gaussian)
  size_t samples = 0;
};

// 2-D ICA of pooled samples: whiten, then the rotation maximising the summed log-cosh
// negentropy of both components (Hyvarinen 1999), searched in 1-degree steps and refined in
// 0.05-degree steps: deterministic. The component nearer the prior's hemoglobin direction
// is hemoglobin; signs follow the prior. Throws std::runtime_error when the data cannot
// support it (fewer than 10000 samples, directions within 15 degrees of each other, or
// hemoglobin more than 45 degrees from the prior's).
Calibration Calibrate(const std::vector<cv::Vec2d>& samples, const ChromophoreVectors& prior);

}  // namespace needlescope::color
