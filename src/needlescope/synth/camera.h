#pragma once

// The camera of the synthetic scenes: uneven light, vignetting, a white-balance cast, lens
// blur, photon and read noise, sRGB encoding and 8-bit quantisation (JPEG is applied by
// the writer at CameraTruth::jpeg_quality).

#include <opencv2/core.hpp>

#include "needlescope/synth/scene.h"

namespace needlescope::synth {

struct Lighting {
  double gradient_x = 0, gradient_y = 0;  // relative change across the image
  double curvature = 0;                   // relative fall-off at the corners (quadratic)
  double vignetting = 0;                  // relative loss at the corners
  // A flash's hotspot: illumination x (1 + gain exp(-d^2 / 2 sigma^2)) about (x, y), in
  // fractions of the image's width and height.
  double hotspot_gain = 0, hotspot_x = 0.5, hotspot_y = 0.5, hotspot_sigma = 0.3;
};

// Draws a camera (cast, exposure, blur, noise, quality, and the family's lens, sensor and
// JPEG settings) and lighting from rng. jpeg_quality 0 = draw from the family's range.
// Family A draws exactly what it drew before families existed.
CameraTruth DrawCamera(cv::RNG& rng, int jpeg_quality, const FamilyModel& family = ModelOf(Family::kA));
Lighting DrawLighting(cv::RNG& rng, const FamilyModel& family = ModelOf(Family::kA));

// The sigma of a Gaussian with the lens's spread (its defocus disc or motion streak
// included), px.
double EquivalentBlurSigma(const CameraTruth& camera);

// Photographs a linear reflectance image (CV_32FC3 BGR): sRGB BGR in [0, 1], before the
// 8-bit quantisation (CV_32FC3).
cv::Mat PhotographSrgb(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
                       cv::RNG& rng);

// The same quantised to 8 bits (CV_8UC3), as the camera stores it.
cv::Mat Photograph(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
                   cv::RNG& rng);

}  // namespace needlescope::synth
