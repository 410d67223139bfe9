#pragma once

// The pictures of one analysed photo, each rendered and PNG-encoded on its own so that they
// can be made in parallel with each other and with the rest of the analysis. Each returns
// the PNG bytes, or none when the result has nothing for that picture (no photo kept, no
// redness measured, no uniformity window).

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/pipeline/analyze.h"

namespace needlescope {

// Punctures circled (report/puncture_overlay.h).
std::vector<std::uint8_t> OverlayPng(const AnalysisResult& result);
// Δhemoglobin heat map (report/redness_heatmap.h).
std::vector<std::uint8_t> RednessPng(const AnalysisResult& result);
// The same in two steps, for a caller that frees the map between drawing and encoding:
// the drawn picture (empty when there is none) and a drawn picture's PNG bytes.
cv::Mat RednessPicture(const AnalysisResult& result);
std::vector<std::uint8_t> EncodePng(const cv::Mat& picture);
// Gaps and hotspots (report/coverage_map.h).
std::vector<std::uint8_t> CoveragePng(const AnalysisResult& result);

}  // namespace needlescope
