#include "needlescope/report/redness_heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "needlescope/redness/kth_smallest.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::report {
namespace {

constexpr double kBlurSigmaPx = 1.5;
constexpr int kBlurHaloPx = 8;  // >= the blur kernel's radius (13 px kernel for sigma 1.5)

// The outer outline of a mask's regions (none for an empty mask).
std::vector<std::vector<cv::Point>> OutlineOf(const cv::Mat& mask) {
  std::vector<std::vector<cv::Point>> contours;
  if (!mask.empty() && cv::countNonZero(mask) > 0)
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  return contours;
}

}  // namespace

cv::Mat RenderRednessHeatmap(const cv::Mat& bgr, const redness::RednessResult& result) {
  const cv::Mat& delta = result.delta_hemoglobin_map;
  // Scale: 0 .. p99 of Δhemoglobin in the treated region (or over all skin when none).
  // Every other pixel of every other row (visited twice instead of collected: at 24 MP
  // the collection was 24 MB at the run's peak memory).
  const cv::Mat& scope = result.treated_found ? result.treated_mask : result.baseline_mask;
  auto visit_sampled = [&](auto fn) {
    for (int y = 0; y < delta.rows; y += 2) {
      for (int x = 0; x < delta.cols; x += 2) {
        if (scope.at<std::uint8_t>(y, x) && !std::isnan(delta.at<float>(y, x))) fn(delta.at<float>(y, x));
      }
    }
  };
  const std::optional<float> p99 = redness::KthSmallest(visit_sampled, [](size_t n) { return n * 99 / 100; });
  const double top = std::max(0.05, p99 ? double(*p99) : 0.0);

  // The region outlines are traced before the canvas is made: tracing copies the mask
  // (24 MB at 24 MP), which on top of the canvas was the run's peak memory.
  const auto baseline_outline = OutlineOf(result.baseline_mask);
  const auto treated_outline = OutlineOf(result.treated_mask);

  // The picture, with the colour bar's room on its right. The heat map is made tile by tile
  // (the display blur reads kBlurHaloPx around a pixel, so each core is what the whole
  // image gives): at 24 MP the whole-image version held a dozen full-size temporaries.
  const int bar_width = std::max(90, bgr.cols / 10);
  cv::Mat out(bgr.rows, bgr.cols + bar_width, CV_8UC3, cv::Scalar(32, 32, 32));
  cv::Mat canvas = out(cv::Rect(0, 0, bgr.cols, bgr.rows));
  ForEachTile(MakeTileGrid(bgr.size(), TilingOptions{}, kBlurHaloPx), [&](const Tile& tile) {
    cv::Mat filled = delta(tile.padded).clone(), smooth;
    filled.setTo(0, filled != filled);  // NaN -> 0 for the display blur only
    cv::GaussianBlur(filled, smooth, cv::Size(), kBlurSigmaPx);
    const cv::Rect core(tile.core.tl() - tile.padded.tl(), tile.core.size());
    cv::Mat level, colours, grey, grey_bgr, blended;
    smooth(core).convertTo(level, CV_8U, 255.0 / top);  // saturates below 0 and above top
    cv::applyColorMap(level, colours, cv::COLORMAP_VIRIDIS);
    cv::cvtColor(bgr(tile.core), grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, grey_bgr, cv::COLOR_GRAY2BGR);
    cv::Mat canvas_core = canvas(tile.core);
    grey_bgr.copyTo(canvas_core);
    cv::addWeighted(colours, 0.7, grey_bgr, 0.3, 0.0, blended);
    const cv::Mat delta_core = delta(tile.core);
    blended.copyTo(canvas_core, delta_core == delta_core);  // on skin (not NaN) only
  });
  const int thickness = std::max(1, canvas.cols / 600);
  cv::drawContours(canvas, baseline_outline, -1, cv::Scalar(255, 255, 0), thickness, cv::LINE_AA);
  cv::drawContours(canvas, treated_outline, -1, cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);

  // Colour bar on the right: 0 (bottom) to top, with tick labels and units.
  const int margin = std::max(20, canvas.rows / 12), bar_x = canvas.cols + 10, bar_w = bar_width / 5;
  const int bar_h = canvas.rows - 2 * margin;
  cv::Mat ramp(bar_h, 1, CV_8U);
  for (int i = 0; i < bar_h; ++i) ramp.at<std::uint8_t>(i) = std::uint8_t(255 - 255 * i / std::max(1, bar_h - 1));
  cv::Mat ramp_colours;
  cv::applyColorMap(ramp, ramp_colours, cv::COLORMAP_VIRIDIS);
  cv::resize(ramp_colours, out(cv::Rect(bar_x, margin, bar_w, bar_h)), cv::Size(bar_w, bar_h), 0, 0, cv::INTER_NEAREST);
  const double font = std::max(0.35, canvas.rows / 1600.0);
  char label[32];
  for (int k = 0; k <= 4; ++k) {
    const int y = margin + bar_h - k * (bar_h - 1) / 4;
    std::snprintf(label, sizeof label, "%.3f", top * k / 4);
    cv::putText(out, label, cv::Point(bar_x + bar_w + 4, y + 4), cv::FONT_HERSHEY_SIMPLEX, font,
                cv::Scalar(230, 230, 230), 1, cv::LINE_AA);
  }
  cv::putText(out, "dHb (OD)", cv::Point(bar_x, margin - 8), cv::FONT_HERSHEY_SIMPLEX, font,
              cv::Scalar(230, 230, 230), 1, cv::LINE_AA);
  cv::putText(out, "white: treated", cv::Point(bar_x, canvas.rows - margin / 2 - 14),
              cv::FONT_HERSHEY_SIMPLEX, font * 0.85, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  cv::putText(out, "cyan: baseline", cv::Point(bar_x, canvas.rows - margin / 2 + 4),
              cv::FONT_HERSHEY_SIMPLEX, font * 0.85, cv::Scalar(255, 255, 0), 1, cv::LINE_AA);
  return out;
}

}  // namespace needlescope::report
