#pragma once

// The options `compare` and `series` share, and the healing::CompareOptions they make.

#include <string>

#include "cli/common_options.h"
#include "cli/photo_options.h"
#include "needlescope/healing/compare_pair.h"

namespace needlescope::cli {

struct CompareArgs {
  PhotoArgs photo;        // the options every photo command shares (regions on the reference photo)
  bool pictures = false;  // the full-size PNGs besides the report page
};

// The shared photo options (photo_options.h; the regions on `reference_photo`) and
// --pictures. (No --target: a comparison follows redness, which needs skin; a stained
// substrate has none.)
void AddCompareOptions(po::options_description& desc, CompareArgs& args, const std::string& reference_photo);

// Reads the files named (InputError on a bad one) and checks the result (UsageError).
healing::CompareOptions MakeCompareOptions(const CompareArgs& args, const CommonOptions& common);

}  // namespace needlescope::cli
