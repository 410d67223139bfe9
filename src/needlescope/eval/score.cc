#include "needlescope/eval/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>

#include "needlescope/io/csv_field.h"
#include "needlescope/io/json_number.h"
#include "needlescope/synth/visibility.h"

namespace needlescope::eval {
namespace {

using Json = nlohmann::ordered_json;

const nlohmann::json& Need(const nlohmann::json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key)) {
    throw std::runtime_error(std::string("missing key \"") + key + "\"");
  }
  return doc.at(key);
}

Json RatioOrNull(double numerator, double denominator) {
  return denominator > 0 ? Json(numerator / denominator) : Json(nullptr);
}

// A position or radius in px: finite and within a billion px. The matcher buckets points by
// cell index, and an infinite or astronomical coordinate overflowed that index (found by
// tests/fuzz).
double Coordinate(const nlohmann::json& point, const char* key) {
  const double v = Need(point, key).get<double>();
  if (!std::isfinite(v) || std::abs(v) > 1e9) {
    throw std::runtime_error(std::string(key) + " is not a coordinate in px (" + std::to_string(v) + ")");
  }
  return v;
}

// A whole number that fits an int (io/json_number.h).
int Integer(const nlohmann::json& object, const char* key) {
  if (const std::optional<int> v = WholeNumber(Need(object, key))) return *v;
  throw std::runtime_error(std::string(key) + " is not a whole number in range");
}

}  // namespace

TruthImage TruthFromJson(const nlohmann::json& doc) {
  if (Need(doc, "schema") != "needlescope.truth/1") {
    throw std::runtime_error("not a needlescope.truth/1 document");
  }
  TruthImage t;
  const auto& scene = Need(doc, "scene");
  t.name = Need(scene, "name").get<std::string>();
  t.width = Integer(scene, "width");
  t.height = Integer(scene, "height");
  t.kind = Need(scene, "kind").get<std::string>();
  if (!Need(scene, "fitzpatrick").is_null()) t.fitzpatrick = Integer(scene, "fitzpatrick");
  t.jpeg_quality = Integer(Need(doc, "camera"), "jpeg_quality");
  t.lossless = scene.value("format", "jpg") == "png";
  t.family = scene.value("family", "a");
  if (doc.contains("treated_region") && doc.at("treated_region").is_object()) {
    double twice_area = 0;  // shoelace
    const auto& polygon = doc.at("treated_region").at("polygon");
    // .at(), never [] on a const document: [] past an array's end is undefined behaviour in
    // nlohmann::json (a heap overflow tests/fuzz found with a one-number vertex); .at() throws.
    for (size_t i = 0; i < polygon.size(); ++i) {
      const auto& a = polygon.at(i);
      const auto& b = polygon.at((i + 1) % polygon.size());
      twice_area += a.at(0).get<double>() * b.at(1).get<double>() - b.at(0).get<double>() * a.at(1).get<double>();
    }
    const double area = std::abs(twice_area) / 2;
    if (area > 0) t.density_per_mpx = double(Need(doc, "punctures").size()) / area * 1e6;
  }
  for (const auto& p : Need(doc, "punctures")) {
    // The decided rule on the ideal observer's d' where the truth has it (d' >= 5 required,
    // 3 to 5 faint); truth files written before it carry only the flags.
    const synth::Visibility v = p.contains("d_prime")
                                    ? synth::VisibilityOf(p.at("d_prime").get<double>())
                                    : synth::Visibility{Need(p, "visible").get<bool>(), Need(p, "faint").get<bool>()};
    const bool visible = v.visible, faint = v.faint;
    t.points.push_back({Coordinate(p, "x"), Coordinate(p, "y"), Coordinate(p, "radius_px"), visible && !faint});
    if (t.points.back().radius_px < 0) throw std::runtime_error("a truth point has a negative radius_px");
    t.faint.push_back(visible && faint);
  }
  return t;
}

std::vector<DetectedPoint> DetectionsFromJson(const nlohmann::json& doc) {
  std::vector<DetectedPoint> points;
  for (const auto& p : Need(doc, "punctures")) {
    points.push_back({Coordinate(p, "x"), Coordinate(p, "y")});
  }
  return points;
}

ImageScore ScoreImage(const TruthImage& truth, const std::vector<DetectedPoint>& detections) {
  ImageScore score;
  score.truth = truth;
  Counts& c = score.counts;
  c.megapixels = double(truth.width) * truth.height / 1e6;
  score.detections = int(detections.size());
  score.matches = MatchPoints(truth.points, detections);
  const std::vector<Match>& matches = score.matches;
  std::vector<bool> truth_matched(truth.points.size(), false);
  for (const Match& m : matches) {
    truth_matched[m.truth] = true;
    if (truth.points[m.truth].required) {
      ++c.tp;
      c.errors_px.push_back(m.distance_px);
    }
  }
  for (size_t t = 0; t < truth.points.size(); ++t) {
    if (truth.points[t].required && !truth_matched[t]) ++c.fn;
    if (truth.faint[t]) {
      ++c.faint_total;
      c.faint_found += truth_matched[t];
    }
  }
  c.fp = int(detections.size() - matches.size());
  return score;
}

std::string MatchesCsv(const std::vector<ImageScore>& images) {
  std::string csv = "name,truth,detection,distance_px,required,faint\n";
  char cells[96];
  for (const ImageScore& image : images) {
    const std::string name = CsvField(image.truth.name);
    std::vector<int> truth_to_detection(image.truth.points.size(), -1);
    std::vector<double> distance(image.truth.points.size(), 0);
    std::vector<bool> detection_matched(size_t(image.detections), false);
    for (const Match& m : image.matches) {
      truth_to_detection[size_t(m.truth)] = m.detection;
      distance[size_t(m.truth)] = m.distance_px;
      detection_matched[size_t(m.detection)] = true;
    }
    for (size_t t = 0; t < image.truth.points.size(); ++t) {
      const int d = truth_to_detection[t];
      if (d >= 0) std::snprintf(cells, sizeof cells, ",%zu,%d,%.4f,%d,%d\n", t, d, distance[t],
                                int(image.truth.points[t].required), int(image.truth.faint[t]));
      else std::snprintf(cells, sizeof cells, ",%zu,-1,,%d,%d\n", t, int(image.truth.points[t].required),
                         int(image.truth.faint[t]));
      csv += name + cells;
    }
    for (int d = 0; d < image.detections; ++d) {
      if (detection_matched[size_t(d)]) continue;
      std::snprintf(cells, sizeof cells, ",-1,%d,,0,0\n", d);
      csv += name + cells;
    }
  }
  return csv;
}

Counts Sum(const std::vector<const Counts*>& parts) {
  Counts total;
  for (const Counts* c : parts) {
    total.tp += c->tp;
    total.fp += c->fp;
    total.fn += c->fn;
    total.faint_total += c->faint_total;
    total.faint_found += c->faint_found;
    total.megapixels += c->megapixels;
    total.errors_px.insert(total.errors_px.end(), c->errors_px.begin(), c->errors_px.end());
  }
  return total;
}

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double rank = q / 100.0 * (values.size() - 1);
  const size_t lo = size_t(std::floor(rank)), hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (rank - lo) * (values[hi] - values[lo]);
}

Json CountsJson(const Counts& c) {
  const bool any_error = !c.errors_px.empty();
  return {
      {"tp", c.tp},
      {"fp", c.fp},
      {"fn", c.fn},
      {"precision", RatioOrNull(c.tp, c.tp + c.fp)},
      {"recall", RatioOrNull(c.tp, c.tp + c.fn)},
      {"f1", RatioOrNull(2.0 * c.tp, 2.0 * c.tp + c.fp + c.fn)},
      {"loc_error_median_px", any_error ? Json(Percentile(c.errors_px, 50)) : Json(nullptr)},
      {"loc_error_p90_px", any_error ? Json(Percentile(c.errors_px, 90)) : Json(nullptr)},
      {"fp_per_mp", RatioOrNull(c.fp, c.megapixels)},
      {"faint", {{"total", c.faint_total}, {"found", c.faint_found},
                 {"recall", RatioOrNull(c.faint_found, c.faint_total)}}},
  };
}

std::string SceneOf(const std::string& name) {
  for (const std::string suffix : {"-before", "-after"}) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

F1Interval BootstrapF1(const std::vector<const ImageScore*>& images) {
  std::map<std::string, Counts> by_scene;
  for (const ImageScore* image : images) {
    Counts& c = by_scene[SceneOf(image->truth.name)];
    c.tp += image->counts.tp;
    c.fp += image->counts.fp;
    c.fn += image->counts.fn;
  }
  std::vector<Counts> scenes;
  for (const auto& entry : by_scene) scenes.push_back(entry.second);
  F1Interval interval;
  interval.scenes = int(scenes.size());
  if (scenes.empty()) return interval;
  constexpr int kDraws = 2000;
  std::mt19937_64 rng(20261204);  // fixed: the same report for the same inputs
  std::uniform_int_distribution<size_t> pick(0, scenes.size() - 1);
  std::vector<double> f1s;
  for (int draw = 0; draw < kDraws; ++draw) {
    long tp = 0, errors = 0;
    for (size_t k = 0; k < scenes.size(); ++k) {
      const Counts& c = scenes[pick(rng)];
      tp += c.tp;
      errors += c.fp + c.fn;
    }
    if (2 * tp + errors > 0) f1s.push_back(2.0 * tp / (2.0 * tp + errors));
  }
  if (f1s.size() < kDraws) return interval;  // some draws hold nothing to score
  interval.low = Percentile(f1s, 2.5);
  interval.high = Percentile(f1s, 97.5);
  return interval;
}

namespace {

std::string DensityBand(const TruthImage& t) {
  if (t.density_per_mpx <= 0) return "untreated";
  if (t.density_per_mpx < 2500) return "<2500";
  return t.density_per_mpx < 5000 ? "2500-5000" : ">=5000";
}

std::string JpegBand(const TruthImage& t) {
  if (t.lossless) return "lossless";
  if (t.jpeg_quality >= 90) return "90-100";
  const int low = t.jpeg_quality / 10 * 10;
  return std::to_string(low) + "-" + std::to_string(low + 9);
}

Json GroupJson(const std::vector<const ImageScore*>& images) {
  std::vector<const Counts*> parts;
  for (const ImageScore* image : images) parts.push_back(&image->counts);
  Json j = CountsJson(Sum(parts));
  const F1Interval ci = BootstrapF1(images);
  j["scenes"] = ci.scenes;
  j["f1_ci95"] = ci.low ? Json::array({*ci.low, *ci.high}) : Json(nullptr);
  j["enough_scenes"] = ci.scenes >= kMinScenesForTarget;
  return j;
}

}  // namespace

Json EvalReportJson(const std::vector<ImageScore>& images) {
  std::vector<const ImageScore*> all;
  std::map<std::string, std::vector<const ImageScore*>> by_skin, by_quality, by_band, by_kind, by_family,
      by_density;
  Json rows = Json::array();
  for (const ImageScore& s : images) {
    all.push_back(&s);
    by_skin[s.truth.fitzpatrick ? std::to_string(*s.truth.fitzpatrick) : "film"].push_back(&s);
    by_quality[std::to_string(s.truth.jpeg_quality)].push_back(&s);
    by_band[JpegBand(s.truth)].push_back(&s);
    by_kind[s.truth.kind].push_back(&s);
    by_family[s.truth.family].push_back(&s);
    by_density[DensityBand(s.truth)].push_back(&s);
    Json row = {{"name", s.truth.name}, {"kind", s.truth.kind},
                {"fitzpatrick", s.truth.fitzpatrick ? Json(*s.truth.fitzpatrick) : Json(nullptr)},
                {"jpeg_quality", s.truth.jpeg_quality}};
    row.update(CountsJson(s.counts));
    rows.push_back(row);
  }
  auto groups = [](const std::map<std::string, std::vector<const ImageScore*>>& by) {
    Json g = Json::object();
    for (const auto& [key, members] : by) g[key] = GroupJson(members);
    return g;
  };
  Json report = GroupJson(all);
  report["images"] = rows;
  report["groups"] = {{"fitzpatrick", groups(by_skin)}, {"jpeg_quality", groups(by_quality)},
                      {"jpeg_band", groups(by_band)}, {"kind", groups(by_kind)},
                      {"density", groups(by_density)}, {"family", groups(by_family)}};
  return report;
}

}  // namespace needlescope::eval
