#pragma once

// The options every command over skin photos shares (analyze, batch, compare, series): the
// regions and reference patch, the camera calibration, the classifier, the scale, the size
// limit and the colour chart. One set, one help text, so the commands cannot drift apart.

#include <string>

#include "cli/common_options.h"
#include "needlescope/io/image_loader.h"

namespace needlescope::cli {

struct PhotoArgs {
  double max_megapixels = LoadOptions{}.max_megapixels;
  std::string roi, reference, white_patch, chromophores;
  std::string classifier = "default";
  double mm_per_px = 0;  // 0 = unknown
  std::string colour_chart = "auto";
};

// Adds the shared options; `on` names the photo the regions are drawn on ("" for each
// photo's own, "BEFORE", "the first photo": then they are carried to the others).
void AddPhotoOptions(po::options_description& desc, PhotoArgs& args, const std::string& on);

// --colour-chart: "auto" → true, "none" → false; throws UsageError otherwise.
bool ParseColourChart(const std::string& text);

// --mm-per-px: throws UsageError unless finite and >= 0.
void CheckScale(double mm_per_px);

}  // namespace needlescope::cli
