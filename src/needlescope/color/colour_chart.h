#pragma once

// Comparable colour across sessions: a ColorChecker (Macbeth, 24 patches) in the frame is found
// with OpenCV contrib's mcc detector and a colour correction matrix fitted from its patches to
// their reference values (cv::ccm, the 3 × 3 model on linearised sRGB); the photo is then
// corrected before anything is measured on it, and the chart itself is blanked so that no
// stage mistakes its patches for skin or punctures (docs/report.md, "Colour across sessions").

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/tiling/tile_grid.h"

namespace cv::ccm {
class ColorCorrectionModel;
}

namespace needlescope::color {

struct ColourChartOptions {
  // The chart is looked for on a copy reduced to this long side (the detector's time grows
  // with the pixels; a chart a clinic puts in the frame spans hundreds of pixels).
  int search_long_side_px = 1600;  // >= 400
  // A fit worse than this (OpenCV's loss: the mean CIEDE2000 distance of the corrected
  // patches to their references) is refused as a misdetection or a chart in bad light.
  double max_loss = 10;  // > 0

  std::string Check() const;  // empty when valid, else "colour_chart.<field> = <value>: <rule>"
};

struct ColourChart {
  std::vector<cv::Point2f> corners;  // the chart's outline in the photo, px
  double loss = 0;                   // of the fit (see max_loss)
  cv::Mat ccm;                       // the fitted matrix, for the record
  std::shared_ptr<cv::ccm::ColorCorrectionModel> model;
};

// The chart and its correction, or none when no chart is found or its fit is refused
// (`*why` says which).
std::optional<ColourChart> FindColourChart(const cv::Mat& bgr, const ColourChartOptions& options, std::string* why);

// `bgr` corrected by the chart's model, tile by tile (the model is per pixel: any tiling
// gives the same image), with the chart's outline (grown by a tenth) filled black.
cv::Mat CorrectColour(const cv::Mat& bgr, const ColourChart& chart, const TilingOptions& tiling);

}  // namespace needlescope::color
