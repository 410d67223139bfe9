#include "needlescope/detect/puncture_classifier.h"

#include <gtest/gtest.h>

namespace needlescope::detect {
namespace {

// Candidates whose label is "Δhemoglobin > 0.2", with the other features as noise.
std::vector<Candidate> Candidates(int n, cv::RNG& rng, std::vector<float>* labels) {
  std::vector<Candidate> out;
  for (int i = 0; i < n; ++i) {
    Candidate c;
    c.response = rng.uniform(0.05, 0.5);
    c.radius_px = rng.uniform(1.0, 4.0);
    c.delta_hemoglobin = rng.uniform(-0.2, 0.6);
    c.delta_melanin = rng.uniform(-0.2, 0.6);
    out.push_back(c);
    if (labels) labels->push_back(c.delta_hemoglobin > 0.2 ? 1.f : 0.f);
  }
  return out;
}

PunctureClassifier TrainToy() {
  cv::RNG rng(7);
  std::vector<float> labels;
  const std::vector<Candidate> train = Candidates(600, rng, &labels);
  cv::setRNGSeed(1);
  auto forest = cv::ml::RTrees::create();
  forest->setMaxDepth(4);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, 10, 0});
  forest->train(cv::ml::TrainData::create(CandidateFeatureMatrix(train), cv::ml::ROW_SAMPLE, cv::Mat(labels, true)));
  return PunctureClassifier(forest, /*threshold=*/0.5, /*min_response=*/0.05, "toy", Plane::kHemoglobin);
}

TEST(PunctureClassifier, LearnsTheRuleAndSurvivesARoundTripUnchanged) {
  const PunctureClassifier toy = TrainToy();
  cv::RNG rng(99);
  std::vector<float> labels;
  const std::vector<Candidate> test = Candidates(300, rng, &labels);
  const std::vector<double> scores = toy.Score(test);
  int right = 0;
  for (size_t i = 0; i < test.size(); ++i) right += (scores[i] >= toy.threshold()) == (labels[i] > 0.5f);
  EXPECT_GE(right, 285);  // 95 %: the rule is one threshold on one feature

  const auto reread = PunctureClassifier::FromYaml(toy.ToYaml());
  EXPECT_EQ(reread->Score(test), scores);
  EXPECT_EQ(reread->threshold(), 0.5);
  EXPECT_EQ(reread->min_response(), 0.05);
  EXPECT_EQ(reread->description(), "toy");
  EXPECT_EQ(reread->plane(), Plane::kHemoglobin);
}

TEST(PunctureClassifier, RefusesFilesThatAreNotItsModel) {
  auto message = [](const std::string& text) {
    try {
      PunctureClassifier::FromYaml(text);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("this is not yaml: ["), "not YAML");
  EXPECT_EQ(message("%YAML:1.0\nschema: \"something/1\"\n"), "schema is not needlescope.puncture-classifier/1");
  std::string yaml = TrainToy().ToYaml();
  yaml.replace(yaml.find("contrast_z"), 10, "contrast_q");
  EXPECT_EQ(message(yaml), "trained on other features than this build measures (retrain it)");
}

}  // namespace
}  // namespace needlescope::detect
