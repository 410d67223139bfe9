#include "needlescope/redness/region.h"

#include <opencv2/imgproc.hpp>

namespace needlescope::redness {

cv::Mat Rasterize(const Region& region, cv::Size size, const std::string& what) {
  cv::Mat mask;
  if (!region.mask.empty()) {
    if (region.mask.size() != size) {
      throw RegionError(what + " mask is " + std::to_string(region.mask.cols) + "x" +
                        std::to_string(region.mask.rows) + " px but the image is " +
                        std::to_string(size.width) + "x" + std::to_string(size.height));
    }
    mask = region.mask != 0;
    if (cv::countNonZero(mask) == 0) throw RegionError(what + " mask is empty (no non-zero pixel)");
    return mask;
  }
  if (region.polygon.size() < 3) {
    throw RegionError(what + " polygon has " + std::to_string(region.polygon.size()) +
                      " vertices; at least 3 are needed");
  }
  // fillPoly takes integer pixel-centre coordinates; 8 fractional bits keep sub-pixel vertices.
  constexpr int kShift = 8;
  std::vector<cv::Point> points;
  for (const cv::Point2d& p : region.polygon) {
    points.emplace_back(int(std::lround(p.x * (1 << kShift))), int(std::lround(p.y * (1 << kShift))));
  }
  mask = cv::Mat::zeros(size, CV_8U);
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{points}, cv::Scalar(255), cv::LINE_8, kShift);
  if (cv::countNonZero(mask) == 0) {
    throw RegionError(what + " polygon lies outside the image (or encloses no pixel centre)");
  }
  return mask;
}

}  // namespace needlescope::redness
