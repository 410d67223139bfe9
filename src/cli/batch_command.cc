// needlescope batch PATH... -o OUT: a resumable audit of many photos (docs/batch.md).

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/analyze_options.h"
#include "cli/audit_db.h"
#include "cli/batch_cross_checks.h"
#include "cli/batch_inputs.h"
#include "cli/batch_record.h"
#include "cli/batch_summary.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/report_options.h"
#include "cli/progress.h"
#include "cli/region_file.h"
#include "needlescope/batch/in_order_pipeline.h"
#include "needlescope/batch/memory_budget.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_header.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/json_text.h"
#include "needlescope/io/line_log.h"
#include "needlescope/io/sha256.h"
#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/io/exif_orientation.h"
#include "needlescope/qc/pooled_blood.h"
#include "needlescope/qc/qc_flags.h"
#include "needlescope/qc/session_order.h"
#include "needlescope/redness/region.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/version.h"

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
  double max_seconds_per_image = 600;
  std::string shard;
  bool per_image_outputs = false;
  bool keep_metadata = false;
  qc::QcOptions qc;
};

constexpr double kProcessReserveMb = 96;  // what --max-memory keeps for the process beside its photos

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

Json QcOptionsJson(const qc::QcOptions& o) {
  return {{"min_sharpness", o.min_sharpness},         {"min_p99_max_channel", o.min_p99_max_channel},
          {"max_dark_fraction", o.max_dark_fraction}, {"max_clipped_fraction", o.max_clipped_fraction},
          {"cast_tolerance", o.cast_tolerance},       {"max_gap_fraction", o.max_gap_fraction},
          {"max_delta_a_star", o.max_delta_a_star},   {"near_duplicate_bits", o.near_duplicate_bits},
          {"max_pool_punctures", o.max_pool_punctures}};
}

}  // namespace

int RunBatch(const std::vector<std::string>& args) {
  AnalyzeArgs a;
  a.pictures = "none";
  BatchArgs b;
  ReportArgs anonymity;
  CommonOptions common;
  std::vector<std::string> paths;
  po::options_description desc("batch options");
  desc.add_options()
      ("image", po::value(&paths)->multitoken(), "photos and folders (searched recursively)")
      ("manifest", po::value(&b.manifest)->default_value(""),
       "CSV: path, patient_id, session_id, taken_at, role, area, mm_per_px, roi (docs/batch.md)")
      ("jobs", po::value(&b.jobs)->default_value(0), "photos in flight at once; 0 = the thread count")
      ("max-memory", po::value(&b.max_memory_mb)->default_value(0),
       "MB the run may hold (the photos in flight, each counted at 17 bytes per pixel, and 96 MB\n"
       "for the process); 0 = half the machine's memory. A photo larger than that runs alone")
      ("max-seconds-per-image", po::value(&b.max_seconds_per_image)->default_value(b.max_seconds_per_image),
       "a photo not decoded and analysed within this many seconds is stopped and recorded as an\n"
       "error (the others go on); 0 = no cap. Its time starts once memory for it is free")
      ("shard", po::value(&b.shard)->default_value(""), "K/N: only the K-th of N shares of the inputs (by the manifest's patient_id, else by path)")
      ("per-image-outputs", po::bool_switch(&b.per_image_outputs),
       "also write each photo's analyze files (JSON, CSV, report page, --pictures) under OUT/images/")
      ("keep-metadata", po::bool_switch(&b.keep_metadata),
       "record each photo's EXIF capture time in the outputs (file.exif_datetime); without it the\n"
       "time is only compared with the manifest (out_of_order), never written")
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
  AddAnonymizeOptions(desc, anonymity);
  AddAnalyzeOptions(desc, a, /*with_pictures=*/true);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  if (paths.empty() && b.manifest.empty()) throw UsageError("give photos or folders, or --manifest");
  if (common.out_dir.empty()) throw UsageError("--out (-o) is required: the folder for results.jsonl");
  if (b.jobs < 0) throw UsageError("--jobs = " + std::to_string(b.jobs) + ": must be >= 0");
  if (b.max_memory_mb < 0 || (b.max_memory_mb > 0 && b.max_memory_mb < 2 * kProcessReserveMb)) {
    throw UsageError("--max-memory = " + std::to_string(static_cast<long>(b.max_memory_mb)) + ": must be 0 (half the machine) or at least " +
                     std::to_string(static_cast<int>(2 * kProcessReserveMb)) + " MB (the process itself holds about 75)");
  }
  if (!(b.max_seconds_per_image >= 0) || !std::isfinite(b.max_seconds_per_image)) {
    throw UsageError("--max-seconds-per-image = " + std::to_string(b.max_seconds_per_image) + ": must be >= 0 (0 = no cap)");
  }
  CheckReportArgs(anonymity);
  if (std::string error = b.qc.Check(); !error.empty()) throw UsageError(error);
  const std::pair<int, int> shard = b.shard.empty() ? std::pair<int, int>{0, 1} : ParseShard(b.shard);
  BatchContext context;
  context.options = ToAnalyzeOptions(a, common.tile_size_px);
  context.options.encode_pictures = b.per_image_outputs;
  context.options.make_report_layers = b.per_image_outputs;  // each photo's page, with its QC flags
  context.options.measure_pooled_blood = true;
  context.options.measure_photo_quality = true;  // first and alone: gone before the analysis peaks
  context.qc = b.qc;
  context.write_candidates = a.write_candidates;
  context.keep_metadata = b.keep_metadata;
  context.max_seconds_per_image = b.max_seconds_per_image;
  context.anonymity = anonymity;

  std::vector<std::string> warnings;
  std::vector<BatchInput> manifest;
  if (!b.manifest.empty()) manifest = ReadManifest(b.manifest, &warnings);
  if (anonymity.anonymize) {
    // Every output (records, summary, database, pages, shards) then knows the ids only by
    // their salted hashes; `query --patient ID --salt S` finds them again.
    for (BatchInput& row : manifest) {
      for (const char* id : {"patient_id", "session_id"}) {
        if (row.manifest.contains(id) && row.manifest[id].is_string()) {
          row.manifest[id] = ShownName(anonymity, row.manifest[id].get<std::string>(), id == std::string("patient_id") ? "patient" : "session");
        }
      }
    }
  }
  const std::vector<BatchInput> inputs = ShardOf(CollectInputs(paths, manifest), shard.first, shard.second);
  for (const std::string& w : warnings) std::cerr << "needlescope: warning: " << w << "\n";

  // --keep-metadata changes what a record holds: a rerun with it redoes the photos.
  const Json settings = {{"analysis", AnalyzeSettingsRecord(a, context.options)},
                         {"qc", QcOptionsJson(b.qc)},
                         {"keep_metadata", b.keep_metadata}};
  const std::string settings_text = settings.dump();
  context.settings_key = Sha256Hex(reinterpret_cast<const std::uint8_t*>(settings_text.data()), settings_text.size());

  CreateOutputDirectory(common.out_dir);
  if (b.per_image_outputs) {
    std::vector<std::string> input_paths;
    for (const BatchInput& in : inputs) input_paths.push_back(in.path);
    context.run_inputs = CanonicalPaths(input_paths);
    context.per_image_dir = common.out_dir + "/images";
    CreateOutputDirectory(context.per_image_dir);
  }
  const std::string jsonl_path = common.out_dir + "/results.jsonl";
  LineLog log(jsonl_path);
  AuditDb db(common.out_dir + "/audit.sqlite");
  // Each line is written before its database row, so a kill between the two leaves lines the
  // database lacks, at the end of the file: they are put in here.
  if (log.lines() > db.Count()) {
    ForEachLine(jsonl_path, db.Count(), [&](const std::string& line) {
      const Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (record.is_object() && record.contains("settings_key")) db.Insert(record);
    });
  }
  std::map<std::string, std::string> earlier_status;
  DuplicateFinder duplicates;
  for (const AuditDb::DoneRow& row : db.DoneRows(context.settings_key)) {
    context.done.insert(DoneKey(row.path, row.sha256, row.manifest));
    earlier_status[row.path] = row.status;
    std::uint64_t hash = 0;
    if (row.status == "ok" && qc::ParseHashHex(row.perceptual_hash, &hash)) duplicates.Remember(row.path, row.sha256, hash);
  }

  const ThreadLimit thread_limit(common.threads);
  const size_t threads = static_cast<size_t>(thread_limit.threads());
  const size_t jobs = b.jobs > 0 ? static_cast<size_t>(b.jobs) : threads;
  // The photos share what the process itself does not hold (libraries, model, buffers:
  // 71 MB measured with one 64 x 64 photo).
  const double total_mb = b.max_memory_mb > 0 ? b.max_memory_mb : DefaultMaxMemoryMb();
  batch::MemoryBudget budget(static_cast<std::uint64_t>((total_mb - kProcessReserveMb) * (1 << 20)));
  context.budget = &budget;
  const std::vector<std::string> out_of_order = OutOfOrderWith(inputs);
  Progress progress(inputs.size(), isatty(STDERR_FILENO) != 0, common.quiet);
  int failed = 0;
  batch::RunInOrder(
      inputs.size(), jobs,
      [&](size_t i) { return AnalyseInput(inputs[i], context, out_of_order[i]); },
      [&](size_t i, BatchOutcome outcome) {
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
  WriteFileAtomically(common.out_dir + "/summary.csv", BatchSummaryCsv(db.SummaryRows()));
  if (!common.quiet) {
    std::cerr << "batch: results in " << jsonl_path << ", " << common.out_dir << "/summary.csv and "
              << common.out_dir << "/audit.sqlite\n";
  }
  if (!common.json_path.empty()) {
    WriteJsonOutput(common.json_path,
                    JsonText(Json{{"schema", "needlescope.run/1"}, {"command", "batch"},
                                  {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
                                  {"ok", static_cast<int>(inputs.size()) - failed}, {"failed", failed},
                                  {"results", jsonl_path}, {"summary", common.out_dir + "/summary.csv"},
                                  {"database", common.out_dir + "/audit.sqlite"}}));
  }
  return failed > 0 ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
