#pragma once

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "needlescope/redness/region.h"

namespace needlescope::cli {

// Reads a region file: "*.csv" = polygon vertices with header "x,y" (image px); anything
// else = a mask image (JPEG, PNG, TIFF, WebP; non-zero = inside). Throws InputError naming
// the file for anything malformed.
redness::Region ReadRegionFile(const std::string& path);

// Parses "x,y,w,h" (px). Throws UsageError.
cv::Rect ParseRect(const std::string& text, const std::string& option);

}  // namespace needlescope::cli
