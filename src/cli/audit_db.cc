#include "cli/audit_db.h"

#include <iterator>

#include <sqlite3.h>

#include "needlescope/io/input_error.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS patients (patient_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS sessions (
  patient_id TEXT NOT NULL, session_id TEXT NOT NULL, taken_at TEXT,
  PRIMARY KEY (patient_id, session_id));
CREATE TABLE IF NOT EXISTS images (
  path TEXT NOT NULL, sha256 TEXT NOT NULL, width INTEGER, height INTEGER, exif_datetime TEXT,
  perceptual_hash TEXT, patient_id TEXT, session_id TEXT, role TEXT, area TEXT,
  PRIMARY KEY (path, sha256));
CREATE TABLE IF NOT EXISTS results (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, sha256 TEXT NOT NULL,
  settings_key TEXT NOT NULL, status TEXT NOT NULL, error TEXT, punctures INTEGER,
  per_megapixel REAL, per_cm2 REAL, delta_hemoglobin REAL, delta_a_star REAL,
  uniformity_score REAL, verdict TEXT, record TEXT NOT NULL,
  UNIQUE (path, sha256, settings_key));
CREATE TABLE IF NOT EXISTS flags (
  result_seq INTEGER NOT NULL REFERENCES results(seq), flag TEXT NOT NULL,
  PRIMARY KEY (result_seq, flag));
)sql";

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw InputError(path, std::string("database: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds parameters 1..n from JSON values: strings, numbers, or null (anything else: null).
  Statement& Bind(std::initializer_list<Json> values) {
    int i = 1;
    for (const Json& v : values) {
      if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        sqlite3_bind_text(stmt_, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else if (v.is_number_integer() || v.is_number_unsigned()) {
        sqlite3_bind_int64(stmt_, i, v.get<sqlite3_int64>());
      } else if (v.is_number()) {
        sqlite3_bind_double(stmt_, i, v.get<double>());
      } else {
        sqlite3_bind_null(stmt_, i);
      }
      ++i;
    }
    return *this;
  }
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }
  Json Value(int column) const {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, column);
      case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
      case SQLITE_TEXT: return Text(column);
      default: return nullptr;
    }
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// record[a][b]... or null when any step is missing.
Json At(const Json& record, std::initializer_list<const char*> keys) {
  const Json* at = &record;
  for (const char* key : keys) {
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
  }
  return *at;
}

}  // namespace

AuditDb::AuditDb(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw InputError(path, "cannot open the database: " + reason);
  }
  sqlite3_busy_timeout(db_, 10000);
  try {
    // WAL: a killed writer leaves the last committed state; NORMAL: commits survive a killed
    // process (not necessarily a power cut), without an fsync per photo.
    Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    Execute(kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

AuditDb::~AuditDb() { sqlite3_close(db_); }

void AuditDb::Execute(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message ? message : "unknown error";
    sqlite3_free(message);
    throw InputError(path_, "database: " + reason);
  }
}

bool AuditDb::Has(const std::string& path, const std::string& sha256, const std::string& settings_key) const {
  Statement s(db_, "SELECT 1 FROM results WHERE path = ? AND sha256 = ? AND settings_key = ?", path_);
  s.Bind({path, sha256, settings_key});
  return s.Step() == SQLITE_ROW;
}

void AuditDb::Insert(const Json& r) {
  // A file that could not be read has no content hash: keyed by "" (done until it is readable).
  const Json path = r.at("image"), key = r.at("settings_key");
  const Json sha = r.contains("sha256") && r["sha256"].is_string() ? r["sha256"] : Json("");
  if (Has(path.get<std::string>(), sha.get<std::string>(), key.get<std::string>())) return;
  const Json patient = At(r, {"manifest", "patient_id"}), session = At(r, {"manifest", "session_id"});
  Execute("BEGIN IMMEDIATE");
  try {
    if (patient.is_string()) {
      Statement(db_, "INSERT OR IGNORE INTO patients (patient_id) VALUES (?)", path_).Bind({patient}).Step();
      if (session.is_string()) {
        Statement(db_, "INSERT OR IGNORE INTO sessions (patient_id, session_id, taken_at) VALUES (?, ?, ?)", path_)
            .Bind({patient, session, At(r, {"manifest", "taken_at"})})
            .Step();
      }
    }
    Statement(db_,
              "INSERT OR REPLACE INTO images (path, sha256, width, height, exif_datetime, perceptual_hash,"
              " patient_id, session_id, role, area) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              path_)
        .Bind({path, sha, At(r, {"file", "width"}), At(r, {"file", "height"}), At(r, {"file", "exif_datetime"}),
               At(r, {"qc", "perceptual_hash"}), patient, session, At(r, {"manifest", "role"}),
               At(r, {"manifest", "area"})})
        .Step();
    Statement insert(db_,
                     "INSERT INTO results (path, sha256, settings_key, status, error, punctures, per_megapixel,"
                     " per_cm2, delta_hemoglobin, delta_a_star, uniformity_score, verdict, record)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     path_);
    insert.Bind({path, sha, key, r.at("status"), At(r, {"error"}), At(r, {"detection", "count"}),
                 At(r, {"detection", "per_megapixel"}), At(r, {"detection", "per_cm2"}),
                 At(r, {"redness", "delta_hemoglobin", "p50"}), At(r, {"redness", "delta_a_star", "p50"}),
                 At(r, {"uniformity", "score"}), At(r, {"uniformity", "verdict"}), r.dump()});
    if (insert.Step() != SQLITE_DONE) throw InputError(path_, std::string("database: ") + sqlite3_errmsg(db_));
    const sqlite3_int64 seq = sqlite3_last_insert_rowid(db_);
    for (const Json& flag : r.value("flags", Json::array())) {
      Statement(db_, "INSERT OR IGNORE INTO flags (result_seq, flag) VALUES (?, ?)", path_).Bind({seq, flag}).Step();
    }
    Execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::size_t AuditDb::Count() const {
  Statement s(db_, "SELECT count(*) FROM results", path_);
  s.Step();
  return static_cast<std::size_t>(s.Value(0).get<long long>());
}

std::vector<AuditDb::DoneRow> AuditDb::DoneRows(const std::string& settings_key) const {
  Statement s(db_,
              "SELECT path, sha256, status, json_extract(record, '$.qc.perceptual_hash'),"
              " json_extract(record, '$.manifest') FROM results WHERE settings_key = ? ORDER BY seq",
              path_);
  s.Bind({settings_key});
  std::vector<DoneRow> rows;
  while (s.Step() == SQLITE_ROW) {
    const std::string manifest = s.Text(4);
    rows.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                    manifest.empty() ? Json::object() : Json::parse(manifest)});
  }
  return rows;
}

std::vector<AuditDb::PhotoRow> AuditDb::OkPhotos() const {
  Statement s(db_,
              "SELECT path, sha256, json_extract(record, '$.qc.perceptual_hash') FROM results"
              " WHERE status = 'ok' ORDER BY seq",
              path_);
  std::vector<PhotoRow> rows;
  while (s.Step() == SQLITE_ROW) rows.push_back({s.Text(0), s.Text(1), s.Text(2)});
  return rows;
}

std::vector<std::string> AuditDb::Keys() const {
  Statement s(db_, "SELECT path, sha256, settings_key FROM results", path_);
  std::vector<std::string> keys;
  while (s.Step() == SQLITE_ROW) keys.push_back(s.Text(0) + '\n' + s.Text(1) + '\n' + s.Text(2));
  return keys;
}

std::vector<Json> AuditDb::SummaryRows() const {
  Statement s(db_,
              "SELECT r.path, r.status, r.error, json_extract(r.record, '$.flags'), r.punctures, r.per_megapixel,"
              " r.per_cm2, r.delta_hemoglobin, r.delta_a_star, r.uniformity_score, r.verdict,"
              " json_extract(r.record, '$.detection.target'), json_extract(r.record, '$.manifest.patient_id'),"
              " json_extract(r.record, '$.manifest.session_id'), json_extract(r.record, '$.manifest.taken_at'),"
              " json_extract(r.record, '$.manifest.role'), r.sha256"
              " FROM results r JOIN (SELECT path, max(seq) AS latest, min(seq) AS first FROM results GROUP BY path) p"
              " ON r.seq = p.latest ORDER BY p.first",
              path_);
  static const char* const kColumns[] = {"image", "status", "error", "flags", "punctures", "per_megapixel", "per_cm2",
                                         "delta_hemoglobin_p50", "delta_a_star_p50", "uniformity_score", "verdict",
                                         "target", "patient_id", "session_id", "taken_at", "role", "sha256"};
  std::vector<Json> rows;
  while (s.Step() == SQLITE_ROW) {
    Json row = Json::object();
    for (int c = 0; c < static_cast<int>(std::size(kColumns)); ++c) row[kColumns[c]] = s.Value(c);
    row["flags"] = row["flags"].is_string() ? Json::parse(row["flags"].get<std::string>()) : Json::array();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<AuditDb::TimelineRow> AuditDb::Timeline(const std::string& patient_id) const {
  Statement s(db_,
              "SELECT i.session_id, s.taken_at, i.role, r.path, r.status, r.punctures, r.per_cm2, r.delta_a_star,"
              " r.uniformity_score, (SELECT group_concat(flag, ',') FROM flags f WHERE f.result_seq = r.seq)"
              " FROM results r JOIN images i ON i.path = r.path AND i.sha256 = r.sha256"
              " LEFT JOIN sessions s ON s.patient_id = i.patient_id AND s.session_id = i.session_id"
              " WHERE i.patient_id = ? ORDER BY s.taken_at, i.session_id, r.path, r.seq",
              path_);
  s.Bind({patient_id});
  std::vector<TimelineRow> rows;
  while (s.Step() == SQLITE_ROW) {
    rows.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Value(5), s.Value(6), s.Value(7),
                    s.Value(8), s.Text(9)});
  }
  return rows;
}

}  // namespace needlescope::cli
