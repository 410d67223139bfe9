#pragma once

// The pictures of one analysed photo, each rendered and PNG-encoded on its own so that they
// can be made in parallel with each other and with the rest of the analysis. Each returns
// the PNG bytes, or "" when the result has nothing for that picture (no photo kept, no
// redness measured, no uniformity window).

#include <string>

#include "needlescope/pipeline/analyze.h"

namespace needlescope {

std::string OverlayPng(const AnalysisResult& result);   // punctures circled (report/puncture_overlay.h)
std::string RednessPng(const AnalysisResult& result);   // Δhemoglobin heat map (report/redness_heatmap.h)
std::string CoveragePng(const AnalysisResult& result);  // gaps and hotspots (report/coverage_map.h)

}  // namespace needlescope
