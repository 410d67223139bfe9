#include "needlescope/pipeline/analysis_pictures.h"

#include <opencv2/imgcodecs.hpp>

#include "needlescope/report/coverage_map.h"
#include "needlescope/report/puncture_overlay.h"
#include "needlescope/report/redness_heatmap.h"

namespace needlescope {

// Room reserved for half the raw size: the encoder appends to the buffer, and growing it by
// doubling held up to three times the PNG's size at once at 24 MP (the buffer is returned
// as it is, not copied).
std::vector<std::uint8_t> EncodePng(const cv::Mat& picture) {
  std::vector<std::uint8_t> png;
  if (picture.empty()) return png;
  png.reserve(picture.total() * picture.elemSize() / 2);
  cv::imencode(".png", picture, png);
  return png;
}

std::vector<std::uint8_t> OverlayPng(const AnalysisResult& result) {
  if (result.photo.empty()) return {};
  return EncodePng(report::RenderPunctureOverlay(result.photo, result.punctures));
}

cv::Mat RednessPicture(const AnalysisResult& result) {
  if (result.photo.empty() || !result.redness_maps) return {};
  return report::RenderRednessHeatmap(result.photo, *result.redness_maps);
}

std::vector<std::uint8_t> RednessPng(const AnalysisResult& result) { return EncodePng(RednessPicture(result)); }

std::vector<std::uint8_t> CoveragePng(const AnalysisResult& result) {
  if (result.photo.empty() || !result.pattern) return {};
  return EncodePng(report::RenderCoverageMap(result.photo, result.pattern->points, result.pattern->window,
                                             result.pattern->result));
}

}  // namespace needlescope
