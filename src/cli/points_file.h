#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::cli {

// Reads points from a CSV file whose header names an "x" and a "y" column (any order; other
// columns are ignored), px. Throws InputError naming the file and the line.
std::vector<cv::Point2d> ReadPointsCsv(const std::string& path);

}  // namespace needlescope::cli
