// Trains the puncture classifier (models/puncture-classifier.bin) from synthetic scenes with
// known truth. Usage:
//   needlescope-train-classifier DIR... --chromophores FILE -o MODEL [--trees N] [--depth D]
// DIR holds scenes from `needlescope synth` (IMAGE + IMAGE.truth.json); substrates are
// skipped (they use --target stain, which has no classifier). Every skin scene goes through
// DetectPunctures with no classifier and a low candidate threshold (--min-response), so that
// nearly every puncture is a candidate; train::TrainClassifier (train/classifier_training.h)
// does the rest: labels by the evaluator's matching, two stages with out-of-fold scores, the
// threshold by F1 (on --validation scenes when given). The model is written as compact
// forests (compact_forest.h), schema /3, binary (puncture_classifier.h).
// Or: needlescope-train-classifier --convert OLD -o NEW.bin rewrites an older model as
// schema /3 with the same trees: a schema /1 one (OpenCV's forest YAML) checking that every
// prediction is unchanged, a /2 (YAML) or /3 one checking that it reads back the same. Only
// this tool still reads YAML models (through OpenCV's reader, which can hang on a damaged
// file: docs/reliability.md); needlescope itself reads /3 only.
// Deterministic: fixed RNG seed per forest, each forest trained on one thread, scenes in
// sorted order.

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/eval/score.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/train/classifier_training.h"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace needlescope;

namespace {

// One scene: its truth and its candidates.
train::TrainingPhoto LoadScene(const fs::path& truth_path, const detect::DetectOptions& options) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(truth_path.string(), 256u << 20);
  const nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end());
  train::TrainingPhoto s;
  s.truth = eval::TruthFromJson(doc);
  const fs::path image = truth_path.parent_path() / doc.at("scene").at("image").get<std::string>();
  s.candidates = detect::DetectPunctures(LoadImage(image.string(), LoadOptions{}).bgr, options).candidates;
  return s;
}

// Every skin scene (substrates are skipped) of the directories, in sorted order.
std::vector<train::TrainingPhoto> LoadScenes(const std::vector<std::string>& dirs, const detect::DetectOptions& options) {
  std::vector<fs::path> truth_files;
  for (const std::string& dir : dirs) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 11 && name.compare(name.size() - 11, 11, ".truth.json") == 0) truth_files.push_back(entry.path());
    }
  }
  std::sort(truth_files.begin(), truth_files.end());
  std::vector<train::TrainingPhoto> scenes;
  for (const fs::path& t : truth_files) {
    if (t.filename().string().rfind("substrate", 0) == 0) continue;
    scenes.push_back(LoadScene(t, options));
    const std::vector<int> labels = train::LabelCandidates(scenes.back().truth, scenes.back().candidates);
    std::cerr << t.filename().string() << ": " << labels.size() << " candidates, "
              << std::count(labels.begin(), labels.end(), 1) << " punctures\n";
  }
  return scenes;
}

detect::CompactForest Compact(const cv::Ptr<cv::ml::RTrees>& forest) {
  return forest ? detect::CompactForest::FromOpenCv(*forest) : detect::CompactForest{};
}

void WriteModel(const detect::PunctureClassifier& classifier, const std::string& out) {
  cli::WriteClassifierFile(classifier, out);
  std::cerr << "wrote " << out << "\n";
}

// A schema /2 or /3 model rewritten as /3 with the same trees (WriteModel checks it).
int ConvertCompact(const std::string& in, const std::string& out) {
  try {
    WriteModel(*cli::ReadAnyCompactClassifierFile(in), out);
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
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (!detect::PunctureClassifier::LooksBinary(text)) {
      const bool gzip = bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
      if (!gzip) detect::PunctureClassifier::CheckBase64Blocks(text);  // before OpenCV's reader
      fs.open(in, cv::FileStorage::READ);
    }
  } catch (const std::exception&) {  // unreadable, or not YAML: ReadAnyCompactClassifierFile says which
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

void PrintImportance(const std::string& stage, const std::vector<std::pair<std::string, float>>& importance) {
  std::cerr << stage << " feature importance:";
  for (const auto& [name, value] : importance) std::cerr << " " << name << "=" << value;
  std::cerr << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> dirs, validation_dirs;
  std::string chromophores, out;
  train::TrainingOptions training;
  double min_response = 0.05;
  std::string plane_name = "green_od";
  bool no_context = false;
  std::string convert;
  po::options_description desc("needlescope-train-classifier DIR... -o MODEL [options]");
  desc.add_options()("dir", po::value(&dirs)->multitoken(), "scene directories (synth output)")
      ("out,o", po::value(&out)->required(), "model file to write (schema /3, binary)")
      ("chromophores", po::value(&chromophores), "camera calibration used to measure the candidates")
      ("min-response", po::value(&min_response)->default_value(min_response), "candidate threshold")
      ("plane", po::value(&plane_name)->default_value(plane_name), "candidate plane: green_od, luminance_od, hemoglobin")
      ("trees", po::value(&training.trees)->default_value(training.trees), "forest size")
      ("depth", po::value(&training.depth)->default_value(training.depth), "maximum tree depth")
      ("validation", po::value(&validation_dirs)->multitoken(),
       "scene directories, not trained on, to choose the decision threshold on (default: out-of-fold scores)")
      ("no-context", po::bool_switch(&no_context), "no second (context) stage")
      ("convert", po::value(&convert), "instead of training: rewrite this older model (schema /1, /2 YAML, or /3) as schema /3 to -o")
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

  try {
    cli::CheckClassifierOutputName(out);
  } catch (const InputError& e) {
    std::cerr << "needlescope-train-classifier: " << e.path() << ": " << e.reason() << "\n";
    return 2;
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
  const std::vector<train::TrainingPhoto> validation = LoadScenes(validation_dirs, options);
  const std::vector<train::TrainingPhoto> scenes = LoadScenes(dirs, options);
  if (scenes.size() < 4) {
    std::cerr << "needlescope-train-classifier: need at least 4 skin scenes, found " << scenes.size() << "\n";
    return 2;
  }
  training.context = !no_context;
  training.plane = options.plane;
  training.min_response = min_response;
  training.source = std::to_string(scenes.size()) + " synthetic skin scenes (" + dirs.front() +
                    (dirs.size() > 1 ? ", ..." : "") + "), " +
                    (chromophores.empty() ? "literature vectors" : "vectors " + fs::path(chromophores).filename().string());
  const train::TrainingResult result = train::TrainClassifier(scenes, validation, training);
  std::cerr << "first stage, out-of-fold F1 " << result.first_stage_f1 << "\n"
            << result.threshold_source << " " << result.f1 << " at threshold " << result.classifier->threshold();
  if (!result.validation.empty())
    std::cerr << " (P " << result.validation["precision"] << ", R " << result.validation["recall"] << ")";
  std::cerr << "\n";
  WriteModel(*result.classifier, out);
  PrintImportance("first stage", result.importance);
  if (!result.context_importance.empty()) PrintImportance("second stage", result.context_importance);
  return 0;
}
