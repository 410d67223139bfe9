#include "needlescope/pipeline/analysis_pictures.h"

#include <opencv2/imgcodecs.hpp>

#include "needlescope/report/coverage_map.h"
#include "needlescope/report/puncture_overlay.h"
#include "needlescope/report/redness_heatmap.h"

namespace needlescope {
namespace {

// Room reserved for half the raw size: the encoder appends to the buffer, and growing it by
// doubling held up to three times the PNG's size at once at 24 MP (the buffer is returned
// as it is, not copied).
std::vector<std::uint8_t> EncodePng(const cv::Mat& image) {
  std::vector<std::uint8_t> png;
  png.reserve(image.total() * image.elemSize() / 2);
  cv::imencode(".png", image, png);
  return png;
}

}  // namespace

std::vector<std::uint8_t> OverlayPng(const AnalysisResult& result) {
  if (result.photo.empty()) return {};
  return EncodePng(report::RenderPunctureOverlay(result.photo, result.punctures));
}

std::vector<std::uint8_t> RednessPng(const AnalysisResult& result) {
  if (result.photo.empty() || !result.redness_maps) return {};
  return EncodePng(report::RenderRednessHeatmap(result.photo, *result.redness_maps));
}

std::vector<std::uint8_t> CoveragePng(const AnalysisResult& result) {
  if (result.photo.empty() || !result.pattern) return {};
  return EncodePng(report::RenderCoverageMap(result.photo, result.pattern->points, result.pattern->window,
                                             result.pattern->result));
}

}  // namespace needlescope
