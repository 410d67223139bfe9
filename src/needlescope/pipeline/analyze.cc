#include "needlescope/pipeline/analyze.h"

#include <algorithm>
#include <chrono>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

namespace needlescope {
namespace {

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

std::string AnalyzeOptions::Check() const {
  if (std::string error = load.Check(); !error.empty()) return error;
  return tiling.Check();
}

AnalysisResult AnalyzeImage(const LoadedImage& image, const AnalyzeOptions& options) {
  AnalysisResult result;
  result.path = image.path;
  result.format = image.format;
  result.sha256 = image.sha256;
  result.width = image.bgr.cols;
  result.height = image.bgr.rows;
  result.exif_orientation = image.exif_orientation;
  result.orientation_applied = image.orientation_applied;
  result.warnings = image.warnings;
  // The limit in force, capped by what the arena can really run (a limit above the core
  // count does not add threads).
  result.threads = std::min(
      static_cast<int>(
          tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)),
      tbb::this_task_arena::max_concurrency());
  result.tile_size_px = options.tiling.tile_size_px;
  // Detection, redness and uniformity stages are added here by their issues.
  return result;
}

AnalysisResult AnalyzeFile(const std::string& path, const AnalyzeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedImage image = LoadImage(path, options.load);
  const double decode_ms = MillisecondsSince(start);
  AnalysisResult result = AnalyzeImage(image, options);
  result.timing_ms["decode"] = decode_ms;
  result.timing_ms["total"] = MillisecondsSince(start);
  return result;
}

}  // namespace needlescope
