#pragma once

// The colour chart step every image command runs first (color/colour_chart.h): the photo
// corrected by a ColorChecker in its frame, or as it is, and a record saying which and why.

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/colour_chart.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope {

struct ColourCorrectionOptions {
  bool use_chart = true;  // look for a chart (the CLI's --colour-chart auto; none turns it off)
  color::ColourChartOptions chart;
};

// Whether a photo was colour-corrected, and why not (the documents' "colour" sections,
// docs/report.md).
struct ColourRecord {
  bool corrected = false;
  std::string reason;  // when not corrected
  double loss = 0;     // the chart fit's, when corrected
  std::vector<cv::Point2f> chart_corners;
};

inline constexpr const char* kColourMethod =
    "ColorChecker 24 found by OpenCV mcc; 3 x 3 colour correction matrix on linearised sRGB (cv::ccm), "
    "fitted to the Macbeth reference; the chart blanked before measuring";

// The photo to measure on, and *record.
cv::Mat CorrectedForChart(const cv::Mat& bgr, const ColourCorrectionOptions& options, const TilingOptions& tiling,
                          ColourRecord* record);

}  // namespace needlescope
