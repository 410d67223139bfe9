#include "needlescope/pipeline/colour_correction.h"

namespace needlescope {

cv::Mat CorrectedForChart(const cv::Mat& bgr, const ColourCorrectionOptions& options, const TilingOptions& tiling,
                          nlohmann::ordered_json* record) {
  if (!options.use_chart) {
    *record = {{"corrected", false}, {"reason", "not looked for (--colour-chart none)"}};
    return bgr;
  }
  std::string why;
  const std::optional<color::ColourChart> chart = color::FindColourChart(bgr, options.chart, &why);
  if (!chart) {
    *record = {{"corrected", false}, {"reason", why}};
    return bgr;
  }
  nlohmann::ordered_json corners = nlohmann::ordered_json::array();
  for (const cv::Point2f& p : chart->corners) corners.push_back({p.x, p.y});
  *record = {{"corrected", true},
             {"method", "ColorChecker 24 found by OpenCV mcc; 3 x 3 colour correction matrix on linearised sRGB "
                        "(cv::ccm), fitted to the Macbeth reference; the chart blanked before measuring"},
             {"loss", chart->loss},
             {"chart_corners", corners}};
  return color::CorrectColour(bgr, *chart, tiling);
}

}  // namespace needlescope
