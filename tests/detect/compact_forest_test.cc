#include "needlescope/detect/compact_forest.h"

#include <cfloat>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace needlescope::detect {
namespace {

// A regression forest on 6 features of which two matter, with deep trees (many splits).
cv::Ptr<cv::ml::RTrees> TrainForest() {
  cv::RNG rng(3);
  cv::Mat features(3000, 6, CV_32F), labels(3000, 1, CV_32F);
  rng.fill(features, cv::RNG::UNIFORM, -1, 1);
  for (int i = 0; i < features.rows; ++i) {
    const float* f = features.ptr<float>(i);
    labels.at<float>(i) = f[1] * f[1] + 0.5f * f[4] > 0.3f ? 1.f : 0.f;
  }
  cv::setRNGSeed(5);
  auto forest = cv::ml::RTrees::create();
  forest->setMaxDepth(9);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, 25, 0});
  forest->train(cv::ml::TrainData::create(features, cv::ml::ROW_SAMPLE, labels));
  return forest;
}

// Rows to score: fresh uniform values, plus every split threshold itself on its variable
// (where "<=" and "<" would part ways), plus OpenCV's missing-value mark.
cv::Mat TestRows(const CompactForest& forest, const cv::ml::RTrees& reference) {
  cv::RNG rng(11);
  cv::Mat rows(2000, forest.var_count(), CV_32F);
  rng.fill(rows, cv::RNG::UNIFORM, -1.2, 1.2);
  int r = 0;
  for (const cv::ml::DTrees::Split& s : reference.getSplits()) {
    if (r >= rows.rows - 1) break;
    rows.at<float>(r++, s.varIdx) = s.c;
  }
  rows.at<float>(rows.rows - 1, 1) = FLT_MAX;
  return rows;
}

TEST(CompactForest, PredictsExactlyAsOpenCv) {
  const auto reference = TrainForest();
  const CompactForest forest = CompactForest::FromOpenCv(*reference);
  EXPECT_EQ(forest.tree_count(), 25);
  EXPECT_GT(forest.node_count(), 25 * 50);
  const cv::Mat rows = TestRows(forest, *reference);
  cv::Mat expected;
  reference->predict(rows, expected);
  for (int i = 0; i < rows.rows; ++i) ASSERT_EQ(forest.Predict(rows.ptr<float>(i)), expected.at<float>(i)) << i;

  // PredictRows runs the rows tree by tree, in blocks and eight at a time: the same floats
  // for any range, including ranges that end inside a block or a group of eight.
  for (const auto& [begin, end] : std::vector<std::pair<int, int>>{{0, 2000}, {3, 270}, {1000, 1007}, {7, 7}}) {
    std::vector<float> out(size_t(end - begin));
    forest.PredictRows(rows, begin, end, out.data());
    for (int i = begin; i < end; ++i) ASSERT_EQ(out[size_t(i - begin)], expected.at<float>(i)) << i;
  }
}

TEST(CompactForest, SurvivesABase64RoundTripAndRefusesBrokenArrays) {
  const auto reference = TrainForest();
  const CompactForest forest = CompactForest::FromOpenCv(*reference);
  cv::FileStorage out(".yml", cv::FileStorage::WRITE_BASE64 | cv::FileStorage::MEMORY);
  out << "forest" << "{";
  forest.Write(out);
  out << "}";
  const std::string yaml = out.releaseAndGetString();
  EXPECT_NE(yaml.find("!!binary"), std::string::npos);  // base64

  cv::FileStorage in(yaml, cv::FileStorage::READ | cv::FileStorage::MEMORY);
  const CompactForest reread = CompactForest::Read(in["forest"]);
  const cv::Mat rows = TestRows(forest, *reference);
  for (int i = 0; i < rows.rows; ++i) ASSERT_EQ(reread.Predict(rows.ptr<float>(i)), forest.Predict(rows.ptr<float>(i)));

  // A child index pointing back up the tree would make a walk loop forever.
  cv::FileStorage broken(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY);
  broken << "forest" << "{" << "var_count" << 2 << "roots" << std::vector<int>{0} << "var" << std::vector<int>{0, -1}
         << "threshold" << std::vector<float>{0, 0} << "left" << std::vector<int>{0, -1} << "right"
         << std::vector<int>{1, -1} << "missing_left" << std::vector<int>{1, 0} << "value"
         << std::vector<double>{0, 1} << "}";
  cv::FileStorage broken_in(broken.releaseAndGetString(), cv::FileStorage::READ | cv::FileStorage::MEMORY);
  try {
    CompactForest::Read(broken_in["forest"]);
    FAIL() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "forest node 0 is inconsistent");
  }
}

// What ReadBinary says of `bytes` ("accepted" when it takes them all).
std::string BinaryRefusalOf(std::string_view bytes, int var_count, int trees, int nodes) {
  try {
    CompactForest::ReadBinary(&bytes, var_count, trees, nodes);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return bytes.empty() ? "accepted" : "left bytes";
}

TEST(CompactForest, SurvivesABinaryRoundTripByteForByte) {
  const auto reference = TrainForest();
  const CompactForest forest = CompactForest::FromOpenCv(*reference);
  std::string bytes;
  forest.AppendBinary(&bytes);
  // Every node is a split (7 bytes) or a leaf (10), and a binary tree has one more leaf
  // than splits.
  const size_t splits = (size_t(forest.node_count()) - size_t(forest.tree_count())) / 2;
  EXPECT_EQ(bytes.size(), splits * 7 + (splits + size_t(forest.tree_count())) * 10);

  const std::string followed = bytes + "tail";
  std::string_view view = followed;  // what follows the forest is left unread
  const CompactForest reread = CompactForest::ReadBinary(&view, forest.var_count(), forest.tree_count(), forest.node_count());
  EXPECT_EQ(view, "tail");
  const cv::Mat rows = TestRows(forest, *reference);
  for (int i = 0; i < rows.rows; ++i) ASSERT_EQ(reread.Predict(rows.ptr<float>(i)), forest.Predict(rows.ptr<float>(i)));
  std::string again;
  reread.AppendBinary(&again);
  EXPECT_EQ(again, bytes);
}

TEST(CompactForest, RefusesBrokenBinaryNodesWithoutCrashing) {
  const CompactForest forest = CompactForest::FromOpenCv(*TrainForest());
  std::string bytes;
  forest.AppendBinary(&bytes);
  const int v = forest.var_count(), t = forest.tree_count(), n = forest.node_count();
  ASSERT_EQ(BinaryRefusalOf(bytes, v, t, n), "accepted");
  // Cut anywhere: refused, never read past the end.
  for (size_t cut = 0; cut < bytes.size(); cut += 97) {
    EXPECT_EQ(BinaryRefusalOf(std::string_view(bytes).substr(0, cut), v, t, n), "the forest's nodes end early") << cut;
  }
  EXPECT_EQ(BinaryRefusalOf(bytes, v, t, n - 1), "the forest has more nodes than its header says");
  EXPECT_EQ(BinaryRefusalOf(bytes + std::string(9, '\xff'), v, t + 1, n + 1), "the forest's nodes end early");
  // One more tree, a single leaf whose value is not a number (all bits set).
  EXPECT_EQ(BinaryRefusalOf(bytes + std::string(10, '\xff'), v, t + 1, n + 1),
            "forest node " + std::to_string(n) + " holds a number that is not finite");
  EXPECT_EQ(BinaryRefusalOf(bytes, v, t - 1, n), "the forest has fewer nodes than its header says");
  EXPECT_EQ(BinaryRefusalOf(bytes, v, t, n * 100), "the forest's nodes end early");  // before allocating
  EXPECT_EQ(BinaryRefusalOf(bytes, v, t, -1), "forest sizes out of range");
  // The first node of the first tree is a split; make it split on a variable the rows lack.
  std::string bad_var = bytes;
  bad_var[0] = char(v), bad_var[1] = 0;
  EXPECT_EQ(BinaryRefusalOf(bad_var, v, t, n), "forest node 0 splits on no variable");
  // Any byte changed: refused with a reason, or read as another forest; never a crash.
  for (size_t at = 0; at < bytes.size(); at += 13) {
    std::string changed = bytes;
    changed[at] = char(changed[at] ^ 0x81);
    BinaryRefusalOf(changed, v, t, n);
  }
}

}  // namespace
}  // namespace needlescope::detect
