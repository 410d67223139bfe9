// Trains the puncture classifier (models/puncture-classifier.bin) from synthetic scenes with
// known truth. Usage:
//   needlescope-train-classifier DIR... --chromophores FILE -o MODEL [--trees N] [--depth D]
// DIR holds scenes from `needlescope synth` (IMAGE + IMAGE.truth.json); substrates are
// skipped (they use --target stain, which has no classifier). Steps:
//  1. every skin scene through DetectPunctures with no classifier and a low candidate
//     threshold (--min-response), so that nearly every puncture is a candidate;
//  2. each candidate labelled by the evaluator's optimal matching: matched to a required
//     (visible, not faint) puncture = 1, to a faint or hidden one = left out, unmatched = 0;
//  3. out-of-fold first-stage scores: a forest trained on the even-numbered scenes scores
//     the odd ones and vice versa;
//  4. unless --no-context, the second stage: context features from those out-of-fold
//     scores (candidate_context.h), and its own out-of-fold scores the same way (a
//     scene's second-stage score comes from forests that never saw its labels);
//  5. the decision threshold chosen for the best F1 (the evaluator's) on the last stage's
//     out-of-fold scores;
//  6. every forest retrained on every scene (the second stage on the out-of-fold context,
//     as it will see scores of scenes the first stage never saw) and written as compact
//     forests (compact_forest.h): schema /3, binary, or /2, YAML, when -o is named .yml,
//     .yaml or .gz (puncture_classifier.h).
// Or: needlescope-train-classifier --convert OLD -o NEW rewrites a model as NEW's name asks
// with the same trees: a schema /1 one (OpenCV's forest YAML) checking that every
// prediction is unchanged, a /2 or /3 one checking that it reads back the same.
// Deterministic: fixed RNG seed per forest, each forest trained on one thread, scenes in
// sorted order.

#include <algorithm>
#include <filesystem>
#include <future>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/candidate_context.h"
#include "needlescope/eval/score.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace needlescope;

namespace {

struct Scene {
  eval::TruthImage truth;
  std::vector<detect::Candidate> candidates;
  std::vector<int> labels;  // 1, 0, or -1 (left out)
  cv::Mat features;         // the current stage's feature rows, one per candidate
};

struct ForestSettings {
  int trees = 60;
  int depth = 10;
};

Scene LoadScene(const fs::path& truth_path, const detect::DetectOptions& options) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(truth_path.string(), 256u << 20);
  const nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end());
  Scene s;
  s.truth = eval::TruthFromJson(doc);
  const fs::path image = truth_path.parent_path() / doc.at("scene").at("image").get<std::string>();
  s.candidates = detect::DetectPunctures(LoadImage(image.string(), LoadOptions{}).bgr, options).candidates;
  std::vector<eval::DetectedPoint> points;
  for (const auto& c : s.candidates) points.push_back({c.x, c.y});
  s.labels.assign(s.candidates.size(), 0);
  for (const eval::Match& m : eval::MatchPoints(s.truth.points, points)) {
    s.labels[size_t(m.detection)] = s.truth.points[size_t(m.truth)].required ? 1 : -1;
  }
  s.features = detect::CandidateFeatureMatrix(s.candidates);
  return s;
}

cv::Ptr<cv::ml::RTrees> Train(const std::vector<const Scene*>& scenes, const ForestSettings& settings) {
  cv::Mat rows;
  std::vector<float> targets;
  for (const Scene* s : scenes) {
    for (size_t i = 0; i < s->candidates.size(); ++i) {
      if (s->labels[i] < 0) continue;
      rows.push_back(s->features.row(int(i)));
      targets.push_back(float(s->labels[i]));
    }
  }
  cv::setRNGSeed(20261124);  // this thread's RNG: each forest is trained on one thread
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  forest->setMaxDepth(settings.depth);
  forest->setMinSampleCount(10);
  forest->setRegressionAccuracy(0);
  forest->setActiveVarCount(int(std::lround(std::sqrt(double(rows.cols)))));
  forest->setCalculateVarImportance(true);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, settings.trees, 0});
  forest->train(cv::ml::TrainData::create(rows, cv::ml::ROW_SAMPLE, cv::Mat(targets, true)));
  return forest;
}

std::vector<double> Predict(const cv::ml::RTrees& forest, const Scene& s) {
  std::vector<double> out(s.candidates.size());
  if (s.candidates.empty()) return out;
  cv::Mat p;
  forest.predict(s.features, p);
  for (size_t i = 0; i < out.size(); ++i) out[i] = p.at<float>(int(i));
  return out;
}

// The forest on every scene's current features, returned; with `oof`, also out-of-fold
// scores: each fold's forest is trained on the other fold (even / odd scene numbers). The
// forests train at the same time, each on its own thread.
cv::Ptr<cv::ml::RTrees> TrainWithOutOfFold(const std::vector<Scene>& scenes, const ForestSettings& settings,
                                           std::vector<std::vector<double>>* oof) {
  auto fold_forest = [&](int fold) {
    std::vector<const Scene*> train;
    for (size_t k = 0; k < scenes.size(); ++k) {
      if (int(k % 2) != fold) train.push_back(&scenes[k]);
    }
    return Train(train, settings);
  };
  auto everything = [&] {
    std::vector<const Scene*> all;
    for (const Scene& s : scenes) all.push_back(&s);
    return Train(all, settings);
  };
  auto all = std::async(std::launch::async, everything);
  if (!oof) return all.get();
  auto even = std::async(std::launch::async, fold_forest, 0);
  auto odd = std::async(std::launch::async, fold_forest, 1);
  const cv::Ptr<cv::ml::RTrees> forests[2] = {even.get(), odd.get()};
  oof->assign(scenes.size(), {});
  for (size_t k = 0; k < scenes.size(); ++k) (*oof)[k] = Predict(*forests[k % 2], scenes[k]);
  return all.get();
}

// The evaluator's F1 over all scenes when candidates scoring >= threshold are accepted.
nlohmann::ordered_json Evaluate(const std::vector<Scene>& scenes, const std::vector<std::vector<double>>& scores,
                                double threshold) {
  std::vector<eval::ImageScore> images;
  for (size_t k = 0; k < scenes.size(); ++k) {
    std::vector<eval::DetectedPoint> accepted;
    for (size_t i = 0; i < scenes[k].candidates.size(); ++i) {
      if (scores[k][i] >= threshold) accepted.push_back({scenes[k].candidates[i].x, scenes[k].candidates[i].y});
    }
    images.push_back(eval::ScoreImage(scenes[k].truth, accepted));
  }
  return eval::EvalReportJson(images);
}

// Every skin scene (substrates are skipped) of the directories, in sorted order.
std::vector<Scene> LoadScenes(const std::vector<std::string>& dirs, const detect::DetectOptions& options) {
  std::vector<fs::path> truth_files;
  for (const std::string& dir : dirs) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 11 && name.compare(name.size() - 11, 11, ".truth.json") == 0) truth_files.push_back(entry.path());
    }
  }
  std::sort(truth_files.begin(), truth_files.end());
  std::vector<Scene> scenes;
  for (const fs::path& t : truth_files) {
    if (t.filename().string().rfind("substrate", 0) == 0) continue;
    scenes.push_back(LoadScene(t, options));
    const auto& labels = scenes.back().labels;
    std::cerr << t.filename().string() << ": " << labels.size() << " candidates, "
              << std::count(labels.begin(), labels.end(), 1) << " punctures\n";
  }
  return scenes;
}

// The threshold in [0.05, 0.95] with the best F1 of `scores` over `scenes`.
double BestThreshold(const std::vector<Scene>& scenes, const std::vector<std::vector<double>>& scores, double* f1) {
  double best = 0.5;
  *f1 = -1;
  for (int t = 5; t <= 95; ++t) {
    const double value = Evaluate(scenes, scores, t / 100.0)["f1"].get<double>();
    if (value > *f1) *f1 = value, best = t / 100.0;
  }
  return best;
}

detect::CompactForest Compact(const cv::Ptr<cv::ml::RTrees>& forest) {
  return forest ? detect::CompactForest::FromOpenCv(*forest) : detect::CompactForest{};
}

// Writes `classifier` to `out` through a partial file renamed into place: schema /3
// (binary) unless `out` is named .yml, .yaml or .gz, then YAML /2 (.gz: OpenCV compresses;
// numeric arrays as base64). Then reads it back as analyze will: the same model, or it
// throws (the binary form is one per model, so equal bytes mean the same trees).
void WriteModel(const detect::PunctureClassifier& classifier, const std::string& out) {
  const std::string partial = (fs::path(out).parent_path() / (".partial-" + fs::path(out).filename().string())).string();
  const std::string name = fs::path(out).filename().string();
  const auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".yml") || ends_with(".yaml") || ends_with(".gz")) {
    cv::FileStorage storage(partial, cv::FileStorage::WRITE_BASE64);
    classifier.Write(storage);
  } else {
    const std::string bytes = classifier.ToBinary();
    std::ofstream file(partial, std::ios::binary);
    file.write(bytes.data(), std::streamsize(bytes.size()));
    if (!file.flush()) throw std::runtime_error("cannot write " + partial);
  }
  fs::rename(partial, out);
  if (cli::ReadClassifierFile(out)->ToBinary() != classifier.ToBinary())
    throw std::runtime_error(out + " reads back as another model");
  std::cerr << "wrote " << out << "\n";
}

// A schema /2 or /3 model rewritten in the form `out`'s name asks for, with the same trees
// (WriteModel checks it).
int ConvertCompact(const std::string& in, const std::string& out) {
  try {
    WriteModel(*cli::ReadClassifierFile(in), out);
  } catch (const InputError& e) {
    std::cerr << "needlescope-train-classifier: " << e.path() << ": " << e.reason() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "needlescope-train-classifier: " << out << ": " << e.what() << "\n";
    return 2;
  }
  return 0;
}

int Convert(const std::string& in, const std::string& out) {
  cv::FileStorage fs;
  try {
    const std::vector<std::uint8_t> bytes = ReadFileBytes(in, /*max_bytes=*/64u << 20);
    if (!detect::PunctureClassifier::LooksBinary(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())))
      fs.open(in, cv::FileStorage::READ);
  } catch (const std::exception&) {  // unreadable, or not YAML: ReadClassifierFile says which
  }
  if (!fs.isOpened() || std::string(fs["schema"]) != "needlescope.puncture-classifier/1") return ConvertCompact(in, out);
  auto read = [&](const char* key) {
    cv::Ptr<cv::ml::RTrees> forest;
    if (!fs[key].empty()) {
      forest = cv::ml::RTrees::create();
      forest->read(fs[key]);
    }
    return forest;
  };
  // The compact forests must give OpenCV's float for every row: checked on rows that put
  // each split's own threshold (where "<=" matters) and random values in every variable.
  detect::CompactForest stages[2];
  for (int stage = 0; stage < 2; ++stage) {
    const char* key = stage == 0 ? "forest" : "context_forest";
    const cv::Ptr<cv::ml::RTrees> reference = read(key);
    if (!reference) continue;
    const detect::CompactForest& compact = stages[stage] = Compact(reference);
    cv::RNG rng(1);
    cv::Mat rows(20000, compact.var_count(), CV_32F);
    const std::vector<cv::ml::DTrees::Split>& splits = reference->getSplits();
    for (int r = 0; r < rows.rows; ++r) {
      for (int v = 0; v < rows.cols; ++v) rows.at<float>(r, v) = splits[size_t(rng.uniform(0, int(splits.size())))].c;
      const cv::ml::DTrees::Split& s = splits[size_t(r) % splits.size()];
      rows.at<float>(r, s.varIdx) = s.c;
    }
    cv::Mat expected;
    reference->predict(rows, expected);
    for (int r = 0; r < rows.rows; ++r) {
      if (compact.Predict(rows.ptr<float>(r)) != expected.at<float>(r)) {
        std::cerr << "needlescope-train-classifier: " << key << ": compact prediction differs on row " << r << "\n";
        return 2;
      }
    }
    std::cerr << key << ": " << compact.tree_count() << " trees, " << compact.node_count()
              << " nodes; predictions equal to OpenCV's on " << rows.rows << " rows\n";
  }
  detect::Plane plane = detect::Plane::kGreenOd;
  if (!fs["plane"].empty()) detect::PlaneFromName(std::string(fs["plane"]), &plane);
  const detect::PunctureClassifier classifier(stages[0], double(fs["threshold"]), double(fs["min_response"]),
                                              std::string(fs["description"]), plane, stages[1]);
  WriteModel(classifier, out);
  return 0;
}

void PrintImportance(const std::string& stage, const cv::ml::RTrees& forest) {
  const cv::Mat importance = forest.getVarImportance();
  std::cerr << stage << " feature importance:";
  for (int i = 0; i < importance.rows * importance.cols; ++i) {
    const int base = int(detect::kCandidateFeatureNames.size());
    std::cerr << " " << (i < base ? detect::kCandidateFeatureNames[i] : detect::kContextFeatureNames[i - base]) << "="
              << importance.at<float>(i);
  }
  std::cerr << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> dirs, validation_dirs;
  std::string chromophores, out;
  ForestSettings settings;
  double min_response = 0.05;
  std::string plane_name = "green_od";
  bool no_context = false;
  std::string convert;
  po::options_description desc("needlescope-train-classifier DIR... -o MODEL [options]");
  desc.add_options()("dir", po::value(&dirs)->multitoken(), "scene directories (synth output)")
      ("out,o", po::value(&out)->required(), "model file to write: binary (/3), or YAML (/2) when named .yml, .yaml or .gz")
      ("chromophores", po::value(&chromophores), "camera calibration used to measure the candidates")
      ("min-response", po::value(&min_response)->default_value(min_response), "candidate threshold")
      ("plane", po::value(&plane_name)->default_value(plane_name), "candidate plane: green_od, luminance_od, hemoglobin")
      ("trees", po::value(&settings.trees)->default_value(settings.trees), "forest size")
      ("depth", po::value(&settings.depth)->default_value(settings.depth), "maximum tree depth")
      ("validation", po::value(&validation_dirs)->multitoken(),
       "scene directories, not trained on, to choose the decision threshold on (default: out-of-fold scores)")
      ("no-context", po::bool_switch(&no_context), "no second (context) stage")
      ("convert", po::value(&convert), "instead of training: rewrite this model (any schema) in the form -o names")
      ("help,h", "show this help");
  po::positional_options_description positional;
  positional.add("dir", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    po::notify(vm);
    if (convert.empty() && dirs.empty()) throw po::error("give scene directories (or --convert MODEL)");
  } catch (const po::error& e) {
    std::cerr << "needlescope-train-classifier: " << e.what() << "\n" << desc;
    return 1;
  }

  if (!convert.empty()) return Convert(convert, out);

  detect::DetectOptions options;
  options.target = detect::Target::kBlood;  // skin scenes only: no need to decide (auto)
  options.min_response = min_response;
  if (!detect::PlaneFromName(plane_name, &options.plane)) {
    std::cerr << "needlescope-train-classifier: unknown --plane " << plane_name << "\n";
    return 1;
  }
  if (!chromophores.empty()) options.vectors = cli::ReadChromophoresFile(chromophores);
  const std::vector<Scene> validation = LoadScenes(validation_dirs, options);
  std::vector<Scene> scenes = LoadScenes(dirs, options);
  if (scenes.size() < 4) {
    std::cerr << "needlescope-train-classifier: need at least 4 skin scenes, found " << scenes.size() << "\n";
    return 2;
  }

  const bool context = !no_context;
  std::vector<std::vector<double>> oof;
  const cv::Ptr<cv::ml::RTrees> forest = TrainWithOutOfFold(scenes, settings, &oof);
  double best_f1 = 0;
  double best_threshold = BestThreshold(scenes, oof, &best_f1);
  std::cerr << "first stage, out-of-fold F1 " << best_f1 << " at threshold " << best_threshold << "\n";
  cv::Ptr<cv::ml::RTrees> context_forest;
  if (context) {
    for (size_t k = 0; k < scenes.size(); ++k) scenes[k].features = detect::ContextFeatureMatrix(scenes[k].candidates, oof[k]);
    context_forest = TrainWithOutOfFold(scenes, settings, validation.empty() ? &oof : nullptr);
    if (validation.empty()) {
      best_threshold = BestThreshold(scenes, oof, &best_f1);
      std::cerr << "second stage, out-of-fold F1 " << best_f1 << " at threshold " << best_threshold << "\n";
    }
  }
  std::string threshold_source = "out-of-fold F1";
  if (!validation.empty()) {
    // Scored exactly as analyze scores them: the final forests, at run time's code path.
    const detect::PunctureClassifier trial(Compact(forest), 0.5, min_response, "", options.plane,
                                           Compact(context_forest));
    std::vector<std::vector<double>> scores;
    for (const Scene& v : validation) scores.push_back(trial.Score(v.candidates));
    best_threshold = BestThreshold(validation, scores, &best_f1);
    threshold_source = "F1 on " + std::to_string(validation.size()) + " validation scenes";
    const auto report = Evaluate(validation, scores, best_threshold);
    std::cerr << "validation F1 " << best_f1 << " at threshold " << best_threshold << " (P " << report["precision"]
              << ", R " << report["recall"] << ")\n";
  }

  std::ostringstream description;
  description << "random forest, " << settings.trees << " trees, depth <= " << settings.depth << ", on "
              << scenes.size() << " synthetic skin scenes (" << dirs.front() << (dirs.size() > 1 ? ", ..." : "")
              << "), candidates on " << plane_name << " at min_response " << min_response << ", "
              << (chromophores.empty() ? "literature vectors" : "vectors " + fs::path(chromophores).filename().string())
              << (context ? "; second stage on neighbourhood context" : "") << "; threshold " << best_threshold
              << " by " << threshold_source << " " << best_f1;
  const detect::PunctureClassifier classifier(Compact(forest), best_threshold, min_response, description.str(),
                                              options.plane, Compact(context_forest));
  WriteModel(classifier, out);
  PrintImportance("first stage", *forest);
  if (context_forest) PrintImportance("second stage", *context_forest);
  return 0;
}
