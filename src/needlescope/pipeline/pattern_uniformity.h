#pragma once

// The uniformity stage inside `analyze`: the detected punctures inside the treated region.

#include <optional>
#include <string>
#include <vector>

#include "needlescope/detect/puncture.h"
#include "needlescope/redness/redness.h"
#include "needlescope/uniformity/uniformity.h"

namespace needlescope {

struct PatternUniformity {
  uniformity::Window window;
  std::string window_source;  // "roi polygon", "treated region (outline)", "whole photo"
  std::vector<cv::Point2d> points;  // the punctures inside the window
  uniformity::UniformityResult result;
};

// The window is the user's treated-region polygon; else the outline (largest connected
// part, simplified to 1 px; one-pixel necks opened away when the outline would not be a
// simple polygon) of the user's mask, or of the treated region the redness stage
// estimated; else, when there is none (a validation substrate), the whole photo.
// Throws uniformity::WindowError when that outline is not a usable window.
PatternUniformity MeasurePatternUniformity(const std::vector<Puncture>& punctures, cv::Size image_size,
                                           const std::optional<redness::Region>& roi,
                                           const redness::RednessResult* redness,
                                           const uniformity::UniformityOptions& options);

}  // namespace needlescope
