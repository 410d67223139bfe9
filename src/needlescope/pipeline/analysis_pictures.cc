#include "needlescope/pipeline/analysis_pictures.h"

#include <opencv2/imgcodecs.hpp>

#include "needlescope/report/coverage_map.h"
#include "needlescope/report/puncture_overlay.h"
#include "needlescope/report/redness_heatmap.h"

namespace needlescope {
namespace {

std::string EncodePng(const cv::Mat& image) {
  std::vector<std::uint8_t> png;
  cv::imencode(".png", image, png);
  return std::string(png.begin(), png.end());
}

}  // namespace

std::string OverlayPng(const AnalysisResult& result) {
  if (result.photo.empty()) return {};
  return EncodePng(report::RenderPunctureOverlay(result.photo, result.punctures));
}

std::string RednessPng(const AnalysisResult& result) {
  if (result.photo.empty() || !result.redness_maps) return {};
  return EncodePng(report::RenderRednessHeatmap(result.photo, *result.redness_maps));
}

std::string CoveragePng(const AnalysisResult& result) {
  if (result.photo.empty() || !result.pattern) return {};
  return EncodePng(report::RenderCoverageMap(result.photo, result.pattern->points, result.pattern->window,
                                             result.pattern->result));
}

}  // namespace needlescope
