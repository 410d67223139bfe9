#include "needlescope/color/colour_chart.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>
#include <opencv2/mcc.hpp>

#include "needlescope/tiling/tiled_run.h"

namespace needlescope::color {

std::string ColourChartOptions::Check() const {
  if (search_long_side_px < 400) {
    return "colour_chart.search_long_side_px = " + std::to_string(search_long_side_px) + ": must be >= 400";
  }
  if (!(max_loss > 0)) return "colour_chart.max_loss = " + std::to_string(max_loss) + ": must be > 0";
  return "";
}

std::optional<ColourChart> FindColourChart(const cv::Mat& bgr, const ColourChartOptions& options, std::string* why) {
  const double scale = std::min(1.0, double(options.search_long_side_px) / std::max(bgr.cols, bgr.rows));
  cv::Mat search = bgr;
  if (scale < 1) cv::resize(bgr, search, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Ptr<cv::mcc::CCheckerDetector> detector = cv::mcc::CCheckerDetector::create();
  if (!detector->process(search, cv::mcc::MCC24, 1)) {
    *why = "no ColorChecker in the frame";
    return std::nullopt;
  }
  const cv::Ptr<cv::mcc::CChecker> checker = detector->getBestColorChecker();
  // Column 1 of the chart table is each patch's mean, per channel, in RGB order.
  const cv::Mat table = checker->getChartsRGB();
  cv::Mat patches = table.col(1).clone().reshape(3, table.rows / 3);
  patches /= 255.0;
  ColourChart chart;
  chart.model = std::make_shared<cv::ccm::ColorCorrectionModel>(patches, cv::ccm::COLORCHECKER_Macbeth);
  chart.model->run();
  chart.loss = chart.model->getLoss();
  chart.ccm = chart.model->getCCM();
  if (!(chart.loss <= options.max_loss)) {
    *why = "a ColorChecker was found but its fit is refused (loss " + std::to_string(chart.loss) + " > " +
           std::to_string(options.max_loss) + ")";
    return std::nullopt;
  }
  for (const cv::Point2f& p : checker->getBox()) chart.corners.push_back(p / float(scale));
  return chart;
}

cv::Mat CorrectColour(const cv::Mat& bgr, const ColourChart& chart, const TilingOptions& tiling) {
  cv::Mat out(bgr.size(), CV_8UC3);
  // cv::ccm infers in double precision on the whole image it is given: tile by tile keeps
  // that to a tile's worth (a 24 MP photo whole would be 576 MB).
  ForEachTile(MakeTileGrid(bgr.size(), tiling, 0), [&](const Tile& tile) {
    cv::Mat rgb;
    cv::cvtColor(bgr(tile.core), rgb, cv::COLOR_BGR2RGB);
    rgb.convertTo(rgb, CV_64F, 1.0 / 255.0);
    cv::Mat corrected = chart.model->infer(rgb);
    cv::Mat bytes;
    corrected.convertTo(bytes, CV_8U, 255.0);  // rounds and saturates
    cv::cvtColor(bytes, out(tile.core), cv::COLOR_RGB2BGR);
  });
  // The chart blanked: its patches (skin-like, red) must not count as skin or redness.
  std::vector<cv::Point> outline;
  cv::Point2f centre(0, 0);
  for (const cv::Point2f& p : chart.corners) centre += p / float(chart.corners.size());
  for (const cv::Point2f& p : chart.corners) {
    const cv::Point2f grown = centre + (p - centre) * 1.1f;
    outline.emplace_back(int(std::lround(grown.x)), int(std::lround(grown.y)));
  }
  cv::fillConvexPoly(out, outline, cv::Scalar(0, 0, 0));
  return out;
}

}  // namespace needlescope::color
