// needlescope batch PATH... -o OUT: a resumable audit of many photos (docs/batch.md).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/analyze_options.h"
#include "cli/audit_db.h"
#include "cli/batch_inputs.h"
#include "cli/batch_summary.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "cli/region_file.h"
#include "needlescope/batch/in_order_pipeline.h"
#include "needlescope/batch/memory_budget.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_header.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/line_log.h"
#include "needlescope/io/sha256.h"
#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/io/exif_orientation.h"
#include "needlescope/qc/pooled_blood.h"
#include "needlescope/qc/qc_flags.h"
#include "needlescope/qc/session_order.h"
#include "needlescope/redness/region.h"
#include "needlescope/tiling/thread_control.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: needlescope batch PATH... -o OUT [--manifest CSV] [--jobs N] [options]\n"
    "Analyses every photo (PATH: files, or folders searched recursively) and appends one JSON\n"
    "line per photo to OUT/results.jsonl as each finishes, with quality-control flags; keeps\n"
    "OUT/audit.sqlite and writes OUT/summary.csv. Rerunning the same command skips photos\n"
    "already done with the same content and settings. Format and flags: docs/batch.md.\n"
    "Exit code 0 when every photo is ok, 2 when some could not be analysed (the others are done).";

struct BatchArgs {
  std::string manifest;
  int jobs = 0;
  double max_memory_mb = 0;
  std::string shard;
  bool per_image_outputs = false;
  qc::QcOptions qc;
};

// What analysing one input gave: a record to write, or nothing (done by an earlier run).
struct Outcome {
  bool skipped = false;
  Json record;
  std::uint64_t perceptual_hash = 0;  // for ok records
};

// Half the machine's memory: room for the system and whatever else runs.
double DefaultMaxMemoryMb() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? 0.5 * pages * static_cast<double>(page) / (1 << 20) : 4096;
}

std::pair<int, int> ParseShard(const std::string& text) {
  const size_t slash = text.find('/');
  try {
    size_t used_k = 0, used_n = 0;
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    const int k = std::stoi(text.substr(0, slash), &used_k), n = std::stoi(text.substr(slash + 1), &used_n);
    if (used_k != slash || used_n != text.size() - slash - 1 || n < 1 || k < 0 || k >= n) {
      throw std::invalid_argument("range");
    }
    return {k, n};
  } catch (const std::exception&) {
    throw UsageError("--shard = " + text + ": must be K/N with 0 <= K < N");
  }
}

// The analysis sections a batch record carries: analyze's JSON without what depends on the
// machine or the run (thread count, timings), so that the lines are the same for any --threads.
void AddAnalysis(const AnalysisResult& result, const LoadedImage& image, Json* record) {
  Json analysis = AnalysisToJson(result);
  Json& r = *record;
  r["tool"] = analysis["tool"];
  r["file"] = analysis["image"];
  r["file"]["exif_datetime"] = image.exif_datetime.empty() ? Json(nullptr) : Json(image.exif_datetime);
  for (const char* section : {"warnings", "detection", "redness", "uniformity", "punctures"}) {
    r[section] = std::move(analysis[section]);
  }
}

Json QualityJson(const qc::PhotoQuality& q) {
  return {{"sharpness", q.sharpness},         {"p99_max_channel", q.p99_max_channel},
          {"dark_fraction", q.dark_fraction}, {"clipped_fraction", q.clipped_fraction},
          {"log_red_green", q.log_red_green}, {"log_blue_green", q.log_blue_green},
          {"perceptual_hash", qc::HashHex(q.perceptual_hash)}};
}

Json QcOptionsJson(const qc::QcOptions& o) {
  return {{"min_sharpness", o.min_sharpness},         {"min_p99_max_channel", o.min_p99_max_channel},
          {"max_dark_fraction", o.max_dark_fraction}, {"max_clipped_fraction", o.max_clipped_fraction},
          {"cast_tolerance", o.cast_tolerance},       {"max_gap_fraction", o.max_gap_fraction},
          {"max_delta_a_star", o.max_delta_a_star},   {"near_duplicate_bits", o.near_duplicate_bits},
          {"max_pool_punctures", o.max_pool_punctures}};
}

// The flags that compare an input with those before it (in input order, so the same for
// any thread count): the same bytes, or a picture within a few bits of perceptual hash.
class DuplicateFinder {
 public:
  void Check(Json* record, std::uint64_t hash, int near_bits) {
    const std::string path = (*record)["image"], sha = (*record)["sha256"];
    std::string of, kind;
    if (const auto it = by_sha_.find(sha); it != by_sha_.end() && it->second != path) {
      of = it->second;
      kind = "identical bytes";
    } else {
      for (const auto& [other_hash, other_path] : by_hash_) {
        if (other_path != path && qc::HashDistance(hash, other_hash) <= near_bits) {
          of = other_path;
          kind = "near (" + std::to_string(qc::HashDistance(hash, other_hash)) + " of 64 perceptual-hash bits differ)";
          break;
        }
      }
    }
    Remember(path, sha, hash);
    if (of.empty()) return;
    (*record)["flags"].push_back("duplicate");
    (*record)["duplicate_of"] = {{"image", of}, {"kind", kind}};
  }
  void Remember(const std::string& path, const std::string& sha, std::uint64_t hash) {
    by_sha_.emplace(sha, path);
    by_hash_.emplace_back(hash, path);
  }

 private:
  std::map<std::string, std::string> by_sha_;
  std::vector<std::pair<std::uint64_t, std::string>> by_hash_;
};

// The camera time in a photo's EXIF block, or "" (none, or not in the first megabyte, where
// JPEG and PNG writers put it): read without decoding, for out_of_order.
std::string CameraTime(const std::string& path) {
  std::vector<std::uint8_t> prefix(1 << 20);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(prefix.data()), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<size_t>(in.gcount()));
  try {
    const ImageHeader header = ParseImageHeader(prefix.data(), prefix.size(), path);
    if (header.exif_size == 0 || header.exif_offset + header.exif_size > prefix.size()) return "";
    return ReadExifDateTime(prefix.data() + header.exif_offset, header.exif_size);
  } catch (const std::exception&) {
    return "";  // an unreadable file is that input's error, reported when it is analysed
  }
}

// For each input, the photo of the same patient its camera time contradicts, or "".
std::vector<std::string> OutOfOrderWith(const std::vector<BatchInput>& inputs) {
  std::vector<qc::SessionPhoto> photos(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Json& m = inputs[i].manifest;
    if (!m.contains("patient_id") || !(m.contains("taken_at") || m.contains("session_id"))) continue;
    photos[i] = {m["patient_id"], m.value("taken_at", m.value("session_id", "")), CameraTime(inputs[i].path)};
  }
  std::vector<std::string> with(inputs.size());
  const std::vector<int> index = qc::OutOfOrderWith(photos);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (index[i] >= 0) with[i] = inputs[static_cast<size_t>(index[i])].path;
  }
  return with;
}

// What makes an input done: its path, content and manifest row (a changed scale or ROI in
// the manifest is new work); the settings are matched separately.
std::string DoneKey(const std::string& path, const std::string& sha256, const Json& manifest) {
  return path + '\n' + sha256 + '\n' + manifest.dump();
}

// Analyses one input into its record. Never throws for a bad input: that is its record.
Outcome Analyse(const BatchInput& in, const AnalyzeOptions& base, const BatchArgs& batch,
                const std::string& settings_key, const std::set<std::string>& done, batch::MemoryBudget& budget,
                const std::string& per_image_dir, const std::string& out_of_order_with) {
  Outcome out;
  Json& r = out.record;
  r = {{"schema", "needlescope.batch-result/1"}, {"image", in.path}, {"sha256", nullptr},
       {"settings_key", settings_key}, {"status", "ok"}, {"flags", Json::array()}};
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
    AnalyzeOptions options = base;
    if (in.manifest.contains("mm_per_px")) {
      options.mm_per_px = options.uniformity.mm_per_px = in.manifest["mm_per_px"].get<double>();
    }
    if (in.manifest.contains("roi")) options.redness.roi = ReadRegionFile(in.manifest["roi"].get<std::string>());
    const ImageHeader header = ParseImageHeader(bytes.data(), bytes.size(), in.path);
    const batch::BudgetReservation memory(budget, batch::AnalysisBytesFor(header.width, header.height));
    const LoadedImage image = DecodeImage(bytes, in.path, options.load);
    AnalysisResult result;
    try {
      result = AnalyzeImage(image, options);
    } catch (const redness::RegionError& e) {
      throw InputError(in.path, e.what());
    }
    const qc::PhotoQuality quality = qc::MeasurePhotoQuality(image.bgr);
    out.perceptual_hash = quality.perceptual_hash;
    const bool on_skin = result.detection.value("target", "") == "blood";
    const qc::PooledBlood blood = on_skin && result.redness_maps
                                      ? qc::MeasurePooledBlood(result.redness_maps->delta_hemoglobin_map, result.punctures)
                                      : qc::PooledBlood{};
    for (const std::string& flag : qc::PhotoFlags(quality, blood, result, batch.qc)) r["flags"].push_back(flag);
    if (!out_of_order_with.empty()) {
      r["flags"].push_back("out_of_order");
      r["out_of_order_with"] = out_of_order_with;
    }
    r["qc"] = QualityJson(quality);
    r["qc"]["pooled_blood"] = blood.measured ? Json{{"blood_level", blood.blood_level},
                                                    {"puncture_area_px", blood.puncture_area_px},
                                                    {"largest_area_px", blood.largest_area_px},
                                                    {"in_punctures", blood.largest_area_px / blood.puncture_area_px},
                                                    {"largest_at", {blood.largest_centre.x, blood.largest_centre.y}}}
                                             : Json(nullptr);
    AddAnalysis(result, image, &r);
    if (!per_image_dir.empty()) {
      const std::string tag = Sha256Hex(reinterpret_cast<const std::uint8_t*>(in.path.data()), in.path.size()).substr(0, 8);
      const fs::path named = fs::path(in.path).stem().string() + "-" + tag + fs::path(in.path).extension().string();
      WriteAnalysisOutputs(result, AnalysisOutputPathsFor(named.string(), per_image_dir));
    }
  } catch (const InputError& e) {
    r["status"] = "error";
    r["error"] = e.reason();
  } catch (const std::exception& e) {  // a bug or an exhausted machine: this input only
    r["status"] = "error";
    r["error"] = std::string("internal error: ") + e.what();
  }
  return out;
}

}  // namespace

int RunBatch(const std::vector<std::string>& args) {
  AnalyzeArgs a;
  a.pictures = "none";
  BatchArgs b;
  CommonOptions common;
  std::vector<std::string> paths;
  po::options_description desc("batch options");
  desc.add_options()
      ("image", po::value(&paths)->multitoken(), "photos and folders (searched recursively)")
      ("manifest", po::value(&b.manifest)->default_value(""),
       "CSV: path, patient_id, session_id, taken_at, role, area, mm_per_px, roi (docs/batch.md)")
      ("jobs", po::value(&b.jobs)->default_value(0), "photos in flight at once; 0 = the thread count")
      ("max-memory", po::value(&b.max_memory_mb)->default_value(0),
       "MB the photos in flight may hold together; 0 = half the machine's memory")
      ("shard", po::value(&b.shard)->default_value(""), "K/N: only the K-th of N shares of the inputs (by path)")
      ("per-image-outputs", po::bool_switch(&b.per_image_outputs),
       "also write each photo's analyze files (JSON, CSV, --pictures) under OUT/images/")
      ("qc-min-sharpness", po::value(&b.qc.min_sharpness)->default_value(b.qc.min_sharpness), "blurred below")
      ("qc-min-p99", po::value(&b.qc.min_p99_max_channel)->default_value(b.qc.min_p99_max_channel),
       "underexposed when the 99th percentile of max(R,G,B) is below this (0-255)")
      ("qc-max-dark-fraction", po::value(&b.qc.max_dark_fraction)->default_value(b.qc.max_dark_fraction),
       "underexposed when more of the photo than this is at codes <= 10")
      ("qc-max-clipped-fraction", po::value(&b.qc.max_clipped_fraction)->default_value(b.qc.max_clipped_fraction),
       "overexposed when more of the photo than this has a channel at 255")
      ("qc-cast-tolerance", po::value(&b.qc.cast_tolerance)->default_value(b.qc.cast_tolerance),
       "colour_cast when ln(B/G) is above this or ln(R/G) below minus this")
      ("qc-max-gap-fraction", po::value(&b.qc.max_gap_fraction)->default_value(b.qc.max_gap_fraction),
       "coverage_gaps at or above this share of the treated window")
      ("qc-max-delta-a", po::value(&b.qc.max_delta_a_star)->default_value(b.qc.max_delta_a_star),
       "excess_redness above this treated-minus-untreated median a*")
      ("qc-max-pool", po::value(&b.qc.max_pool_punctures)->default_value(b.qc.max_pool_punctures),
       "possible_bleeding when blood as dark as the punctures covers more than this many punctures' area")
      ("qc-near-duplicate-bits", po::value(&b.qc.near_duplicate_bits)->default_value(b.qc.near_duplicate_bits),
       "duplicate when perceptual hashes differ in at most this many of 64 bits");
  AddAnalyzeOptions(desc, a, /*with_pictures=*/true);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  if (paths.empty() && b.manifest.empty()) throw UsageError("give photos or folders, or --manifest");
  if (common.out_dir.empty()) throw UsageError("--out (-o) is required: the folder for results.jsonl");
  if (b.jobs < 0) throw UsageError("--jobs = " + std::to_string(b.jobs) + ": must be >= 0");
  if (b.max_memory_mb < 0) throw UsageError("--max-memory must be >= 0");
  if (std::string error = b.qc.Check(); !error.empty()) throw UsageError(error);
  const std::pair<int, int> shard = b.shard.empty() ? std::pair<int, int>{0, 1} : ParseShard(b.shard);
  AnalyzeOptions options = ToAnalyzeOptions(a, common.tile_size_px);
  options.encode_pictures = b.per_image_outputs;

  std::vector<std::string> warnings;
  std::vector<BatchInput> manifest;
  if (!b.manifest.empty()) manifest = ReadManifest(b.manifest, &warnings);
  const std::vector<BatchInput> inputs = ShardOf(CollectInputs(paths, manifest), shard.first, shard.second);
  for (const std::string& w : warnings) std::cerr << "needlescope: warning: " << w << "\n";

  const Json settings = {{"analysis", AnalyzeSettingsRecord(a, options)}, {"qc", QcOptionsJson(b.qc)}};
  const std::string settings_text = settings.dump();
  const std::string settings_key =
      Sha256Hex(reinterpret_cast<const std::uint8_t*>(settings_text.data()), settings_text.size());

  CreateOutputDirectory(common.out_dir);
  const std::string per_image_dir = b.per_image_outputs ? common.out_dir + "/images" : "";
  if (!per_image_dir.empty()) CreateOutputDirectory(per_image_dir);
  const std::string jsonl_path = common.out_dir + "/results.jsonl";
  std::vector<std::string> earlier_lines;
  LineLog log(jsonl_path, &earlier_lines);
  AuditDb db(common.out_dir + "/audit.sqlite");
  // The JSONL line is written before the database row: a kill between the two leaves a line
  // the database lacks, put in here.
  for (const std::string& line : earlier_lines) {
    const Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_object() && record.contains("settings_key")) db.Insert(record);
  }
  std::set<std::string> done;  // DoneKey of the inputs done with these settings
  std::map<std::string, std::string> earlier_status;
  DuplicateFinder duplicates;
  for (const Json& r : db.Records()) {
    if (r["settings_key"] != settings_key) continue;
    done.insert(DoneKey(r["image"], r["sha256"].is_string() ? r["sha256"].get<std::string>() : "",
                        r.contains("manifest") ? r["manifest"] : Json::object()));
    earlier_status[r["image"]] = r["status"];
    std::uint64_t hash = 0;
    if (r["status"] == "ok" && qc::ParseHashHex(r["qc"].value("perceptual_hash", ""), &hash)) {
      duplicates.Remember(r["image"], r["sha256"], hash);
    }
  }

  const ThreadLimit thread_limit(common.threads);
  const size_t threads = static_cast<size_t>(thread_limit.threads());
  const size_t jobs = b.jobs > 0 ? static_cast<size_t>(b.jobs) : threads;
  batch::MemoryBudget budget(static_cast<std::uint64_t>((b.max_memory_mb > 0 ? b.max_memory_mb : DefaultMaxMemoryMb()) *
                                                        (1 << 20)));
  const std::vector<std::string> out_of_order = OutOfOrderWith(inputs);
  Progress progress(inputs.size(), isatty(STDERR_FILENO) != 0, common.quiet);
  int failed = 0;
  batch::RunInOrder(
      inputs.size(), jobs,
      [&](size_t i) {
        return Analyse(inputs[i], options, b, settings_key, done, budget, per_image_dir, out_of_order[i]);
      },
      [&](size_t i, Outcome outcome) {
        if (outcome.skipped) {
          const bool bad = earlier_status[inputs[i].path] == "error";
          failed += bad;
          progress.Step(true, bad);
          return;
        }
        Json& r = outcome.record;
        const bool ok = r["status"] == "ok";
        if (ok) duplicates.Check(&r, outcome.perceptual_hash, b.qc.near_duplicate_bits);
        log.Append(r.dump());
        db.Insert(r);
        if (!ok) {
          ++failed;
          progress.Message("needlescope: error: " + inputs[i].path + ": " + r["error"].get<std::string>());
        }
        progress.Step(false, !ok);
      });
  progress.Finish();
  WriteFileAtomically(common.out_dir + "/summary.csv", BatchSummaryCsv(db.Records()));
  if (!common.quiet) {
    std::cerr << "batch: results in " << jsonl_path << ", " << common.out_dir << "/summary.csv and "
              << common.out_dir << "/audit.sqlite\n";
  }
  return failed > 0 ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
