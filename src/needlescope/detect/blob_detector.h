#pragma once

// Puncture detection (docs/detection.md): multi-scale, scale-normalised Laplacian of
// Gaussian on green optical density (blood absorbs most in green, and luminance structure
// survives JPEG's 4:2:0 chroma subsampling that strips a 1-2 px spot's colour), maxima in
// scale space, sub-pixel refinement, then colour at each candidate decides: the spot's OD
// against its surrounding ring is unmixed into melanin, hemoglobin and shading, and pores
// (shading), freckles and moles (melanin) are rejected. Runs through the tiled engine:
// identical output for any tile size and thread count.

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/puncture.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope::detect {

// What marks a needle: blood in skin, or stain (methylene blue) in a validation substrate.
enum class Target { kBlood, kStain };

struct DetectOptions {
  Target target = Target::kBlood;
  double min_radius_px = 1.0;   // px, > 0: smallest spot radius (1/e of its profile)
  double max_radius_px = 4.0;   // px, >= min_radius_px, <= 12
  int scales = 7;               // scale-space levels, >= 2
  // Thresholds chosen on the tuning benchmark set (seeds 1000+) by a grid search for the
  // best F1 (docs/detection.md); candidates below min_response are not even kept.
  double min_response = 0.12;   // blood: scale-normalised LoG response on green OD, > 0
  double min_hemoglobin = 0.16; // blood: spot minus ring Δhemoglobin, OD units along the vector
  // Stain: candidates on red OD (methylene blue absorbs red most); a hole needs its red
  // absorption to exceed its blue by this much, spot minus ring (skin and blood absorb blue
  // more than red, so they do not pass).
  double min_stain_response = 0.08;  // stain: LoG response on red OD, > 0
  double min_stain_contrast = 0.02;  // OD
  color::ChromophoreVectors vectors = color::LiteratureVectors();
  TilingOptions tiling;

  std::string Check() const;  // empty when valid, else "detect.<field> = <value>: <rule>"
};

struct Candidate {
  double x = 0, y = 0, radius_px = 0;
  double response = 0;
  double delta_hemoglobin = 0, delta_melanin = 0, delta_shading = 0;
  double stain_contrast = 0;  // Δ(OD_red - OD_blue), spot minus ring
  bool accepted = false;
};

struct DetectResult {
  std::vector<Puncture> punctures;    // accepted, sorted by (y, x)
  std::vector<Candidate> candidates;  // every scale-space maximum, sorted by (y, x)
  int halo_px = 0;
};

DetectResult DetectPunctures(const cv::Mat& bgr, const DetectOptions& options);

}  // namespace needlescope::detect
