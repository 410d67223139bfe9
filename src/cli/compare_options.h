#pragma once

// The options `compare` and `series` share, and the healing::CompareOptions they make.

#include <string>

#include "cli/common_options.h"
#include "needlescope/healing/compare_pair.h"
#include "needlescope/io/image_loader.h"

namespace needlescope::cli {

struct CompareArgs {
  std::string roi, reference, chromophores, white_patch, classifier = "default";
  double max_megapixels = LoadOptions{}.max_megapixels;
  bool pictures = false;  // the full-size PNGs besides the report page
  std::string colour_chart = "auto";
  double mm_per_px = 0;  // the photos' scale, when known: densities per cm²
};

// --roi, --reference-region, --white-patch (all on `reference_photo`), --chromophores,
// --classifier, --max-megapixels, --pictures, --colour-chart, --mm-per-px. (No --target: a
// comparison follows redness, which needs skin; a stained substrate has none.)
void AddCompareOptions(po::options_description& desc, CompareArgs& args, const std::string& reference_photo);

// Reads the files named (InputError on a bad one) and checks the result (UsageError).
healing::CompareOptions MakeCompareOptions(const CompareArgs& args, const CommonOptions& common);

}  // namespace needlescope::cli
