// needlescope eval: scores analysis results against synthetic truth (docs/evaluation.md).

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/eval/score.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/csv_field.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: needlescope eval --truth T.truth.json --result R.json [options]\n"
    "       needlescope eval --truth TRUTH_DIR --result RESULT_DIR [options]\n"
    "Scores detections against synthetic truth: optimal one-to-one matching within\n"
    "max(3 px, 1.5 x true radius); faint truth points are scored separately and invisible ones\n"
    "count neither way. With directories, each <name>.truth.json is paired with <name>.json.";

nlohmann::json ReadJson(const std::string& path) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/512u << 20);
  try {
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("invalid JSON: ") + e.what());
  }
}

std::vector<std::pair<std::string, std::string>> PairFiles(const std::string& truth,
                                                           const std::string& result) {
  if (!fs::is_directory(truth)) return {{truth, result}};
  if (!fs::is_directory(result)) {
    throw UsageError("--truth is a directory, so --result must be one too");
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  const std::string suffix = ".truth.json";
  for (const auto& entry : fs::directory_iterator(truth)) {
    const std::string file = entry.path().filename().string();
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix)) continue;
    const std::string name = file.substr(0, file.size() - suffix.size());
    pairs.emplace_back(entry.path().string(), (fs::path(result) / (name + ".json")).string());
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

std::string Cell(const Json& value, int decimals) {
  if (value.is_null()) return "-";
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value.get<double>());
  return text;
}

std::string CsvRow(const std::string& name, const Json& row) {
  std::string line = CsvField(name);
  for (const char* key : {"kind", "fitzpatrick", "jpeg_quality"}) {
    line += ",";
    if (row.contains(key) && !row[key].is_null()) {
      line += row[key].is_string() ? row[key].get<std::string>() : Cell(row[key], 0);
    }
  }
  for (const char* key : {"tp", "fp", "fn", "precision", "recall", "f1", "loc_error_median_px",
                          "loc_error_p90_px", "fp_per_mp"}) {
    line += "," + (row[key].is_null() ? std::string() : Cell(row[key], 4));
  }
  line += "," + Cell(row["faint"]["total"], 0) + "," + Cell(row["faint"]["found"], 0);
  return line + "\n";
}

void PrintTable(const Json& report, std::ostream& out) {
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %6s %6s %6s %6s %6s %6s %7s %7s %8s\n", "image", "tp", "fp",
                "fn", "prec", "recall", "F1", "loc50", "loc90", "fp/MP");
  out << line;
  auto print = [&](const std::string& name, const Json& r) {
    std::snprintf(line, sizeof line, "%-28s %6s %6s %6s %6s %6s %6s %7s %7s %8s\n", name.c_str(),
                  Cell(r["tp"], 0).c_str(), Cell(r["fp"], 0).c_str(), Cell(r["fn"], 0).c_str(),
                  Cell(r["precision"], 3).c_str(), Cell(r["recall"], 3).c_str(),
                  Cell(r["f1"], 3).c_str(), Cell(r["loc_error_median_px"], 2).c_str(),
                  Cell(r["loc_error_p90_px"], 2).c_str(), Cell(r["fp_per_mp"], 2).c_str());
    out << line;
  };
  for (const Json& row : report["images"]) print(row["name"].get<std::string>(), row);
  print("TOTAL", report);
  out << "faint punctures found: " << Cell(report["faint"]["found"], 0) << " of "
      << Cell(report["faint"]["total"], 0) << "\n";
  // Groups with their F1's bootstrap interval over scenes; '(few scenes)' where a target
  // could not rest on it (docs/evaluation.md).
  auto interval = [](const Json& g) {
    if (g["f1_ci95"].is_null()) return std::string("-");
    return "[" + Cell(g["f1_ci95"][0], 3) + ", " + Cell(g["f1_ci95"][1], 3) + "]";
  };
  out << "F1 by group, 95 % interval over scenes:\n";
  out << "  all: " << Cell(report["f1"], 3) << " " << interval(report) << ", "
      << Cell(report["scenes"], 0) << " scenes\n";
  for (const char* by : {"fitzpatrick", "jpeg_band", "density", "kind", "family"}) {
    for (const auto& [key, g] : report["groups"][by].items()) {
      out << "  " << by << " " << key << ": " << Cell(g["f1"], 3) << " " << interval(g) << ", "
          << Cell(g["scenes"], 0) << " scenes" << (g["enough_scenes"].get<bool>() ? "" : " (few scenes)")
          << "\n";
    }
  }
}

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string truth_path, result_path, csv_path, matches_path;
  po::options_description desc("eval options");
  desc.add_options()
      ("truth", po::value(&truth_path)->required(), "truth file or directory (*.truth.json)")
      ("result", po::value(&result_path)->required(), "analysis result file or directory (*.json)")
      ("csv", po::value(&csv_path)->default_value(""), "write per-image rows and a TOTAL row as CSV")
      ("matches", po::value(&matches_path)->default_value(""),
       "write every truth point's match (and every unmatched detection) as CSV; docs/evaluation.md")
      ("json", po::value(&common.json_path)->default_value(""), "write the report as JSON; '-' = stdout");
  AddVerbosityOptions(desc, common);
  if (!ParseCommandLine(args, desc, {}, kUsage)) return kExitOk;
  CheckCommonOptions(common);

  std::vector<eval::ImageScore> scores;
  int failed = 0;
  for (const auto& [truth_file, result_file] : PairFiles(truth_path, result_path)) {
    std::string current = truth_file;
    try {
      const nlohmann::json truth_doc = ReadJson(truth_file);
      current = result_file;
      const nlohmann::json result_doc = ReadJson(result_file);
      current = truth_file;
      const eval::TruthImage truth = eval::TruthFromJson(truth_doc);
      current = result_file;
      scores.push_back(eval::ScoreImage(truth, eval::DetectionsFromJson(result_doc)));
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
    } catch (const std::exception& e) {  // a key missing or of the wrong type
      ++failed;
      PrintInputError(current, std::string("not a valid document: ") + e.what());
    }
  }
  const Json report = eval::EvalReportJson(scores);
  if (!csv_path.empty()) {
    std::string csv =
        "name,kind,fitzpatrick,jpeg_quality,tp,fp,fn,precision,recall,f1,loc_error_median_px,"
        "loc_error_p90_px,fp_per_mp,faint_total,faint_found\n";
    for (const Json& row : report["images"]) csv += CsvRow(row["name"].get<std::string>(), row);
    csv += CsvRow("TOTAL", report);
    WriteFileAtomically(csv_path, csv);
  }
  if (!matches_path.empty()) WriteFileAtomically(matches_path, eval::MatchesCsv(scores));
  if (!common.json_path.empty()) WriteJsonOutput(common.json_path, JsonText(report));
  if (!common.quiet && common.json_path != "-") PrintTable(report, std::cout);
  return failed ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
