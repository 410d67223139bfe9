#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/detect/puncture.h"
#include "needlescope/pipeline/analyze.h"

namespace needlescope {

inline constexpr const char* kAnalysisSchema = "needlescope.analysis/1";

// A document's "colour" section: {"corrected": true, "method", "loss", "chart_corners"} or
// {"corrected": false, "reason"} (docs/report.md).
nlohmann::ordered_json ColourToJson(const ColourRecord& record);

// The analysis document, schema needlescope.analysis/1 (docs/output-format.md).
nlohmann::ordered_json AnalysisToJson(const AnalysisResult& result);

// The punctures CSV: header "x,y,radius_px,score,contrast", one row per puncture in the result's
// order, coordinates to 1/1000 px.
std::string PuncturesToCsv(const std::vector<Puncture>& punctures);

// The output files of one analysed image, named after the input's stem.
struct AnalysisOutputPaths {
  std::string json;  // DIR/<stem>.json
  std::string csv;   // DIR/<stem>.punctures.csv
  std::string redness_png;  // DIR/<stem>.redness.png
  std::string overlay_png;  // DIR/<stem>.overlay.png
  std::string coverage_png;  // DIR/<stem>.coverage.png
  std::string hemoglobin_tiff;  // DIR/<stem>.hemoglobin.tiff, with --write-maps
  std::string melanin_tiff;     // DIR/<stem>.melanin.tiff, with --write-maps
  std::string candidates_csv;   // DIR/<stem>.candidates.csv, with --write-candidates
  std::string report_html;      // DIR/<stem>.report.html, when the report's layers were made
};

// Every detection candidate with its features and decision (for tuning and classifiers).
std::string CandidatesToCsv(const std::vector<detect::Candidate>& candidates);
AnalysisOutputPaths AnalysisOutputPathsFor(const std::string& image_path, const std::string& dir);

// Writes every file, each atomically (see WriteFileAtomically). Throws InputError. Returns
// the analysis document it wrote as the JSON file (for a run summary: not made twice).
// `shown_name`: how the report page names the photo ("" = the input's file name).
// `run_inputs`: CanonicalPaths of every input of the run; an output that would replace one
// of them (or this photo's own file) is refused with InputError before anything is written.
nlohmann::ordered_json WriteAnalysisOutputs(const AnalysisResult& result, const AnalysisOutputPaths& paths,
                                            const std::string& shown_name = "",
                                            const std::set<std::string>& run_inputs = {});
// Each path made absolute with its symbolic links resolved (as far as it exists).
std::set<std::string> CanonicalPaths(const std::vector<std::string>& paths);

}  // namespace needlescope
