// needlescope query OUT --patient ID: one patient's timeline from a batch's audit.sqlite.

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/audit_db.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/report_options.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope query OUT --patient ID [--salt SALT] [--json]\n"
    "Prints a patient's timeline from OUT/audit.sqlite (written by `needlescope batch`): each\n"
    "photo by session date with its status, punctures, density, redness, uniformity and flags.";

std::string Number(const nlohmann::ordered_json& v, const char* format) {
  if (!v.is_number()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, v.get<double>());
  return text;
}

}  // namespace

int RunQuery(const std::vector<std::string>& args) {
  std::string out_dir, patient, salt;
  bool json = false;
  po::options_description desc("query options");
  desc.add_options()("out", po::value(&out_dir)->required(), "a batch's output folder")
      ("patient", po::value(&patient)->required(), "patient_id as the manifest gives it")
      ("salt", po::value(&salt)->default_value(""),
       "the batch ran with --anonymize --salt SALT: look the patient up by the salted hash")
      ("json", po::bool_switch(&json), "print the timeline as JSON instead of a table");
  po::positional_options_description positional;
  positional.add("out", 1);
  if (!ParseCommandLine(args, desc, positional, kUsage)) return kExitOk;
  const std::string db_path = out_dir + "/audit.sqlite";
  if (!std::filesystem::is_regular_file(db_path)) {
    throw InputError(db_path, "no batch database here (run `needlescope batch ... -o " + out_dir + "` first)");
  }
  if (!salt.empty()) {
    ReportArgs anonymity;
    anonymity.anonymize = true;
    anonymity.salt = salt;
    patient = ShownName(anonymity, patient, "patient");
  }
  const AuditDb db(db_path);
  const std::vector<AuditDb::TimelineRow> rows = db.Timeline(patient);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      list.push_back({{"session_id", r.session_id}, {"taken_at", r.taken_at}, {"role", r.role}, {"image", r.image},
                      {"status", r.status}, {"punctures", r.punctures}, {"per_cm2", r.per_cm2},
                      {"delta_a_star_p50", r.delta_a_star}, {"uniformity_score", r.uniformity_score},
                      {"flags", r.flags}});
    }
    std::cout << JsonText(nlohmann::ordered_json{{"patient_id", patient}, {"timeline", list}});
  } else {
    std::cout << "patient " << patient << ": " << rows.size() << " photo(s)\n";
    std::printf("%-12s %-20s %-7s %-6s %9s %9s %7s %6s  %s  %s\n", "session", "taken_at", "role", "status",
                "punctures", "per_cm2", "Δa*", "score", "image", "flags");
    for (const auto& r : rows) {
      std::printf("%-12s %-20s %-7s %-6s %9s %9s %7s %6s  %s  %s\n", r.session_id.c_str(), r.taken_at.c_str(),
                  r.role.c_str(), r.status.c_str(), Number(r.punctures, "%.0f").c_str(),
                  Number(r.per_cm2, "%.1f").c_str(), Number(r.delta_a_star, "%.2f").c_str(),
                  Number(r.uniformity_score, "%.0f").c_str(), r.image.c_str(), r.flags.c_str());
    }
  }
  if (rows.empty()) {
    std::cerr << "needlescope: error: " << db_path << ": no photo of patient " << patient << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace needlescope::cli
