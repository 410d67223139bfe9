#include "cli/batch_record.h"

#include <filesystem>

#include "cli/common_options.h"
#include "cli/region_file.h"
#include "needlescope/batch/time_limit.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_header.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"
#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/pooled_blood.h"
#include "needlescope/redness/region.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// The analysis sections a batch record carries: analyze's JSON without what depends on the
// machine or the run (thread count, timings), so that the lines are the same for any --threads.
void AddAnalysis(const AnalysisResult& result, const LoadedImage& image, bool keep_metadata, Json* record) {
  Json analysis = AnalysisToJson(result);
  Json& r = *record;
  r["tool"] = analysis["tool"];
  r["file"] = analysis["image"];
  // EXIF text reaches an output only when asked (--keep-metadata): a capture time is patient data.
  r["file"]["exif_datetime"] = image.exif_datetime.empty() || !keep_metadata ? Json(nullptr) : Json(image.exif_datetime);
  for (const char* section : {"warnings", "detection", "redness", "uniformity", "punctures"}) {
    r[section] = std::move(analysis[section]);
  }
}

}  // namespace

std::string DoneKey(const std::string& path, const std::string& sha256, const Json& manifest) {
  return path + '\n' + sha256 + '\n' + manifest.dump();
}

BatchOutcome AnalyseInput(const BatchInput& in, const BatchContext& context, const std::string& out_of_order_with) {
  const std::set<std::string>& done = context.done;
  BatchOutcome out;
  Json& r = out.record;
  r = {{"schema", "needlescope.batch-result/1"}, {"image", in.path}, {"sha256", nullptr},
       {"settings_key", context.settings_key}, {"status", "ok"}, {"flags", Json::array()}};
  if (!in.manifest.empty()) r["manifest"] = in.manifest;
  try {
    std::vector<std::uint8_t> bytes;
    try {
      if (!in.manifest_error.empty()) throw InputError(in.path, in.manifest_error);
      bytes = ReadFileBytes(in.path);
      r["sha256"] = Sha256Hex(bytes.data(), bytes.size());
    } catch (const InputError&) {
      out.skipped = done.count(DoneKey(in.path, "", in.manifest)) > 0;  // reported by an earlier run
      if (out.skipped) return out;
      throw;
    }
    if (done.count(DoneKey(in.path, r["sha256"], in.manifest))) {
      out.skipped = true;
      return out;
    }
    AnalyzeOptions options = context.options;
    if (in.manifest.contains("mm_per_px")) {
      options.mm_per_px = options.uniformity.mm_per_px = in.manifest["mm_per_px"].get<double>();
    }
    if (in.manifest.contains("roi")) options.redness.roi = ReadRegionFile(in.manifest["roi"].get<std::string>());
    const ImageHeader header = ParseImageHeader(bytes.data(), bytes.size(), in.path);
    const batch::BudgetReservation memory(*context.budget, batch::AnalysisBytesFor(header.width, header.height));
    // The time cap counts from here: waiting for memory above is not this photo's time.
    LoadedImage image;
    AnalysisResult result;
    batch::RunWithTimeLimit(context.max_seconds_per_image, [&] {
      image = DecodeImage(bytes, in.path, options.load);
      std::vector<std::uint8_t>().swap(bytes);
      try {
        result = AnalyzeImage(image, options);
      } catch (const redness::RegionError& e) {
        throw InputError(in.path, e.what());
      }
    });
    out.perceptual_hash = result.photo_quality->perceptual_hash;
    qc::JudgeQc(context.qc, &result);
    if (!out_of_order_with.empty()) result.qc.flags.push_back("out_of_order");
    if (!context.per_image_dir.empty()) {
      const std::string tag = Sha256Hex(reinterpret_cast<const std::uint8_t*>(in.path.data()), in.path.size()).substr(0, 8);
      const fs::path named = fs::path(in.path).stem().string() + "-" + tag + fs::path(in.path).extension().string();
      AnalysisOutputPaths paths = AnalysisOutputPathsFor(named.string(), context.per_image_dir);
      if (!context.write_candidates) paths.candidates_csv.clear();
      // The page shows the flags this photo earned on its own (a duplicate is known only
      // when the batch is done: results.jsonl and summary.csv have it).
      WriteAnalysisOutputs(result, paths, ShownName(context.anonymity, in.path), context.run_inputs);
    }
    // What the record needs is measured: let the full-size planes go before it is written.
    if (result.redness_maps) redness::ReleaseMaps(*result.redness_maps);
    result.pictures = EncodedPictures{};
    result.report_layers = ReportLayers{};
    std::vector<detect::Candidate>().swap(result.candidates);
    for (const std::string& flag : result.qc.flags) r["flags"].push_back(flag);
    if (!out_of_order_with.empty()) r["out_of_order_with"] = out_of_order_with;
    r["qc"] = std::move(result.qc.measures);
    AddAnalysis(result, image, context.keep_metadata, &r);
  } catch (const InputError& e) {
    r["status"] = "error";
    r["error"] = e.reason();
  } catch (const batch::TimeLimitExceeded& e) {
    r["status"] = "error";
    r["error"] = e.what();
  } catch (const std::exception& e) {  // a bug or an exhausted machine: this input only
    r["status"] = "error";
    const std::string memory = OutOfMemoryReason(e);
    r["error"] = memory.empty() ? std::string("internal error: ") + e.what() : memory;
  }
  return out;
}

}  // namespace needlescope::cli
