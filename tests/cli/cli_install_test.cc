// `cmake --install`: the installed executable finds the data it loads at run time beside it
// (bin/../share/needlescope/models), not only in the source tree it was built from.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/ml.hpp>

#include "needlescope/detect/puncture_classifier.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

// A one-stage toy classifier (a few shallow trees on random labels) with its own
// description, so that a run shows which file it loaded.
void WriteToyClassifier(const std::string& path, const std::string& description) {
  cv::RNG rng(1);
  cv::Mat features(200, int(detect::kCandidateFeatureNames.size()), CV_32F), labels(200, 1, CV_32F);
  rng.fill(features, cv::RNG::UNIFORM, 0, 1);
  rng.fill(labels, cv::RNG::UNIFORM, 0, 1);
  auto forest = cv::ml::RTrees::create();
  forest->setMaxDepth(3);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, 3, 0});
  forest->train(cv::ml::TrainData::create(features, cv::ml::ROW_SAMPLE, labels));
  const detect::PunctureClassifier toy(detect::CompactForest::FromOpenCv(*forest), 0.5, 0.05, description);
  const std::string bytes = toy.ToBinary();
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

TEST(CliInstall, InstalledBinaryLoadsTheModelsInstalledBesideIt) {
  testing::TempDir dir;
  const std::string prefix = dir.File("prefix");
  const auto install = testing::RunProgram(CMAKE_COMMAND, "--install '" NEEDLESCOPE_BUILD_DIR "' --prefix '" + prefix + "'");
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const std::string models = prefix + "/share/needlescope/models/";
  for (const char* file : {"puncture-classifier.bin", "chromophores-synth-camera.json", "README.md"})
    EXPECT_TRUE(std::filesystem::is_regular_file(models + file)) << file;

  // The installed model replaced by a toy: the installed binary must use it, not the source
  // tree's model it was built beside.
  WriteToyClassifier(models + "puncture-classifier.bin", "installed toy");
  const auto run = testing::RunProgram(prefix + "/bin/needlescope",
                                       "analyze '" NEEDLESCOPE_SOURCE_DIR "/sample_images/skin-treated-101.jpg' -o '" +
                                           dir.File("out") + "' -q --chromophores '" + models +
                                           "chromophores-synth-camera.json'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/skin-treated-101.json")));
  EXPECT_EQ(doc["detection"]["decision"], "classifier: installed toy");
}

}  // namespace
}  // namespace needlescope
