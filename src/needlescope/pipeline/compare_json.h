#pragma once

// `needlescope compare` output: DIR/<before>_vs_<after>.json (schema needlescope.compare/1)
// and its two pictures (docs/compare.md).

#include <nlohmann/json.hpp>
#include <string>

#include "needlescope/healing/compare_pair.h"

namespace needlescope {

inline constexpr const char* kCompareSchema = "needlescope.compare/1";

nlohmann::ordered_json CompareToJson(const healing::CompareResult& r,
                                     const std::string& before_path,
                                     const std::string& after_path);

// Side by side: BEFORE and AFTER aligned into BEFORE's frame, punctures circled on each.
cv::Mat RenderSideBySide(const cv::Mat& before_bgr, const healing::CompareResult& r);
// Hemoglobin after minus before in BEFORE's frame, smoothed over 3 px (blue = less
// redness, red = more).
cv::Mat RenderHemoglobinDifference(const cv::Mat& before_bgr, const healing::CompareResult& r);

}  // namespace needlescope
