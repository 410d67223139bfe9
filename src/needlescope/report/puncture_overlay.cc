#include "needlescope/report/puncture_overlay.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

namespace needlescope::report {

cv::Mat RenderPunctureOverlay(const cv::Mat& bgr, const std::vector<Puncture>& punctures) {
  cv::Mat palette_index(1, 256, CV_8U), palette;
  for (int i = 0; i < 256; ++i) palette_index.at<std::uint8_t>(i) = std::uint8_t(i);
  cv::applyColorMap(palette_index, palette, cv::COLORMAP_VIRIDIS);

  cv::Mat out = bgr.clone();
  // Sub-pixel circle centres: cv::circle takes fixed-point coordinates with `shift` bits.
  constexpr int kShift = 4;
  for (const Puncture& p : punctures) {
    const int level = std::clamp(int(std::lround(p.score * 255)), 0, 255);
    const cv::Vec3b colour = palette.at<cv::Vec3b>(0, level);
    const double radius = std::max(3.0, 1.5 * p.radius_px);
    cv::circle(out, cv::Point(int(std::lround(p.x * (1 << kShift))), int(std::lround(p.y * (1 << kShift)))),
               int(std::lround(radius * (1 << kShift))), cv::Scalar(colour[0], colour[1], colour[2]), 1,
               cv::LINE_AA, kShift);
  }
  const std::string label = std::to_string(punctures.size()) + " punctures (colour: score)";
  const double font = std::max(0.4, bgr.rows / 1400.0);
  cv::putText(out, label, cv::Point(8, int(24 * font / 0.6)), cv::FONT_HERSHEY_SIMPLEX, font,
              cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
  cv::putText(out, label, cv::Point(8, int(24 * font / 0.6)), cv::FONT_HERSHEY_SIMPLEX, font,
              cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  return out;
}

}  // namespace needlescope::report
