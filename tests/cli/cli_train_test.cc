// `needlescope train` as a lab runs it: its own photos, a CSV of marks per photo, a model
// file that analyze then uses. (That such a model beats the shipped one on a camera the
// shipped one never saw: tests/train/classifier_training_test.cc.)

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "needlescope/eval/score.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

using testing::RunNeedlescope;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

class CliTrain : public ::testing::Test {
 protected:
  // Three small family-C photos, each with a CSV marking its clearly visible punctures.
  void SetUp() override {
    for (int k = 0; k < 3; ++k) {
      const std::string seed = std::to_string(4300 + k);
      ASSERT_EQ(RunNeedlescope("synth --family c --scene skin-treated --seed " + seed +
                               " --width 512 --height 384 -q -o " + Quote(dir_.File("set")))
                    .exit_code,
                0);
      const std::string stem = dir_.File("set/skin-treated-" + seed);
      const auto truth = eval::TruthFromJson(nlohmann::json::parse(testing::ReadTextFile(stem + ".truth.json")));
      std::ofstream csv(stem + ".csv");
      csv << "x,y\n";
      for (const eval::TruthPoint& p : truth.points) {
        if (p.required) csv << p.x << "," << p.y << "\n";
      }
      images_ += " " + Quote(stem + ".jpg");
      points_ += " " + Quote(stem + ".csv");
      // The same marks in the left half only, as an annotator marks part of a dense photo.
      std::ofstream half(stem + ".left.csv");
      half << "x,y\n";
      for (const eval::TruthPoint& p : truth.points) {
        if (p.required && p.x < 255) half << p.x << "," << p.y << "\n";
      }
      half_points_ += " " + Quote(stem + ".left.csv");
      regions_ += " " + Quote(dir_.File("left.csv"));
    }
    std::ofstream(dir_.File("left.csv")) << "x,y\n-0.5,-0.5\n255,-0.5\n255,383.5\n-0.5,383.5\n";
  }
  testing::TempDir dir_;
  std::string images_, points_, half_points_, regions_;
};

TEST_F(CliTrain, WritesAModelThatAnalyzeUses) {
  const std::string model = dir_.File("own.bin");
  const auto r = RunNeedlescope("train" + images_ + " --points" + points_ + " --trees 20 -q -o " + Quote(model) +
                                " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["schema"], "needlescope.train/1");
  ASSERT_EQ(summary["photos"].size(), 3u);
  for (const auto& p : summary["photos"]) {
    EXPECT_GT(p["marks"].get<int>(), 20);
    // Nearly every mark has a candidate on it (the candidate threshold is low).
    EXPECT_GE(p["candidates_on_marks"].get<double>(), 0.8 * p["marks"].get<double>());
  }
  // 0.69 on these three photos (20 trees, each fold trained on one or two photos).
  EXPECT_GT(summary["out_of_fold_f1"].get<double>(), 0.5);
  EXPECT_GT(summary["threshold"].get<double>(), 0.0);

  const auto used = RunNeedlescope("analyze " + Quote(dir_.File("set/skin-treated-4300.jpg")) + " --classifier " +
                                   Quote(model) + " --pictures none -q -o " + Quote(dir_.File("out")));
  ASSERT_EQ(used.exit_code, 0) << used.err;
  const auto result = nlohmann::json::parse(testing::ReadTextFile(dir_.File("out/skin-treated-4300.json")));
  EXPECT_EQ(result["detection"]["classifier_file"], model);
  EXPECT_EQ(result["detection"]["classifier_threshold"], summary["threshold"]);
  EXPECT_GT(result["detection"]["count"].get<int>(), 20);

  // Same photos, same marks, one thread instead of all the cores: the same bytes.
  const std::string again = dir_.File("again.bin");
  ASSERT_EQ(RunNeedlescope("train" + images_ + " --points" + points_ + " --trees 20 --threads 1 -q -o " + Quote(again))
                .exit_code,
            0);
  EXPECT_EQ(testing::ReadTextFile(model), testing::ReadTextFile(again));
}

// Marks in a part of each photo, with that part named: what is outside is left out rather
// than learned as non-punctures. Without the regions the unmarked punctures of the right
// halves teach the model to miss punctures.
TEST_F(CliTrain, ARegionPerPhotoLimitsWhatIsLearnedToWhereTheMarksAre) {
  const auto with_regions = RunNeedlescope("train" + images_ + " --points" + half_points_ + " --regions" + regions_ +
                                           " --trees 20 -q --json - -o " + Quote(dir_.File("half.bin")));
  ASSERT_EQ(with_regions.exit_code, 0) << with_regions.err;
  const auto summary = nlohmann::json::parse(with_regions.out);
  for (const auto& p : summary["photos"]) {
    EXPECT_EQ(p["region"], dir_.File("left.csv"));
    EXPECT_NEAR(p["annotated_fraction"].get<double>(), 0.5, 0.01);
  }
  const auto without = RunNeedlescope("train" + images_ + " --points" + half_points_ + " --trees 20 -q --json - -o " +
                                      Quote(dir_.File("unlimited.bin")));
  ASSERT_EQ(without.exit_code, 0) << without.err;
  // Both models on a photo neither saw, scored against all its punctures.
  ASSERT_EQ(RunNeedlescope("synth --family c --scene skin-treated --seed 4310 --width 512 --height 384 -q -o " +
                           Quote(dir_.File("new")))
                .exit_code,
            0);
  const auto scored = [&](const std::string& model) {
    const std::string out = dir_.File("by-" + model);
    EXPECT_EQ(RunNeedlescope("analyze " + Quote(dir_.File("new/skin-treated-4310.jpg")) + " --classifier " +
                             Quote(dir_.File(model)) + " --pictures none -q -o " + Quote(out))
                  .exit_code,
              0);
    const auto r = RunNeedlescope("eval --truth " + Quote(dir_.File("new/skin-treated-4310.truth.json")) +
                                  " --result " + Quote(out + "/skin-treated-4310.json") + " -q --json -");
    return nlohmann::json::parse(r.out);
  };
  const auto limited = scored("half.bin"), unlimited = scored("unlimited.bin");
  std::cerr << "held-out photo: with regions F1 " << limited["f1"] << " R " << limited["recall"]
            << "; without F1 " << unlimited["f1"] << " R " << unlimited["recall"] << "\n";
  EXPECT_GT(limited["recall"].get<double>(), unlimited["recall"].get<double>() + 0.1);
  EXPECT_GT(limited["f1"].get<double>(), unlimited["f1"].get<double>());
}

TEST_F(CliTrain, BadInputsAreOneLineWithExitCodeAndNoModel) {
  std::ofstream(dir_.File("outside.csv")) << "x,y\n10,10\n9000,10\n";
  std::ofstream(dir_.File("words.csv")) << "x,y\n10,ten\n";
  const std::string one_image = Quote(dir_.File("set/skin-treated-4300.jpg"));
  const std::string one_csv = Quote(dir_.File("set/skin-treated-4300.csv"));
  struct Case {
    std::string args;
    int exit_code;
    std::string err;
  };
  const std::vector<Case> cases = {
      {images_ + " --points " + one_csv, 1, "one --points CSV per photo"},
      {" " + one_image + " --points " + one_csv, 1, "at least 2"},
      {images_ + " --points" + points_ + " --match-radius 1", 1, "--match-radius"},
      {images_ + " --points" + points_ + " --trees 0", 1, "trees"},
      {" " + one_image + " " + Quote(dir_.File("missing.jpg")) + " --points " + one_csv + " " + one_csv, 2,
       "missing.jpg"},
      {" " + one_image + " " + one_image + " --points " + one_csv + " " + Quote(dir_.File("outside.csv")), 2,
       "outside.csv: mark (9000, 10) lies outside"},
      {" " + one_image + " " + one_image + " --points " + one_csv + " " + Quote(dir_.File("words.csv")), 2,
       "words.csv: line 2: y is not a number"},
      {images_ + " --points" + points_ + " --regions " + Quote(dir_.File("left.csv")), 1, "one --regions file per photo"},
      // The whole photo's marks with a region of the left half: the right half's marks lie outside it.
      {images_ + " --points" + points_ + " --regions" + regions_, 2, "lies outside the annotated region"},
  };
  for (const Case& c : cases) {
    const std::string model = dir_.File("model.bin");
    const auto r = RunNeedlescope("train" + c.args + " -q -o " + Quote(model));
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.err), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(model)) << c.args;
  }
}

}  // namespace
}  // namespace needlescope
