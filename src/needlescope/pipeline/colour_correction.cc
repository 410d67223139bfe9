#include "needlescope/pipeline/colour_correction.h"

namespace needlescope {

cv::Mat CorrectedForChart(const cv::Mat& bgr, const ColourCorrectionOptions& options, const TilingOptions& tiling,
                          ColourRecord* record) {
  *record = ColourRecord{};
  if (!options.use_chart) {
    record->reason = "not looked for (--colour-chart none)";
    return bgr;
  }
  const std::optional<color::ColourChart> chart = color::FindColourChart(bgr, options.chart, &record->reason);
  if (!chart) return bgr;
  record->corrected = true;
  record->reason.clear();
  record->loss = chart->loss;
  record->chart_corners = chart->corners;
  return color::CorrectColour(bgr, *chart, tiling);
}

}  // namespace needlescope
