// Trains the puncture classifier (models/puncture-classifier.yml.gz) from synthetic scenes with
// known truth. Usage:
//   needlescope-train-classifier DIR... --chromophores FILE -o MODEL [--trees N] [--depth D]
// DIR holds scenes from `needlescope synth` (IMAGE + IMAGE.truth.json); substrates are
// skipped (they use --target stain, which has no classifier). Steps:
//  1. every skin scene through DetectPunctures with no classifier and a low candidate
//     threshold (--min-response), so that nearly every puncture is a candidate;
//  2. each candidate labelled by the evaluator's optimal matching: matched to a required
//     (visible, not faint) puncture = 1, to a faint or hidden one = left out, unmatched = 0;
//  3. the decision threshold chosen for the best F1 (the evaluator's) on out-of-fold scores:
//     a forest trained on the even-numbered scenes scores the odd ones and vice versa;
//  4. the forest retrained on every scene and written with that threshold.
// Deterministic: fixed RNG seed, scenes in sorted order.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "cli/chromophores_file.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/eval/score.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_loader.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace needlescope;

namespace {

struct Scene {
  eval::TruthImage truth;
  std::vector<detect::Candidate> candidates;
  std::vector<int> labels;  // 1, 0, or -1 (left out)
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
  return s;
}

cv::Ptr<cv::ml::RTrees> Train(const std::vector<const Scene*>& scenes, const ForestSettings& settings) {
  std::vector<detect::Candidate> rows;
  std::vector<float> targets;
  for (const Scene* s : scenes) {
    for (size_t i = 0; i < s->candidates.size(); ++i) {
      if (s->labels[i] < 0) continue;
      rows.push_back(s->candidates[i]);
      targets.push_back(float(s->labels[i]));
    }
  }
  cv::setRNGSeed(20261124);
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  forest->setMaxDepth(settings.depth);
  forest->setMinSampleCount(10);
  forest->setRegressionAccuracy(0);
  forest->setActiveVarCount(4);
  forest->setCalculateVarImportance(true);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, settings.trees, 0});
  forest->train(cv::ml::TrainData::create(detect::CandidateFeatureMatrix(rows), cv::ml::ROW_SAMPLE,
                                          cv::Mat(targets, true)));
  return forest;
}

std::vector<double> Predict(const cv::ml::RTrees& forest, const Scene& s) {
  std::vector<double> out(s.candidates.size());
  if (s.candidates.empty()) return out;
  cv::Mat p;
  forest.predict(detect::CandidateFeatureMatrix(s.candidates), p);
  for (size_t i = 0; i < out.size(); ++i) out[i] = p.at<float>(int(i));
  return out;
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> dirs;
  std::string chromophores, out;
  ForestSettings settings;
  double min_response = 0.05;
  std::string plane_name = "green_od";
  po::options_description desc("needlescope-train-classifier DIR... -o MODEL [options]");
  desc.add_options()("dir", po::value(&dirs)->multitoken()->required(), "scene directories (synth output)")
      ("out,o", po::value(&out)->required(), "model file to write (YAML)")
      ("chromophores", po::value(&chromophores), "camera calibration used to measure the candidates")
      ("min-response", po::value(&min_response)->default_value(min_response), "candidate threshold")
      ("plane", po::value(&plane_name)->default_value(plane_name), "candidate plane: green_od, luminance_od, hemoglobin")
      ("trees", po::value(&settings.trees)->default_value(settings.trees), "forest size")
      ("depth", po::value(&settings.depth)->default_value(settings.depth), "maximum tree depth")
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
  } catch (const po::error& e) {
    std::cerr << "needlescope-train-classifier: " << e.what() << "\n" << desc;
    return 1;
  }

  detect::DetectOptions options;
  options.min_response = min_response;
  if (!detect::PlaneFromName(plane_name, &options.plane)) {
    std::cerr << "needlescope-train-classifier: unknown --plane " << plane_name << "\n";
    return 1;
  }
  if (!chromophores.empty()) options.vectors = cli::ReadChromophoresFile(chromophores);
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
  if (scenes.size() < 4) {
    std::cerr << "needlescope-train-classifier: need at least 4 skin scenes, found " << scenes.size() << "\n";
    return 2;
  }

  // Out-of-fold scores: even scenes scored by a forest trained on odd ones, and vice versa.
  std::vector<std::vector<double>> oof(scenes.size());
  for (int fold = 0; fold < 2; ++fold) {
    std::vector<const Scene*> train;
    for (size_t k = 0; k < scenes.size(); ++k) {
      if (int(k % 2) != fold) train.push_back(&scenes[k]);
    }
    const auto forest = Train(train, settings);
    for (size_t k = 0; k < scenes.size(); ++k) {
      if (int(k % 2) == fold) oof[k] = Predict(*forest, scenes[k]);
    }
  }
  double best_threshold = 0.5, best_f1 = -1;
  for (int t = 5; t <= 95; ++t) {
    const double f1 = Evaluate(scenes, oof, t / 100.0)["f1"].get<double>();
    if (f1 > best_f1) best_f1 = f1, best_threshold = t / 100.0;
  }
  const auto report = Evaluate(scenes, oof, best_threshold);
  std::cerr << "out-of-fold at threshold " << best_threshold << ": " << report["f1"] << " (P "
            << report["precision"] << ", R " << report["recall"] << ")\n";

  std::vector<const Scene*> all;
  for (const Scene& s : scenes) all.push_back(&s);
  const auto forest = Train(all, settings);
  cv::Mat importance = forest->getVarImportance();
  std::ostringstream description;
  description << "random forest, " << settings.trees << " trees, depth <= " << settings.depth << ", on "
              << scenes.size() << " synthetic skin scenes (" << dirs.front() << (dirs.size() > 1 ? ", ..." : "")
              << "), candidates on " << plane_name << " at min_response " << min_response << ", "
              << (chromophores.empty() ? "literature vectors" : "vectors " + fs::path(chromophores).filename().string())
              << "; threshold " << best_threshold << " by out-of-fold F1 " << best_f1;
  const detect::PunctureClassifier classifier(forest, best_threshold, min_response, description.str(), options.plane);
  // Written next to the target, then renamed into place (.gz: OpenCV compresses).
  const std::string partial = (fs::path(out).parent_path() / (".partial-" + fs::path(out).filename().string())).string();
  {
    cv::FileStorage storage(partial, cv::FileStorage::WRITE);
    classifier.Write(storage);
  }
  fs::rename(partial, out);
  std::cerr << "wrote " << out << "\nfeature importance:";
  for (size_t i = 0; i < detect::kCandidateFeatureNames.size(); ++i) {
    std::cerr << " " << detect::kCandidateFeatureNames[i] << "=" << importance.at<float>(int(i));
  }
  std::cerr << "\n";
  return 0;
}
