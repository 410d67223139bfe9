#include "needlescope/pipeline/analysis_json.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <utility>

#include <opencv2/imgcodecs.hpp>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include "needlescope/io/atomic_write.h"
#include "needlescope/io/input_error.h"
#include "needlescope/pipeline/analysis_pictures.h"
#include "needlescope/pipeline/json_or_null.h"
#include "needlescope/pipeline/redness_json.h"
#include "needlescope/pipeline/uniformity_json.h"
#include "needlescope/report/analysis_report.h"

#include "needlescope/version.h"
#include "needlescope/io/json_text.h"

namespace needlescope {

namespace {

using Json = nlohmann::ordered_json;

// A custom stain that absorbs no red has no green/red ratio (NaN): null.
Json FiniteOrNull(double v) { return JsonOrNull(std::isfinite(v) ? std::optional<double>(v) : std::nullopt); }

Json DetectionJson(const DetectionSection& d) {
  Json out = {
      {"count", d.count},
      {"per_megapixel", d.PerMegapixel()},
      {"per_cm2", JsonOrNull(d.PerCm2())},
      {"mm_per_px", d.mm_per_px > 0 ? Json(d.mm_per_px) : Json(nullptr)},
      {"target", detect::TargetName(d.target)},
      {"target_asked", detect::TargetName(d.target_asked)},
      {"radius_px", {d.min_radius_px, d.max_radius_px}},
      {"plane", d.plane},
      {"decision", d.decision},
      {"min_response", d.min_response},
  };
  if (d.min_stain_contrast) out["min_stain_contrast"] = *d.min_stain_contrast;
  if (d.min_stain_roundness) out["min_stain_roundness"] = *d.min_stain_roundness;
  if (d.classifier_threshold) out["classifier_threshold"] = *d.classifier_threshold;
  if (!d.classifier_file.empty()) {
    out["classifier_file"] = d.classifier_file;
    out["classifier_sha256"] = d.classifier_sha256;
  }
  if (d.min_hemoglobin) out["min_hemoglobin"] = *d.min_hemoglobin;
  if (d.stain) {
    out["stain"] = {{"name", d.stain->name.empty() ? Json(nullptr) : Json(d.stain->name)},
                    {"green_over_red", FiniteOrNull(d.stain->green_over_red)},
                    {"blue_over_red", FiniteOrNull(d.stain->blue_over_red)},
                    {"spots", d.stain->spots},
                    {"reason", d.stain->reason}};
  }
  if (d.stain_od_given) {
    const color::Rgb& od = *d.stain_od_given;
    out["stain_od_given"] = {od[0], od[1], od[2]};
    if (d.stain) out["stain"]["angle_to_given_deg"] = JsonOrNull(d.stain->angle_to_given_deg);
  }
  if (d.target_decision) {
    out["target_decision"] = {{"distinct_spots", d.target_decision->distinct_spots},
                              {"stain_like", d.target_decision->stain_like},
                              {"reason", d.target_decision->reason}};
  }
  out["vectors"] = d.vectors;
  out["candidates"] = d.candidates;
  return out;
}

Json RednessJson(const AnalysisResult& result) {
  const RednessNotes& notes = result.redness_notes;
  if (!result.redness_maps) {
    if (notes.not_measured.empty()) return nullptr;
    Json out = {{"measured", false}, {"reason", notes.not_measured}};
    if (!notes.untreated_skin_in_frame) out["untreated_skin_in_frame"] = false;
    return out;
  }
  Json out = RednessToJson(*result.redness_maps);
  if (!notes.region_cue.empty()) out["region_cue"] = notes.region_cue;
  if (notes.region_points_min_score) out["region_points_min_score"] = *notes.region_points_min_score;
  return out;
}

Json UniformityJson(const AnalysisResult& result) {
  if (!result.pattern) {
    if (result.uniformity_notes.not_measured.empty()) return nullptr;
    return {{"measured", false}, {"reason", result.uniformity_notes.not_measured}};
  }
  Json out = UniformityToJson(result.pattern->result, result.pattern->window, result.uniformity_notes.options);
  out["window_source"] = result.pattern->window_source;
  return out;
}

}  // namespace

nlohmann::ordered_json ColourToJson(const ColourRecord& record) {
  if (!record.corrected) return {{"corrected", false}, {"reason", record.reason}};
  Json corners = Json::array();
  for (const cv::Point2f& p : record.chart_corners) corners.push_back({p.x, p.y});
  return {{"corrected", true}, {"method", kColourMethod}, {"loss", record.loss}, {"chart_corners", corners}};
}

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
      {"colour", ColourToJson(result.colour)},
      {"punctures", punctures},
      {"detection", DetectionJson(result.detection)},
      {"redness", RednessJson(result)},
      {"uniformity", UniformityJson(result)},
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

std::set<std::string> CanonicalPaths(const std::vector<std::string>& paths) {
  std::set<std::string> canonical;
  for (const std::string& path : paths) {
    std::error_code ec;
    const std::filesystem::path c = std::filesystem::weakly_canonical(path, ec);
    if (!ec) canonical.insert(c.string());
  }
  return canonical;
}

nlohmann::ordered_json WriteAnalysisOutputs(const AnalysisResult& result, const AnalysisOutputPaths& paths,
                                            const std::string& shown_name, const std::set<std::string>& run_inputs) {
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

  // An output never replaces an input: neither this photo nor another photo of the run
  // (e.g. an input named b.redness.png beside b.jpg, with --pictures into the same folder).
  const bool with_report = result.report_layers.made && !paths.report_html.empty();
  {
    std::set<std::string> inputs = run_inputs;
    inputs.merge(CanonicalPaths({result.path}));
    std::vector<std::string> outputs = {paths.json};
    if (with_report) outputs.push_back(paths.report_html);
    for (const auto& file : files) outputs.push_back(file.first);
    for (const std::string& output : CanonicalPaths(outputs)) {
      if (inputs.count(output)) {
        throw InputError(result.path, "an output, " + output + ", would replace an input of this run; choose another -o folder");
      }
    }
  }

  // Each task keeps its own outcome, so the error reported (the first file's, in the order
  // above) does not depend on which task failed first.
  std::vector<std::exception_ptr> errors(files.size());
  nlohmann::ordered_json document;
  std::string json_text, report_html;
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
