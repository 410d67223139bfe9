#pragma once

// Aligns an AFTER photo onto a BEFORE photo of the same skin: AKAZE features on high-passed
// green optical density (measured: ~10x the RANSAC inliers of the unmixed structure
// channel, which unmixing makes noisy), ratio-tested matches, a homography by MAGSAC++
// (robust fit refined on all matches, weighted by their fit). Optionally (`refine`) ECC
// refinement (OpenCV findTransformECC) on a channel redness does not change: OD with the
// hemoglobin component unmixed away (melanin + shading: pigment, pores, relief), smoothed
// and high-passed so that a change of lighting does not move it; kept only when it stays
// within 3 thresholds of the feature fit. Off by default: on 30 tuning pairs (seeds
// 1100-1129) it moved the homography away from the truth (median error 0.11 -> 0.19 px,
// worst 0.48 -> 1.01 px). Coordinates: px, origin at the centre of the top-left pixel.

#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>

#include "needlescope/color/chromophores.h"

namespace needlescope::registration {

struct RegisterOptions {
  color::ChromophoreVectors vectors = color::LiteratureVectors();
  int max_features = 8000;         // AKAZE keypoints kept per photo (strongest), >= 100
  double ratio = 0.8;              // Lowe's ratio test, (0, 1)
  double ransac_px = 3.0;          // MAGSAC++ maximum inlier threshold, px, > 0
  // Fewer RANSAC inliers: refuse. Unrelated photos give 5-6 (any 4 matches fit a
  // homography); a genuine type-VI pair of the tuning set gave 37. >= 8
  int min_inliers = 20;
  double min_inlier_share = 0.15;  // of ratio-tested matches; fewer: refuse, [0, 1)
  bool refine = false;             // ECC refinement after the feature fit (see above)

  std::string Check() const;
};

struct Registration {
  cv::Matx33d homography;  // BEFORE px -> AFTER px, normalised so that h33 = 1
  int matches = 0;         // after the ratio test
  int inliers = 0;         // RANSAC inliers
  double rmse_px = 0;  // RMS distance of the inliers' AFTER points from their mapped BEFORE points
  bool refined = false;  // ECC converged and was kept
  std::string method;
};

// The photos cannot be aligned; the reason says why (too few inliers, degenerate...).
class RegistrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws RegistrationError. Deterministic.
Registration RegisterPair(const cv::Mat& before_bgr,
                          const cv::Mat& after_bgr,
                          const RegisterOptions& options);

// The structure channel (ECC's) as 8-bit - exposed for tests and pictures.
cv::Mat StructureChannel(const cv::Mat& bgr, const color::ChromophoreVectors& vectors);

}  // namespace needlescope::registration
