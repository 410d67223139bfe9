#include "needlescope/report/display_layers.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace needlescope::report {

cv::Size DisplaySize(cv::Size photo, int long_side) {
  const int longest = std::max(photo.width, photo.height);
  if (longest <= long_side) return photo;
  const double scale = double(long_side) / longest;
  return {std::max(1, int(std::lround(photo.width * scale))), std::max(1, int(std::lround(photo.height * scale)))};
}

std::vector<std::uint8_t> DisplayJpeg(const cv::Mat& bgr, cv::Size display, int quality) {
  cv::Mat reduced = bgr;
  if (bgr.size() != display) cv::resize(bgr, reduced, display, 0, 0, cv::INTER_AREA);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", reduced, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
  return jpeg;
}

HeatLayer MakeHeatLayer(const cv::Mat& map, const cv::Mat& scope, cv::Size display, double min_top, double opacity) {
  HeatLayer layer;
  if (map.empty()) return layer;
  layer.mime = "image/webp";
  cv::Mat reduced, reduced_scope;
  // Area averaging carries NaN into every display pixel that covers one: those stay clear.
  cv::resize(map, reduced, display, 0, 0, map.size() == display ? cv::INTER_NEAREST : cv::INTER_AREA);
  if (!scope.empty()) cv::resize(scope, reduced_scope, display, 0, 0, cv::INTER_NEAREST);

  std::vector<float> values;
  for (int y = 0; y < reduced.rows; ++y) {
    const float* row = reduced.ptr<float>(y);
    const std::uint8_t* in_scope = reduced_scope.empty() ? nullptr : reduced_scope.ptr<std::uint8_t>(y);
    for (int x = 0; x < reduced.cols; ++x) {
      if (std::isfinite(row[x]) && (!in_scope || in_scope[x])) values.push_back(row[x]);
    }
  }
  double top = 0;
  if (!values.empty()) {
    const size_t k = values.size() * 99 / 100;
    std::nth_element(values.begin(), values.begin() + k, values.end());
    top = values[k];
  }
  layer.top = std::max(min_top, top);

  cv::Mat level(display, CV_8U), colours, bgra;
  const cv::Mat measured = reduced == reduced;  // false at NaN
  cv::Mat filled = reduced.clone();
  filled.setTo(0, ~measured);
  filled.convertTo(level, CV_8U, 255.0 / layer.top);  // saturates below 0 and above top
  cv::applyColorMap(level, colours, cv::COLORMAP_VIRIDIS);
  cv::cvtColor(colours, bgra, cv::COLOR_BGR2BGRA);
  std::vector<cv::Mat> channels;
  cv::split(bgra, channels);
  channels[3] = cv::Mat::zeros(display, CV_8U);
  channels[3].setTo(int(std::lround(255 * opacity)), measured);
  cv::merge(channels, bgra);
  // Lossy WebP keeps the alpha exact and is a fifth of a PNG's size (72 KB against 366 KB
  // on sample_images/skin-treated-101.jpg); every current browser shows it.
  cv::imencode(".webp", bgra, layer.image, {cv::IMWRITE_WEBP_QUALITY, 80});
  return layer;
}

}  // namespace needlescope::report
