#pragma once

// The clinician's page for one analysed photo (`<stem>.report.html`, docs/report.md): the
// photo with switchable layers (punctures as vector marks coloured by score, redness heat
// map, coverage gaps and hotspots, treated region) and the numbers in plain words. Every
// figure on the page is read from the analysis document (schema needlescope.analysis/1),
// so the page and the JSON cannot disagree.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/report/display_layers.h"

namespace needlescope::report {

struct AnalysisReportInput {
  const nlohmann::ordered_json* analysis = nullptr;  // required
  std::string shown_name;  // how the photo is named on the page (a file name, or a salted hash)
  std::vector<std::uint8_t> photo_jpeg;  // display size (DisplayJpeg)
  HeatLayer redness;                     // Δhemoglobin (empty when not measured)
};

std::string AnalysisReportHtml(const AnalysisReportInput& input);

// What a QC flag means, in a sentence (empty for an unknown name).
std::string QcFlagMeaning(const std::string& flag);

}  // namespace needlescope::report
