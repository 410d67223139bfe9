// needlescope train IMAGE... --points CSV... -o MODEL: fits the puncture classifier to a few
// annotated photos of one's own camera (docs/detection.md, "Fitting the decision to your own
// camera").

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/points_file.h"
#include "cli/region_file.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/json_text.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/train/classifier_training.h"
#include "needlescope/version.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope train IMAGE... --points CSV... [--regions REGION...] -o MODEL [options]\n"
    "Fits the puncture classifier to annotated photos of your own camera and writes it to\n"
    "MODEL, for `analyze --classifier MODEL`. Each photo's CSV (header x,y; px, as in\n"
    "analyze's punctures.csv) marks every puncture in it, or in its REGION (polygon CSV or\n"
    "mask image, as for --roi) when given, in the order the photos are given: candidates\n"
    "there away from every mark are learned as non-punctures, so an unmarked puncture\n"
    "teaches the model to miss it. Give the same --chromophores to analyze as here.\n"
    "Exit 2 (and no MODEL) when any photo, CSV or region cannot be used.";

struct TrainArgs {
  CommonOptions common;
  std::vector<std::string> images, points, regions;
  std::string out, chromophores, plane = "green_od";
  double max_megapixels = LoadOptions{}.max_megapixels;
  double min_response = train::TrainingOptions{}.min_response;
  double match_radius_px = 3;
  bool no_context = false;
  train::TrainingOptions training;
};

// The marks of one photo as truth points; throws InputError naming the CSV when a mark lies
// outside the photo (a CSV given for the wrong photo, or in other units) or outside the
// annotated region (`annotated`, when not empty).
eval::TruthImage MarksAsTruth(const std::string& image, const cv::Size& size, const std::string& csv,
                              double match_radius_px, const cv::Mat& annotated, const std::string& region) {
  eval::TruthImage truth;
  truth.name = image;
  truth.width = size.width;
  truth.height = size.height;
  truth.kind = "annotated";
  for (const cv::Point2d& p : ReadPointsCsv(csv)) {
    if (p.x < -0.5 || p.y < -0.5 || p.x > size.width - 0.5 || p.y > size.height - 0.5) {
      std::ostringstream reason;
      reason << "mark (" << p.x << ", " << p.y << ") lies outside " << image << " (" << size.width << " x "
             << size.height << " px)";
      throw InputError(csv, reason.str());
    }
    if (!annotated.empty() &&
        !annotated.at<std::uint8_t>(int(std::lround(std::clamp(p.y, 0.0, size.height - 1.0))),
                                    int(std::lround(std::clamp(p.x, 0.0, size.width - 1.0))))) {
      std::ostringstream reason;
      reason << "mark (" << p.x << ", " << p.y << ") lies outside the annotated region " << region;
      throw InputError(csv, reason.str());
    }
    // MatchRadius is max(3 px, 1.5 x radius): the radius that gives the asked match radius.
    truth.points.push_back({p.x, p.y, match_radius_px / 1.5, true});
  }
  truth.faint.assign(truth.points.size(), false);
  return truth;
}

}  // namespace

int RunTrain(const std::vector<std::string>& args) {
  TrainArgs a;
  po::options_description desc("train options");
  desc.add_options()
      ("image", po::value(&a.images)->multitoken()->required(), "annotated photos: JPEG, PNG, TIFF, WebP")
      ("points", po::value(&a.points)->multitoken()->required(),
       "one CSV of puncture marks per photo (header x,y; px), in the photos' order")
      ("regions", po::value(&a.regions)->multitoken(),
       "one region per photo (polygon CSV or mask image) where every puncture is marked; default: the whole photo")
      ("out,o", po::value(&a.out)->required(), "model file to write (schema /3, binary)")
      ("chromophores", po::value(&a.chromophores)->default_value(""),
       "camera calibration from `needlescope calibrate`; default: literature vectors")
      ("max-megapixels", po::value(&a.max_megapixels)->default_value(a.max_megapixels),
       "refuse images larger than this (MP), checked before decoding")
      ("match-radius", po::value(&a.match_radius_px)->default_value(a.match_radius_px),
       "a candidate within this many px of a mark is that puncture (>= 3)")
      ("min-response", po::value(&a.min_response)->default_value(a.min_response, "0.05"),
       "candidate threshold (green OD): lower finds fainter punctures and more clutter")
      ("plane", po::value(&a.plane)->default_value(a.plane), "candidate plane: green_od, luminance_od, hemoglobin")
      ("trees", po::value(&a.training.trees)->default_value(a.training.trees), "trees per forest")
      ("depth", po::value(&a.training.depth)->default_value(a.training.depth), "maximum tree depth")
      ("no-context", po::bool_switch(&a.no_context), "no second (neighbourhood context) stage")
      ("json", po::value(&a.common.json_path)->default_value(""),
       "also write a JSON summary of the training to this path; '-' = stdout");
  if (!ParseImageCommandLine(args, desc, a.common, kUsage)) return kExitOk;
  CheckClassifierOutputName(a.out);
  if (a.points.size() != a.images.size()) {
    throw UsageError("give one --points CSV per photo: " + std::to_string(a.images.size()) + " photos, " +
                     std::to_string(a.points.size()) + " CSVs");
  }
  if (!a.regions.empty() && a.regions.size() != a.images.size()) {
    throw UsageError("give one --regions file per photo, or none: " + std::to_string(a.images.size()) + " photos, " +
                     std::to_string(a.regions.size()) + " regions");
  }
  if (a.images.size() < 2) throw UsageError("give at least 2 annotated photos (the threshold is chosen out of fold)");
  if (!(a.match_radius_px >= 3) || a.match_radius_px > 100) throw UsageError("--match-radius must be 3-100 px");
  if (!(a.max_megapixels > 0)) throw UsageError("--max-megapixels must be > 0");
  a.training.context = !a.no_context;
  a.training.min_response = a.min_response;
  if (!detect::PlaneFromName(a.plane, &a.training.plane)) {
    throw UsageError("--plane = " + a.plane + ": must be green_od, luminance_od or hemoglobin");
  }
  if (const std::string error = a.training.Check(); !error.empty()) throw UsageError(error);

  detect::DetectOptions detect;
  detect.target = detect::Target::kBlood;  // the classifier decides blood candidates only
  detect.min_response = a.min_response;
  detect.plane = a.training.plane;
  detect.tiling.tile_size_px = a.common.tile_size_px;
  if (!a.chromophores.empty()) detect.vectors = ReadChromophoresFile(a.chromophores);
  if (std::string error = detect.Check(); !error.empty()) throw UsageError(error);
  const ThreadLimit thread_limit(a.common.threads);

  // Every photo is read before anything is trained, and every bad one reported: a model
  // fitted to fewer photos than were given would silently differ.
  std::vector<train::TrainingPhoto> photos;
  std::vector<long> on_marks;  // per photo: candidates on a mark, for the progress and the JSON
  int failed = 0;
  LoadOptions load;
  load.max_megapixels = a.max_megapixels;
  for (size_t i = 0; i < a.images.size(); ++i) {
    try {
      const cv::Mat bgr = LoadImage(a.images[i], load).bgr;
      train::TrainingPhoto photo;
      if (!a.regions.empty()) {
        photo.annotated = redness::Rasterize(ReadRegionFile(a.regions[i]), bgr.size(), "annotated region");
      }
      photo.truth = MarksAsTruth(a.images[i], bgr.size(), a.points[i], a.match_radius_px, photo.annotated,
                                 a.regions.empty() ? "" : a.regions[i]);
      photo.candidates = detect::DetectPunctures(bgr, detect).candidates;
      const std::vector<int> labels = train::LabelCandidates(photo.truth, photo.candidates, photo.annotated);
      on_marks.push_back(long(std::count(labels.begin(), labels.end(), 1)));
      if (!a.common.quiet) {
        std::cerr << "[" << i + 1 << "/" << a.images.size() << "] " << a.images[i] << ": "
                  << photo.truth.points.size() << " marks, " << photo.candidates.size() << " candidates, "
                  << on_marks.back() << " on a mark\n";
      }
      photos.push_back(std::move(photo));
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
    } catch (const redness::RegionError& e) {  // a region that misses the photo
      ++failed;
      PrintInputError(a.regions[i], e.what());
    }
  }
  if (failed > 0) {
    PrintInputError(a.out, "not written: " + std::to_string(failed) + " of " + std::to_string(a.images.size()) +
                               " inputs could not be used");
    return kExitBadInput;
  }

  a.training.source = std::to_string(photos.size()) + " annotated photos (" +
                      std::filesystem::path(a.images.front()).filename().string() +
                      (photos.size() > 1 ? ", ..." : "") + "), " +
                      (a.chromophores.empty() ? "literature vectors"
                                              : "vectors " + std::filesystem::path(a.chromophores).filename().string());
  train::TrainingResult result;
  try {
    result = train::TrainClassifier(photos, {}, a.training);
  } catch (const std::runtime_error& e) {  // no marked puncture found, or nothing but
    throw InputError(a.out, std::string("not written: ") + e.what());
  }
  WriteClassifierFile(*result.classifier, a.out);
  if (!a.common.quiet) {
    std::cerr << "wrote " << a.out << ": " << result.punctures << " punctures and "
              << result.candidates - result.punctures << " other candidates learned; threshold "
              << result.classifier->threshold() << ", out-of-fold F1 " << result.f1 << "\n";
  }
  if (!a.common.json_path.empty()) {
    nlohmann::ordered_json photos_json = nlohmann::ordered_json::array();
    for (size_t i = 0; i < photos.size(); ++i) {
      const cv::Mat& annotated = photos[i].annotated;
      photos_json.push_back({{"image", a.images[i]},
                             {"points", a.points[i]},
                             {"region", a.regions.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.regions[i])},
                             {"annotated_fraction",
                              annotated.empty() ? 1.0 : double(cv::countNonZero(annotated)) / double(annotated.total())},
                             {"marks", photos[i].truth.points.size()},
                             {"candidates", photos[i].candidates.size()},
                             {"candidates_on_marks", on_marks[i]}});
    }
    const nlohmann::ordered_json summary = {
        {"schema", "needlescope.train/1"},
        {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
        {"model", a.out},
        {"description", result.classifier->description()},
        {"threshold", result.classifier->threshold()},
        {"threshold_source", result.threshold_source},
        {"out_of_fold_f1", result.f1},
        {"first_stage_out_of_fold_f1", result.first_stage_f1},
        {"photos", photos_json}};
    WriteJsonOutput(a.common.json_path, JsonText(summary));
  }
  return kExitOk;
}

}  // namespace needlescope::cli
