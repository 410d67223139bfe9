#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/common_options.h"
#include "cli/photo_options.h"
#include "needlescope/pipeline/analyze.h"

namespace needlescope::cli {

// The analysis options `analyze` and `batch` share, as given on the command line.
struct AnalyzeArgs {
  PhotoArgs photo;  // the options every photo command shares
  double erythema_threshold = 0;
  bool write_maps = false;
  bool write_candidates = false;
  std::string pictures = "none";  // full-size PNGs only when asked: the report page replaces them
  std::string target = "auto";
  std::string stain_od;
  std::string region_min_score = "default";
  std::string radius_px, radius_mm;
  std::string effect_radius, target_density, quadrats = "4,8";
};

// Adds the analysis options to `desc`, bound to `args`. `with_pictures`: also --pictures,
// --write-maps and --write-candidates (per-image files).
void AddAnalyzeOptions(po::options_description& desc, AnalyzeArgs& args, bool with_pictures);

// The library options the arguments ask for (reads the classifier, ROI, calibration files).
// Throws UsageError naming the option, InputError for an unreadable side file.
AnalyzeOptions ToAnalyzeOptions(const AnalyzeArgs& args, int tile_size_px);

// Every setting that changes a result, as a JSON object: the options as given, plus the
// SHA-256 of each side file's bytes (classifier, ROI, reference, calibration) and the
// needlescope version. Threads and tile size are left out: results do not depend on them.
nlohmann::ordered_json AnalyzeSettingsRecord(const AnalyzeArgs& args, const AnalyzeOptions& options);

}  // namespace needlescope::cli
