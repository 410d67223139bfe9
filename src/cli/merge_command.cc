// needlescope merge OUT... -o MERGED: the outputs of several batch runs (shards) as one.

#include <filesystem>
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/analyze_options.h"
#include "cli/audit_db.h"
#include "cli/batch_cross_checks.h"
#include "cli/batch_summary.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/line_log.h"
#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/qc_flags.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: needlescope merge OUT... -o MERGED\n"
    "Combines batch outputs (e.g. the shards of --shard K/N) into MERGED: every record of\n"
    "every OUT/results.jsonl once (a photo, content and settings already in MERGED is not\n"
    "added again), MERGED/audit.sqlite and MERGED/summary.csv. Rerunning it adds only what is new.\n"
    "A photo that duplicates one merged before it from another source gets the duplicate flag.";

// The identity of a record: one photo's content under one set of settings (as AuditDb::Keys).
std::string RecordKey(const Json& r) {
  const Json& sha = r["sha256"];
  return r["image"].get<std::string>() + '\n' + (sha.is_string() ? sha.get<std::string>() : "") + '\n' +
         r["settings_key"].get<std::string>();
}

// The record of a line, or an InputError naming the file when the line is not one. Every
// member the merge reads is checked here (batch writes them all: sha256 null for a file it
// could not read), so that reading them later cannot index a missing key.
Json RecordOf(const std::string& line, const std::string& file) {
  Json r = Json::parse(line, nullptr, false);
  const auto has = [&](const char* key, bool (Json::*is)() const) { return r.contains(key) && (r[key].*is)(); };
  if (!r.is_object() || !has("image", &Json::is_string) || !has("settings_key", &Json::is_string) ||
      !has("status", &Json::is_string) || !has("flags", &Json::is_array) ||
      !(has("sha256", &Json::is_string) || has("sha256", &Json::is_null))) {
    throw InputError(file, "a line that is not a batch record: " + line.substr(0, 80));
  }
  return r;
}

// An ok record's perceptual hash.
std::optional<std::uint64_t> PerceptualHashOf(const Json& r) {
  std::uint64_t hash = 0;
  if (r["status"] != "ok" || !r.contains("qc") || !r["qc"].is_object()) return std::nullopt;
  if (!qc::ParseHashHex(r["qc"].value("perceptual_hash", ""), &hash)) return std::nullopt;
  return hash;
}

bool HasFlag(const Json& r, const std::string& flag) {
  const Json& flags = r["flags"];
  return flags.is_array() && std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

int RunMerge(const std::vector<std::string>& args) {
  std::vector<std::string> sources;
  std::string merged;
  int near_bits = qc::QcOptions{}.near_duplicate_bits;
  po::options_description desc("merge options");
  desc.add_options()("source", po::value(&sources)->multitoken()->required(), "batch output folders")
      ("out,o", po::value(&merged)->required(), "the merged output folder (created, or added to)")
      ("qc-near-duplicate-bits", po::value(&near_bits)->default_value(near_bits),
       "a photo duplicates one of another source when their perceptual hashes differ in at most this\n"
       "many of 64 bits (as batch's option of that name)");
  po::positional_options_description positional;
  positional.add("source", -1);
  if (!ParseCommandLine(args, desc, positional, kUsage)) return kExitOk;

  // Every source is checked whole before anything is written: a bad one stops the merge
  // cleanly. One line in memory at a time (a record is about a megabyte at 12 MP).
  for (const std::string& source : sources) {
    const std::string file = source + "/results.jsonl";
    if (!std::filesystem::is_regular_file(file)) throw InputError(file, "no batch results here");
    std::error_code ec;
    if (std::filesystem::equivalent(source, merged, ec)) throw InputError(source, "is the merged folder itself");
    ForEachLine(file, 0, [&](const std::string& line) { RecordOf(line, file); });
  }
  CreateOutputDirectory(merged);
  const std::string merged_file = merged + "/results.jsonl";
  LineLog log(merged_file);
  AuditDb db(merged + "/audit.sqlite");
  if (log.lines() > db.Count()) {  // lines a killed merge wrote before their rows
    ForEachLine(merged_file, db.Count(), [&](const std::string& line) { db.Insert(RecordOf(line, merged_file)); });
  }
  const std::vector<std::string> keys = db.Keys();
  std::set<std::string> have(keys.begin(), keys.end());
  // A shard compared its photos only with each other: compare each merged photo with those
  // merged before it (earlier sources, earlier lines), as one run would have.
  DuplicateFinder duplicates;
  for (const AuditDb::PhotoRow& p : db.OkPhotos()) {
    std::uint64_t hash = 0;
    if (qc::ParseHashHex(p.perceptual_hash, &hash)) duplicates.Remember(p.path, p.sha256, hash);
  }
  size_t added = 0, already = 0, cross_duplicates = 0;
  for (const std::string& source : sources) {
    ForEachLine(source + "/results.jsonl", 0, [&](const std::string& line) {
      Json r = RecordOf(line, source + "/results.jsonl");
      if (!have.insert(RecordKey(r)).second) {
        ++already;
        return;
      }
      bool rewritten = false;
      if (const auto hash = PerceptualHashOf(r)) {
        if (HasFlag(r, "duplicate")) {
          const std::string sha = r["sha256"].is_string() ? r["sha256"].get<std::string>() : "";
          duplicates.Remember(r["image"].get<std::string>(), sha, *hash);  // its shard found it already
        } else {
          duplicates.Check(&r, *hash, near_bits);
          rewritten = HasFlag(r, "duplicate");
        }
      }
      log.Append(rewritten ? r.dump() : line);
      db.Insert(r);
      ++added;
      cross_duplicates += rewritten;
    });
  }
  WriteFileAtomically(merged + "/summary.csv", BatchSummaryCsv(db.SummaryRows()));
  std::cerr << "merge: " << added << " record(s) added, " << already << " already in " << merged;
  if (cross_duplicates) std::cerr << "; " << cross_duplicates << " found to duplicate a photo of another source";
  std::cerr << "\n";
  return kExitOk;
}

}  // namespace needlescope::cli
