#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace needlescope::cli {

// OUT/audit.sqlite of a batch (docs/batch.md, "The database"): tables images, patients,
// sessions, results and flags, filled from the results.jsonl records. Each record goes in by
// one transaction, so a killed run leaves the database as it was before or after it.
class AuditDb {
 public:
  // Opens or creates the database and its tables. Throws InputError naming the file.
  explicit AuditDb(const std::string& path);
  ~AuditDb();
  AuditDb(const AuditDb&) = delete;
  AuditDb& operator=(const AuditDb&) = delete;

  // Whether a result for this file content under these settings is already in.
  bool Has(const std::string& path, const std::string& sha256, const std::string& settings_key) const;

  // Adds one batch record (the JSON object of a results.jsonl line); a record whose
  // (image, sha256, settings_key) is already in is ignored. Throws InputError.
  void Insert(const nlohmann::ordered_json& record);

  std::size_t Count() const;  // results in the database

  // What a run needs of the results done with `settings_key` (read a row at a time, never
  // the whole records: at 12 MP a record with its punctures is about a megabyte).
  struct DoneRow {
    std::string path, sha256, status, perceptual_hash;  // sha256 "" for an unreadable file
    nlohmann::ordered_json manifest;                     // the record's manifest, or {}
  };
  std::vector<DoneRow> DoneRows(const std::string& settings_key) const;

  // Every ok result's photo as DuplicateFinder needs it (path, sha256, perceptual hash), in order.
  struct PhotoRow {
    std::string path, sha256, perceptual_hash;
  };
  std::vector<PhotoRow> OkPhotos() const;

  // "path\nsha256\nsettings_key" of every result (what `merge` needs to skip what it has).
  std::vector<std::string> Keys() const;

  // summary.csv's rows: each path's latest result, in the order paths first went in; each an
  // object with the summary's columns (batch_summary.h).
  std::vector<nlohmann::ordered_json> SummaryRows() const;

  // A patient's results, by taken_at then session then image: the query command's timeline.
  struct TimelineRow {
    std::string session_id, taken_at, role, image, status;
    nlohmann::ordered_json punctures, per_cm2, delta_a_star, uniformity_score;  // numbers or null
    std::string flags;  // comma-separated
  };
  std::vector<TimelineRow> Timeline(const std::string& patient_id) const;

 private:
  void Execute(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace needlescope::cli
