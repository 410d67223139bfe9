#include "needlescope/pipeline/pattern_uniformity.h"

#include <opencv2/imgproc.hpp>

namespace needlescope {
namespace {

uniformity::Polygon LargestOutline(const cv::Mat& mask) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  if (contours.empty()) throw uniformity::WindowError("the treated region is empty");
  const auto largest = std::max_element(
      contours.begin(), contours.end(),
      [](const auto& a, const auto& b) { return cv::contourArea(a) < cv::contourArea(b); });
  std::vector<cv::Point> simplified;
  cv::approxPolyDP(*largest, simplified, /*epsilon=*/1.0, /*closed=*/true);
  uniformity::Polygon polygon;
  for (const cv::Point& p : simplified) polygon.emplace_back(p.x, p.y);
  return polygon;
}

// The outline of a mask as a window. findContours traces pixel centres, so where a region
// narrows to one pixel, or two parts touch at a corner, the outline passes one pixel twice
// and is no simple polygon (seen on an estimated treated region: "the window polygon
// intersects itself"). Such necks are opened away - a 3 px opening, then 5, 7 - until the
// outline is simple; `opened_px` says how much was needed (0: none).
uniformity::Window MaskWindow(const cv::Mat& mask, int* opened_px) {
  *opened_px = 0;
  cv::Mat cleaned = mask;
  for (int size = 3;; size += 2) {
    try {
      return uniformity::Window::FromPolygon(LargestOutline(cleaned));
    } catch (const uniformity::WindowError&) {
      if (size > 7) throw;
    }
    cv::morphologyEx(mask, cleaned, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(size, size)));
    *opened_px = size;
  }
}

}  // namespace

PatternUniformity MeasurePatternUniformity(const std::vector<Puncture>& punctures,
                                           cv::Size image_size,
                                           const std::optional<redness::Region>& roi,
                                           const redness::RednessResult* redness,
                                           const uniformity::UniformityOptions& options) {
  PatternUniformity u;
  if (roi && roi->mask.empty()) {
    u.window = uniformity::Window::FromPolygon(roi->polygon);
    u.window_source = "treated region (" + roi->source + ")";
  } else if (redness && redness->treated_found && !redness->treated_mask.empty()) {
    int opened_px = 0;
    u.window = MaskWindow(redness->treated_mask, &opened_px);
    u.window_source =
        roi ? "treated region outline (" + roi->source + ")" : "estimated treated region outline";
    if (opened_px > 0) u.window_source += ", necks opened by " + std::to_string(opened_px) + " px";
  } else {
    // Pixel centres run from 0 to size - 1; the photo covers half a pixel more each side.
    u.window =
        uniformity::Window::Rectangle(-0.5, -0.5, image_size.width - 0.5, image_size.height - 0.5);
    u.window_source = "whole photo (no treated region)";
  }
  std::vector<cv::Point2d> all;
  for (const Puncture& p : punctures) all.emplace_back(p.x, p.y);
  const std::vector<char> inside = u.window.ContainsEach(all);
  for (size_t i = 0; i < all.size(); ++i) {
    if (inside[i]) u.points.push_back(all[i]);
  }
  u.result = uniformity::MeasureUniformity(u.points, u.window, options);
  return u;
}

}  // namespace needlescope
