#include "needlescope/eval/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "needlescope/io/csv_field.h"

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

}  // namespace

TruthImage TruthFromJson(const nlohmann::json& doc) {
  if (Need(doc, "schema") != "needlescope.truth/1") {
    throw std::runtime_error("not a needlescope.truth/1 document");
  }
  TruthImage t;
  const auto& scene = Need(doc, "scene");
  t.name = Need(scene, "name").get<std::string>();
  t.width = Need(scene, "width").get<int>();
  t.height = Need(scene, "height").get<int>();
  t.kind = Need(scene, "kind").get<std::string>();
  if (!Need(scene, "fitzpatrick").is_null()) t.fitzpatrick = scene.at("fitzpatrick").get<int>();
  t.jpeg_quality = Need(Need(doc, "camera"), "jpeg_quality").get<int>();
  for (const auto& p : Need(doc, "punctures")) {
    const bool visible = Need(p, "visible").get<bool>(), faint = Need(p, "faint").get<bool>();
    t.points.push_back({Need(p, "x").get<double>(), Need(p, "y").get<double>(),
                        Need(p, "radius_px").get<double>(), visible && !faint});
    t.faint.push_back(visible && faint);
  }
  return t;
}

std::vector<DetectedPoint> DetectionsFromJson(const nlohmann::json& doc) {
  std::vector<DetectedPoint> points;
  for (const auto& p : Need(doc, "punctures")) {
    points.push_back({Need(p, "x").get<double>(), Need(p, "y").get<double>()});
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

Json EvalReportJson(const std::vector<ImageScore>& images) {
  std::vector<const Counts*> all;
  std::map<std::string, std::vector<const Counts*>> by_skin, by_quality, by_kind;
  Json rows = Json::array();
  for (const ImageScore& s : images) {
    all.push_back(&s.counts);
    by_skin[s.truth.fitzpatrick ? std::to_string(*s.truth.fitzpatrick) : "film"].push_back(&s.counts);
    by_quality[std::to_string(s.truth.jpeg_quality)].push_back(&s.counts);
    by_kind[s.truth.kind].push_back(&s.counts);
    Json row = {{"name", s.truth.name}, {"kind", s.truth.kind},
                {"fitzpatrick", s.truth.fitzpatrick ? Json(*s.truth.fitzpatrick) : Json(nullptr)},
                {"jpeg_quality", s.truth.jpeg_quality}};
    row.update(CountsJson(s.counts));
    rows.push_back(row);
  }
  auto groups = [](const std::map<std::string, std::vector<const Counts*>>& by) {
    Json g = Json::object();
    for (const auto& [key, parts] : by) g[key] = CountsJson(Sum(parts));
    return g;
  };
  Json report = CountsJson(Sum(all));
  report["images"] = rows;
  report["groups"] = {{"fitzpatrick", groups(by_skin)}, {"jpeg_quality", groups(by_quality)},
                      {"kind", groups(by_kind)}};
  return report;
}

}  // namespace needlescope::eval
