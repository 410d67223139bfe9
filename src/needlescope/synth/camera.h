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
};

// Draws a camera (cast, exposure, blur, noise, quality) and lighting from rng.
// jpeg_quality 0 = draw from [70, 95].
CameraTruth DrawCamera(cv::RNG& rng, int jpeg_quality);
Lighting DrawLighting(cv::RNG& rng);

// Photographs a linear reflectance image (CV_32FC3 BGR): returns 8-bit sRGB BGR.
cv::Mat Photograph(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
                   cv::RNG& rng);

}  // namespace needlescope::synth
