#pragma once

// The clinician's page for a before/after pair (`<before>_vs_<after>.report.html`,
// docs/report.md): a slider over the aligned pair (AFTER warped into BEFORE's frame), the
// BEFORE punctures marked as persisting or faded, the treated region, and the healing
// figures with their 95 % intervals. Figures are read from the compare document (schema
// needlescope.compare/1); marks and outline from the typed result.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/healing/compare_pair.h"

namespace needlescope::report {

struct CompareReportInput {
  const nlohmann::ordered_json* compare = nullptr;  // required
  const healing::CompareResult* result = nullptr;   // required
  std::string before_name, after_name;              // as shown (file names or salted hashes)
  cv::Size before_size;                              // BEFORE's pixels: the page's frame
  std::vector<std::uint8_t> before_jpeg, after_aligned_jpeg;  // display size (DisplayJpeg)
};

std::string CompareReportHtml(const CompareReportInput& input);

}  // namespace needlescope::report
