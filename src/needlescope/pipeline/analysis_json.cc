#include "needlescope/pipeline/analysis_json.h"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <utility>

#include <opencv2/imgcodecs.hpp>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include "needlescope/io/atomic_write.h"
#include "needlescope/pipeline/analysis_pictures.h"
#include "needlescope/report/analysis_report.h"

#include "needlescope/version.h"
#include "needlescope/io/json_text.h"

namespace needlescope {

nlohmann::ordered_json AnalysisToJson(const AnalysisResult& result) {
  nlohmann::ordered_json punctures = nlohmann::ordered_json::array();
  for (const Puncture& p : result.punctures) {
    punctures.push_back({{"x", p.x}, {"y", p.y}, {"radius_px", p.radius_px}, {"score", p.score},
                         {"contrast", p.contrast}});
  }
  nlohmann::ordered_json timing = nlohmann::ordered_json::object();
  for (const auto& [stage, ms] : result.timing_ms) timing[stage] = ms;

  return {
      {"schema", kAnalysisSchema},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"image",
       {{"path", result.path},
        {"format", result.format},
        {"width", result.width},
        {"height", result.height},
        {"sha256", result.sha256},
        {"exif_orientation", result.exif_orientation},
        {"orientation_applied", result.orientation_applied}}},
      {"settings", {{"threads", result.threads}, {"tile_size_px", result.tile_size_px}}},
      {"warnings", result.warnings},
      {"colour", result.colour},
      {"punctures", punctures},
      {"detection", result.detection},
      {"redness", result.redness},
      {"uniformity", result.uniformity},
      {"qc", result.qc.measured ? nlohmann::ordered_json{{"flags", result.qc.flags}, {"measures", result.qc.measures}}
                                : nlohmann::ordered_json(nullptr)},
      {"timing_ms", timing},
  };
}

std::string CandidatesToCsv(const std::vector<detect::Candidate>& candidates) {
  std::string csv = "x,y";
  for (const char* name : detect::kCandidateFeatureNames) csv += std::string(",") + name;
  csv += ",stain_contrast_wide,score,accepted\n";
  char cell[32];
  for (const detect::Candidate& c : candidates) {
    std::snprintf(cell, sizeof cell, "%.3f,%.3f", c.x, c.y);
    csv += cell;
    for (float f : detect::CandidateFeatures(c)) {
      std::snprintf(cell, sizeof cell, ",%.6g", f);
      csv += cell;
    }
    std::snprintf(cell, sizeof cell, ",%.6g,%.4f,%d\n", float(c.stain_contrast_wide), c.score, c.accepted ? 1 : 0);
    csv += cell;
  }
  return csv;
}

std::string PuncturesToCsv(const std::vector<Puncture>& punctures) {
  std::string csv = "x,y,radius_px,score,contrast\n";
  char row[128];
  for (const Puncture& p : punctures) {
    std::snprintf(row, sizeof row, "%.3f,%.3f,%.3f,%.4f,%.5f\n", p.x, p.y, p.radius_px, p.score, p.contrast);
    csv += row;
  }
  return csv;
}

AnalysisOutputPaths AnalysisOutputPathsFor(const std::string& image_path,
                                           const std::string& dir) {
  const std::string base =
      (std::filesystem::path(dir) / std::filesystem::path(image_path).stem()).string();
  AnalysisOutputPaths paths;  // each field by name: a new output cannot shift the others
  paths.json = base + ".json";
  paths.csv = base + ".punctures.csv";
  paths.redness_png = base + ".redness.png";
  paths.overlay_png = base + ".overlay.png";
  paths.coverage_png = base + ".coverage.png";
  paths.hemoglobin_tiff = base + ".hemoglobin.tiff";
  paths.melanin_tiff = base + ".melanin.tiff";
  paths.candidates_csv = base + ".candidates.csv";
  paths.report_html = base + ".report.html";
  return paths;
}

nlohmann::ordered_json WriteAnalysisOutputs(const AnalysisResult& result, const AnalysisOutputPaths& paths,
                                            const std::string& shown_name) {
  // The pictures: made during the analysis when it was asked to (encode_pictures), else
  // here, as parallel tasks (encoding is most of the writing time on a large photo).
  EncodedPictures made_here;
  if (!result.pictures.made) {
    tbb::parallel_invoke([&] { made_here.overlay_png = OverlayPng(result); },
                         [&] { made_here.coverage_png = CoveragePng(result); },
                         [&] { made_here.redness_png = RednessPng(result); });
  }
  const EncodedPictures& pictures = result.pictures.made ? result.pictures : made_here;

  // Every file but the JSON, each made and written by its own task (on a large photo the
  // writes, each fsync'ed, were a quarter second in a row), while the JSON is serialised.
  std::vector<std::pair<std::string, std::function<void(const std::string&)>>> files;
  const auto bytes_of = [](const std::vector<std::uint8_t>& bytes) {
    return [&bytes](const std::string& path) {
      WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    };
  };
  files.emplace_back(paths.csv, [&](const std::string& path) { WriteFileAtomically(path, PuncturesToCsv(result.punctures)); });
  if (!pictures.overlay_png.empty()) files.emplace_back(paths.overlay_png, bytes_of(pictures.overlay_png));
  if (!pictures.coverage_png.empty()) files.emplace_back(paths.coverage_png, bytes_of(pictures.coverage_png));
  if (!pictures.redness_png.empty()) files.emplace_back(paths.redness_png, bytes_of(pictures.redness_png));
  if (result.redness_maps && !result.photo.empty()) {
    for (const auto& [map, path] : {std::pair{&result.redness_maps->hemoglobin_map, &paths.hemoglobin_tiff},
                                    std::pair{&result.redness_maps->melanin_map, &paths.melanin_tiff}}) {
      if (map->empty()) continue;
      files.emplace_back(*path, [map = map](const std::string& out) {
        std::vector<std::uint8_t> tiff;
        cv::imencode(".tiff", *map, tiff);  // 32-bit float, one channel
        WriteFileAtomically(out, std::string_view(reinterpret_cast<const char*>(tiff.data()), tiff.size()));
      });
    }
  }
  if (!paths.candidates_csv.empty() && !result.candidates.empty()) {
    files.emplace_back(paths.candidates_csv,
                       [&](const std::string& path) { WriteFileAtomically(path, CandidatesToCsv(result.candidates)); });
  }

  // Each task keeps its own outcome, so the error reported (the first file's, in the order
  // above) does not depend on which task failed first.
  std::vector<std::exception_ptr> errors(files.size());
  nlohmann::ordered_json document;
  std::string json_text, report_html;
  const bool with_report = result.report_layers.made && !paths.report_html.empty();
  std::exception_ptr json_error;
  tbb::parallel_invoke(
      [&] {
        try {
          document = AnalysisToJson(result);
          json_text = JsonText(document);
          if (with_report) {
            report::AnalysisReportInput page;
            page.analysis = &document;
            page.shown_name = shown_name.empty() ? std::filesystem::path(result.path).filename().string() : shown_name;
            page.photo_jpeg = result.report_layers.photo_jpeg;
            page.redness = result.report_layers.redness;
            report_html = report::AnalysisReportHtml(page);
          }
        } catch (...) {
          json_error = std::current_exception();
        }
      },
      [&] {
        tbb::parallel_for(size_t(0), files.size(), [&](size_t i) {
          try {
            files[i].second(files[i].first);
          } catch (...) {
            errors[i] = std::current_exception();
          }
        });
      });
  const auto remove_written = [&] {
    std::error_code ignored;
    for (size_t i = 0; i < files.size(); ++i) {
      if (!errors[i]) std::filesystem::remove(files[i].first, ignored);
    }
  };
  // JSON last: its presence says the image's outputs are complete. If anything cannot be
  // written, what was written goes too, so no half set of outputs is left behind.
  errors.push_back(json_error);  // after the files' own: theirs name a path
  for (const std::exception_ptr& error : errors) {
    if (!error) continue;
    remove_written();
    std::rethrow_exception(error);
  }
  try {
    if (with_report) WriteFileAtomically(paths.report_html, report_html);
    WriteFileAtomically(paths.json, json_text);
  } catch (...) {
    remove_written();
    std::error_code ignored;
    if (with_report) std::filesystem::remove(paths.report_html, ignored);
    throw;
  }
  return document;
}

}  // namespace needlescope
