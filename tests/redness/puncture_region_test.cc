#include "needlescope/redness/puncture_region.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace needlescope::redness {
namespace {

// Punctures on a jittered grid of `pitch` inside an ellipse, with an untreated hole.
std::vector<cv::Point2d> FieldInEllipse(cv::Size size, cv::RotatedRect area, double pitch, cv::RNG& rng,
                                        cv::Mat* truth) {
  *truth = cv::Mat::zeros(size, CV_8U);
  cv::ellipse(*truth, area, cv::Scalar(255), cv::FILLED);
  std::vector<cv::Point2d> p;
  for (double y = 0; y < size.height; y += pitch) {
    for (double x = 0; x < size.width; x += pitch) {
      const cv::Point2d q(x + rng.uniform(-0.3, 0.3) * pitch, y + rng.uniform(-0.3, 0.3) * pitch);
      const cv::Point c(int(q.x), int(q.y));
      if (c.x < 0 || c.y < 0 || c.x >= size.width || c.y >= size.height || !truth->at<uchar>(c)) continue;
      if (cv::norm(q - cv::Point2d(area.center)) < 25) continue;  // a gap: untreated, still inside
      p.push_back(q);
    }
  }
  return p;
}

double IoU(const cv::Mat& a, const cv::Mat& b) {
  return double(cv::countNonZero(a & b)) / cv::countNonZero(a | b);
}

TEST(PunctureRegion, OutlinesTheFieldWithItsGapsFilled) {
  cv::RNG rng(1);
  const cv::Size size(640, 480);
  cv::Mat truth;
  const auto points = FieldInEllipse(size, {{300, 250}, {360, 260}, 20}, 9, rng, &truth);
  // A few false detections outside do not make a region of their own.
  std::vector<cv::Point2d> with_noise = points;
  for (int k = 0; k < 8; ++k) with_noise.emplace_back(rng.uniform(0, 60), rng.uniform(0, 480));
  const PunctureRegion r = TreatedRegionFromPunctures(with_noise, size, {});
  ASSERT_FALSE(r.mask.empty()) << r.reason;
  EXPECT_NEAR(r.spacing_px, 9, 3);
  EXPECT_GT(IoU(r.mask, truth), 0.9);
  EXPECT_EQ(r.mask.at<uchar>(250, 300), 255);  // the gap is inside the treated area
}

TEST(PunctureRegion, NoneFromTooFewOrTooSpread) {
  cv::RNG rng(2);
  std::vector<cv::Point2d> few(10, cv::Point2d(100, 100));
  EXPECT_TRUE(TreatedRegionFromPunctures(few, {640, 480}, {}).mask.empty());
  // Punctures over the whole frame: more than 90 % of it is no "region".
  cv::Mat truth;
  const auto everywhere = FieldInEllipse({640, 480}, {{320, 240}, {1400, 1400}, 0}, 10, rng, &truth);
  const PunctureRegion r = TreatedRegionFromPunctures(everywhere, {640, 480}, {});
  EXPECT_TRUE(r.mask.empty());
  EXPECT_NE(r.reason.find("outside the accepted"), std::string::npos) << r.reason;
}

TEST(PunctureRegion, ChecksOptions) {
  PunctureRegionOptions o;
  EXPECT_EQ(o.Check(), "");
  o.level_fraction = 1.5;
  EXPECT_EQ(o.Check(), "region.level_fraction = 1.5: must be in (0, 1)");
  o.level_fraction = 0.5;
  o.min_candidate_score = 1.2;
  EXPECT_EQ(o.Check(), "region.min_candidate_score = 1.2: must be in [0, 1]");
}

// The points the region is drawn from: the accepted punctures, or with min_candidate_score
// every candidate a classifier scored that high (and only when a classifier scored them).
TEST(PunctureRegion, PointsAreTheAcceptedOrTheCandidatesScoredHighEnough) {
  std::vector<detect::Candidate> candidates(3);
  candidates[0].x = 1, candidates[0].score = 0.9, candidates[0].accepted = true;
  candidates[1].x = 2, candidates[1].score = 0.35;
  candidates[2].x = 3, candidates[2].score = 0.1;
  PunctureRegionOptions o;
  EXPECT_EQ(RegionPoints(candidates, true, o).size(), 1u);
  o.min_candidate_score = 0.3;
  const std::vector<cv::Point2d> loose = RegionPoints(candidates, true, o);
  ASSERT_EQ(loose.size(), 2u);
  EXPECT_EQ(loose[1].x, 2);
  EXPECT_EQ(RegionPoints(candidates, false, o).size(), 1u);  // threshold scores: the decision stands
}

}  // namespace
}  // namespace needlescope::redness
