#pragma once

// The colour chart step every image command runs first (color/colour_chart.h): the photo
// corrected by a ColorChecker in its frame, or as it is, and a record saying which and why.

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "needlescope/color/colour_chart.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope {

struct ColourCorrectionOptions {
  bool use_chart = true;  // look for a chart (the CLI's --colour-chart auto; none turns it off)
  color::ColourChartOptions chart;
};

// The photo to measure on, and *record = {"corrected": bool, "method" | "reason", "loss",
// "chart_corners"} (the analysis document's "colour" section, docs/report.md).
cv::Mat CorrectedForChart(const cv::Mat& bgr, const ColourCorrectionOptions& options, const TilingOptions& tiling,
                          nlohmann::ordered_json* record);

}  // namespace needlescope
