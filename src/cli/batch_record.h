#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/batch_inputs.h"
#include "cli/report_options.h"
#include "needlescope/batch/memory_budget.h"
#include "needlescope/pipeline/analyze.h"
#include "needlescope/qc/qc_flags.h"

namespace needlescope::cli {

// What every input of one batch run is analysed with.
struct BatchContext {
  AnalyzeOptions options;        // a manifest row's mm_per_px and roi override these per photo
  qc::QcOptions qc;
  std::string settings_key;      // SHA-256 of the settings (docs/batch.md)
  std::set<std::string> done;    // DoneKey of the inputs earlier runs did with these settings
  batch::MemoryBudget* budget = nullptr;
  std::string per_image_dir;     // "" = no per-image files
  bool write_candidates = false; // with per-image files: also the candidates CSV
  bool keep_metadata = false;    // record the EXIF capture time (else it is only compared)
  ReportArgs anonymity;          // --anonymize: how per-image pages name their photo
  std::set<std::string> run_inputs;  // CanonicalPaths of the inputs: no per-image file replaces one
  double max_seconds_per_image = 0;  // decoding and analysing a photo past this is its error; 0 = no cap
};

// What analysing one input gave: its results.jsonl record, or nothing (done by an earlier run).
struct BatchOutcome {
  bool skipped = false;
  nlohmann::ordered_json record;
  std::uint64_t perceptual_hash = 0;  // for ok records
};

// What makes an input done: its path, content and manifest row (a changed scale or ROI in
// the manifest is new work); the settings are matched separately.
std::string DoneKey(const std::string& path, const std::string& sha256, const nlohmann::ordered_json& manifest);

// Reads, hashes, decodes and analyses one input, with its QC flags (out_of_order_with: the
// photo its camera time contradicts, or ""). Never throws for a bad input: that is its record.
BatchOutcome AnalyseInput(const BatchInput& in, const BatchContext& context, const std::string& out_of_order_with);

}  // namespace needlescope::cli
