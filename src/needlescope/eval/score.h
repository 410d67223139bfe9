#pragma once

// Detection accuracy against synthetic truth (docs/evaluation.md).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/eval/matching.h"

namespace needlescope::eval {

// What the scorer needs of a truth file (schema needlescope.truth/1).
struct TruthImage {
  std::string name;
  int width = 0, height = 0;
  std::string kind;              // scene kind
  std::optional<int> fitzpatrick;
  int jpeg_quality = 0;
  bool lossless = false;         // delivered as PNG (scene.format "png")
  std::string family = "a";      // renderer family (scene.family; "a" before families)
  double density_per_mpx = 0;    // truth punctures per MP of the treated polygon; 0 untreated
  std::vector<TruthPoint> points;  // required = visible and not faint
  std::vector<bool> faint;         // per point: visible but faint (scored separately)
};

// Parses a truth document; throws std::runtime_error naming the missing key.
TruthImage TruthFromJson(const nlohmann::json& doc);
// The punctures of an analysis document (schema needlescope.analysis/1).
std::vector<DetectedPoint> DetectionsFromJson(const nlohmann::json& doc);

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  int faint_total = 0, faint_found = 0;
  double megapixels = 0;
  std::vector<double> errors_px;  // distance of every true positive
};

struct ImageScore {
  TruthImage truth;
  Counts counts;
  int detections = 0;
  std::vector<Match> matches;  // MatchPoints's, sorted by truth index
};

ImageScore ScoreImage(const TruthImage& truth, const std::vector<DetectedPoint>& detections);

// Every point's fate, for analyses beyond the totals (tools/recall-by-snr.py): header
// "name,truth,detection,distance_px,required,faint"; per image, one row per truth point
// in its file's order (detection -1 when nothing matched it), then one per unmatched
// detection in the analysis's order (truth -1, distance empty).
std::string MatchesCsv(const std::vector<ImageScore>& images);

// Counts summed over images; and the derived statistics of any Counts, as JSON:
// {"tp","fp","fn","precision","recall","f1","loc_error_median_px","loc_error_p90_px",
//  "fp_per_mp","faint": {"total","found","recall"}} with null where undefined.
Counts Sum(const std::vector<const Counts*>& parts);
nlohmann::ordered_json CountsJson(const Counts& counts);

// A group's figure is a target's evidence only when it rests on this many scenes.
inline constexpr int kMinScenesForTarget = 5;

// F1 of the summed counts with its bootstrap 95 % interval over scenes: scenes (the two
// photos of a pair are one scene) drawn with replacement, 2000 times, from a fixed seed;
// the 2.5th and 97.5th percentiles of the F1s. Null bounds when F1 is undefined.
struct F1Interval {
  int scenes = 0;
  std::optional<double> low, high;
};
F1Interval BootstrapF1(const std::vector<const ImageScore*>& images);

// Scene of an image: its name without a pair's "-before" / "-after".
std::string SceneOf(const std::string& image_name);

// The whole report: totals, per-image rows, and groups by fitzpatrick, jpeg_quality,
// jpeg_band (60-69, 70-79, 80-89, 90-100, lossless), density (truth punctures per MP of the
// treated region: <2500, 2500-5000, >=5000), kind, family (renderer). The totals and every group also
// carry "scenes", "f1_ci95" [low, high] and "enough_scenes" (scenes >= kMinScenesForTarget).
nlohmann::ordered_json EvalReportJson(const std::vector<ImageScore>& images);

// Percentile with linear interpolation between order statistics (numpy's default).
double Percentile(std::vector<double> values, double q);

}  // namespace needlescope::eval
