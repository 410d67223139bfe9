#include "needlescope/report/puncture_overlay.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

namespace needlescope::report {
namespace {

// Text scale for a photo of `rows`: readable at 1 MP, growing with the photo.
double FontScale(int rows) { return std::max(0.4, rows / 1400.0); }

void OutlinedText(cv::Mat& out, const std::string& text, cv::Point at, double font) {
  cv::putText(out, text, at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
  cv::putText(out, text, at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
}

}  // namespace

cv::Rect ScoreBarRect(cv::Size size) {
  const double unit = FontScale(size.height) / 0.6;  // 1 at the smallest text
  return {8, int(34 * unit), int(160 * unit), int(10 * unit)};
}

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
  const double font = FontScale(bgr.rows);
  OutlinedText(out, std::to_string(punctures.size()) + " punctures (colour: score)",
               cv::Point(8, int(24 * font / 0.6)), font);
  // The scale itself, score 0 at the left to 1 at the right, framed in black so that it
  // reads on any skin; labelled at both ends.
  const cv::Rect bar = ScoreBarRect(bgr.size());
  const int label_y = bar.br().y + int(16 * font / 0.6);
  if (bar.br().x + 8 < out.cols && label_y + 4 < out.rows) {  // else no room on so small a photo
    cv::rectangle(out, cv::Rect(bar.x - 1, bar.y - 1, bar.width + 2, bar.height + 2), cv::Scalar(0, 0, 0), 1);
    for (int i = 0; i < bar.width; ++i) {
      const int level = bar.width > 1 ? int(std::lround(255.0 * i / (bar.width - 1))) : 255;
      const cv::Vec3b colour = palette.at<cv::Vec3b>(0, level);
      out(cv::Rect(bar.x + i, bar.y, 1, bar.height)).setTo(cv::Scalar(colour[0], colour[1], colour[2]));
    }
    OutlinedText(out, "0", cv::Point(bar.x, label_y), font * 0.8);
    OutlinedText(out, "1", cv::Point(bar.br().x - int(8 * font / 0.6), label_y), font * 0.8);
  }
  return out;
}

}  // namespace needlescope::report
