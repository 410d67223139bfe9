// needlescope analyze IMAGE... -o DIR: per image, DIR/<stem>.json and DIR/<stem>.punctures.csv.

#include <filesystem>
#include <set>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "cli/analyze_options.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/report_options.h"
#include "needlescope/io/input_error.h"
#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/pipeline/analyze.h"
#include "needlescope/qc/qc_flags.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/version.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope analyze IMAGE... -o DIR [options]\n"
    "Finds puncture sites, redness and coverage uniformity in each photo and writes\n"
    "DIR/<stem>.report.html (the page to open: photo with layers, numbers in words),\n"
    "DIR/<stem>.json and DIR/<stem>.punctures.csv; full-size PNGs with --pictures;\n"
    "formats: docs/output-format.md, docs/report.md. A file that\n"
    "cannot be processed is reported on stderr and skipped; the exit code is then 2.";

}  // namespace

int RunAnalyze(const std::vector<std::string>& args) {
  AnalyzeArgs a;
  CommonOptions common;
  ReportArgs report_args;
  std::vector<std::string> images;
  po::options_description desc("analyze options");
  desc.add_options()("image", po::value(&images)->multitoken()->required(), "input image(s): JPEG, PNG, TIFF, WebP");
  AddAnalyzeOptions(desc, a, /*with_pictures=*/true);
  AddReportOptions(desc, report_args);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  CheckReportArgs(report_args);
  AnalyzeOptions options = ToAnalyzeOptions(a, common.tile_size_px);
  options.make_report_layers = !report_args.no_report;
  options.measure_pooled_blood = true;
  options.measure_photo_quality = true;

  CreateOutputDirectory(common.out_dir);
  const ThreadLimit thread_limit(common.threads);

  nlohmann::ordered_json summary_images = nlohmann::ordered_json::array();
  std::map<std::string, std::string> stem_owner;  // output stem -> input that claimed it
  const std::set<std::string> run_inputs = CanonicalPaths(images);
  int failed = 0;
  const size_t n = images.size();
  for (size_t i = 0; i < n; ++i) {
    const std::string& path = images[i];
    AnalysisOutputPaths out = AnalysisOutputPathsFor(path, common.out_dir);
    if (!a.write_candidates) out.candidates_csv.clear();
    try {
      auto [owner, fresh] = stem_owner.emplace(out.json, path);
      if (!fresh) {
        throw InputError(path, "its output name " + out.json + " is already used by " +
                                   owner->second + " in this run");
      }
      AnalysisResult result = AnalyzeFile(path, options);
      // The per-photo QC flags, on batch's default thresholds (docs/batch.md, "QC flags").
      qc::JudgeQc(qc::QcOptions{}, &result);
      nlohmann::ordered_json analysis = WriteAnalysisOutputs(result, out, ShownName(report_args, path), run_inputs);
      if (report_args.pdf) {
        PrintReportToPdf(out.report_html, out.report_html.substr(0, out.report_html.size() - 5) + ".pdf",
                         report_args.paper);
      }
      if (!common.quiet) {
        std::cerr << "[" << i + 1 << "/" << n << "] " << path << ": " << result.punctures.size()
                  << " punctures -> " << out.json << "\n";
      }
      if (common.verbose) {
        for (const std::string& w : result.warnings) std::cerr << "  warning: " << w << "\n";
        for (const auto& [stage, ms] : result.timing_ms) {
          std::cerr << "  " << stage << ": " << ms << " ms\n";
        }
      }
      if (common.json_path.empty()) continue;  // the summary holds every analysis: only when asked
      summary_images.push_back({{"path", path}, {"status", "ok"}, {"json", out.json},
                                {"csv", out.csv},
                                {"redness_png", options.pictures.redness ? nlohmann::ordered_json(out.redness_png)
                                                                         : nlohmann::ordered_json(nullptr)},
                                {"analysis", std::move(analysis)}});
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
      summary_images.push_back({{"path", path}, {"status", "error"}, {"reason", e.reason()}});
    } catch (const std::exception& e) {
      const std::string reason = OutOfMemoryReason(e);
      if (reason.empty()) throw;  // a bug: main reports it (exit 3)
      ++failed;
      PrintInputError(path, reason);
      summary_images.push_back({{"path", path}, {"status", "error"}, {"reason", reason}});
    }
  }

  if (!common.json_path.empty()) {
    const nlohmann::ordered_json summary = {
        {"schema", "needlescope.run/1"},
        {"command", "analyze"},
        {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
        {"ok", static_cast<int>(n) - failed},
        {"failed", failed},
        {"images", summary_images}};
    WriteJsonOutput(common.json_path, JsonText(summary));
  }
  return failed > 0 ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
