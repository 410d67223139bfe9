// needlescope merge OUT... -o MERGED: the outputs of several batch runs (shards) as one.

#include <filesystem>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/analyze_options.h"
#include "cli/audit_db.h"
#include "cli/batch_summary.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/line_log.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: needlescope merge OUT... -o MERGED\n"
    "Combines batch outputs (e.g. the shards of --shard K/N) into MERGED: every record of\n"
    "every OUT/results.jsonl once (a photo, content and settings already in MERGED is not\n"
    "added again), MERGED/audit.sqlite and MERGED/summary.csv. Rerunning it adds only what is new.";

// The identity of a record: one photo's content under one set of settings.
std::string RecordKey(const Json& r) {
  return r.value("image", "") + '\n' + (r.contains("sha256") && r["sha256"].is_string() ? r["sha256"].get<std::string>() : "") +
         '\n' + r.value("settings_key", "");
}

}  // namespace

int RunMerge(const std::vector<std::string>& args) {
  std::vector<std::string> sources;
  std::string merged;
  po::options_description desc("merge options");
  desc.add_options()("source", po::value(&sources)->multitoken()->required(), "batch output folders")
      ("out,o", po::value(&merged)->required(), "the merged output folder (created, or added to)");
  po::positional_options_description positional;
  positional.add("source", -1);
  if (!ParseCommandLine(args, desc, positional, kUsage)) return kExitOk;

  // Every source is read whole before anything is written: a bad one stops the merge cleanly.
  std::vector<std::vector<std::string>> lines_of(sources.size());
  for (size_t s = 0; s < sources.size(); ++s) {
    const std::string path = sources[s] + "/results.jsonl";
    if (!std::filesystem::is_regular_file(path)) throw InputError(path, "no batch results here");
    if (std::filesystem::equivalent(sources[s], merged)) throw InputError(sources[s], "is the merged folder itself");
    LineLog read_only_check(path, &lines_of[s]);  // also cuts a line a killed run left unfinished
  }
  CreateOutputDirectory(merged);
  std::vector<std::string> existing;
  LineLog log(merged + "/results.jsonl", &existing);
  AuditDb db(merged + "/audit.sqlite");
  std::set<std::string> have;
  for (const std::string& line : existing) {
    const Json r = Json::parse(line, nullptr, false);
    if (r.is_object()) {
      have.insert(RecordKey(r));
      db.Insert(r);  // a line a killed merge wrote before its row
    }
  }
  size_t added = 0, already = 0;
  for (size_t s = 0; s < sources.size(); ++s) {
    for (const std::string& line : lines_of[s]) {
      const Json r = Json::parse(line, nullptr, false);
      if (!r.is_object() || !r.contains("image") || !r.contains("settings_key")) {
        throw InputError(sources[s] + "/results.jsonl", "a line that is not a batch record: " + line.substr(0, 80));
      }
      if (!have.insert(RecordKey(r)).second) {
        ++already;
        continue;
      }
      log.Append(line);
      db.Insert(r);
      ++added;
    }
  }
  WriteFileAtomically(merged + "/summary.csv", BatchSummaryCsv(db.Records()));
  std::cerr << "merge: " << added << " record(s) added, " << already << " already in " << merged << "\n";
  return kExitOk;
}

}  // namespace needlescope::cli
