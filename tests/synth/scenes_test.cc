#include "needlescope/synth/scene.h"

#include <gtest/gtest.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/synth/truth_json.h"
#include "testing/synth_photos.h"

namespace needlescope::synth {
namespace {

SceneOptions Small() { return testing::SmallScene(); }

bool SameImages(const std::vector<SceneImage>& a, const std::vector<SceneImage>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (cv::norm(a[i].bgr, b[i].bgr, cv::NORM_INF) != 0) return false;
    if (TruthToJson(a[i].truth, "x") != TruthToJson(b[i].truth, "x")) return false;
  }
  return true;
}

class EveryKind : public ::testing::TestWithParam<SceneKind> {};

TEST_P(EveryKind, SameSeedSamePixelsForAnyThreadCount) {
  const int threads = cv::getNumThreads();
  cv::setNumThreads(1);
  const auto one = RenderScene(GetParam(), 11, Small());
  cv::setNumThreads(4);
  const auto four = RenderScene(GetParam(), 11, Small());
  cv::setNumThreads(threads);
  EXPECT_TRUE(SameImages(one, four));
  EXPECT_FALSE(SameImages(one, RenderScene(GetParam(), 12, Small())));
}

// Subpixel peak of `map` nearest to (x, y): the local maximum within 1.5 px, refined by a
// parabola through 3 samples per axis. Returns false when there is none.
bool PeakNear(const cv::Mat& map, double x, double y, cv::Point2d& peak) {
  const int cx = int(std::lround(x)), cy = int(std::lround(y));
  float best = -1e9f;
  cv::Point at(-1, -1);
  for (int j = cy - 2; j <= cy + 2; ++j) {
    for (int i = cx - 2; i <= cx + 2; ++i) {
      if (i < 1 || j < 1 || i >= map.cols - 1 || j >= map.rows - 1) continue;
      if (std::hypot(i - x, j - y) > 1.5) continue;
      if (map.at<float>(j, i) > best) best = map.at<float>(j, i), at = {i, j};
    }
  }
  if (at.x < 0) return false;
  for (int dj = -1; dj <= 1; ++dj) {
    for (int di = -1; di <= 1; ++di) {
      if (map.at<float>(at.y + dj, at.x + di) > best) return false;  // not a local maximum
    }
  }
  auto offset = [](double l, double c, double r) { return 0.5 * (l - r) / (l - 2 * c + r); };
  peak = {at.x + offset(map.at<float>(at.y, at.x - 1), best, map.at<float>(at.y, at.x + 1)),
          at.y + offset(map.at<float>(at.y - 1, at.x), best, map.at<float>(at.y + 1, at.x))};
  return true;
}

// A strong puncture far from every other one: nothing else moves its peak. (Weak spots on
// an erythema slope, or spots 1.5 radii apart, have peaks shifted by their surroundings, as
// in a photo; the truth is the centre of the spot's own profile.)
bool Isolated(const std::vector<TruthPuncture>& all, const TruthPuncture& p) {
  if (p.amplitude < 0.32) return false;
  for (const TruthPuncture& q : all) {
    if (&q != &p && std::hypot(q.x - p.x, q.y - p.y) < 2.5 * (p.radius_px + q.radius_px)) return false;
  }
  return true;
}

TEST_P(EveryKind, RenderedSpotsAreWhereTheTruthSays) {
  if (GetParam() == SceneKind::kSkinUntreated) GTEST_SKIP() << "no punctures";
  int checked = 0;
  for (std::uint64_t seed : {1, 2, 3}) {
    for (const SceneImage& image : RenderScene(GetParam(), seed, Small())) {
      const auto& punctures = image.truth.punctures;
      for (const TruthPuncture& p : punctures) {
        if (!Isolated(punctures, p)) continue;
        cv::Point2d peak;
        ASSERT_TRUE(PeakNear(image.absorber, p.x, p.y, peak)) << image.truth.name << " " << p.x << "," << p.y;
        EXPECT_LT(std::hypot(peak.x - p.x, peak.y - p.y), 0.5) << image.truth.name;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 10) << "too few isolated punctures to test";
}

INSTANTIATE_TEST_SUITE_P(Kinds, EveryKind,
                         ::testing::Values(SceneKind::kSkinTreated, SceneKind::kSkinUntreated,
                                           SceneKind::kSubstrate, SceneKind::kPair),
                         [](const auto& info) {
                           std::string name = SceneKindName(info.param);
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

// The pair's homography is the true camera move: warping BEFORE's noise-free melanin map by
// it reproduces AFTER's (away from the borders).
TEST(PairScene, HomographyMapsBeforeOntoAfter) {
  const auto pair = RenderScene(SceneKind::kPair, 5, Small());
  ASSERT_EQ(pair.size(), 2u);
  const cv::Matx33d h = pair[0].truth.pair->before_to_after;
  EXPECT_EQ(pair[1].truth.pair->before_to_after, h);
  cv::Mat warped;
  cv::warpPerspective(pair[0].melanin, warped, cv::Mat(h), pair[1].melanin.size(), cv::INTER_CUBIC);
  cv::Mat covered;
  cv::warpPerspective(cv::Mat::ones(pair[0].melanin.size(), CV_8U) * 255, covered, cv::Mat(h),
                      pair[1].melanin.size(), cv::INTER_NEAREST);
  cv::erode(covered, covered, cv::Mat::ones(9, 9, CV_8U));
  cv::Mat diff = cv::abs(warped - pair[1].melanin);
  cv::Scalar mean_melanin = cv::mean(pair[1].melanin, covered);
  EXPECT_LT(cv::mean(diff, covered)[0], 0.02 * mean_melanin[0]);
  // A wrong homography (the inverse) does not.
  cv::warpPerspective(pair[0].melanin, warped, cv::Mat(h.inv()), pair[1].melanin.size(), cv::INTER_CUBIC);
  diff = cv::abs(warped - pair[1].melanin);
  EXPECT_GT(cv::mean(diff, covered)[0], 0.04 * mean_melanin[0]);
}

TEST(PairScene, HealingLowersErythemaAndRecordsPersistence) {
  SceneOptions o = Small();
  o.healing_fraction = 0.85;  // punctures keep 5-22 % of their blood: some fade from view
  const auto pair = RenderScene(SceneKind::kPair, 8, o);
  const ErythemaTruth& before = pair[0].truth.erythema;
  const ErythemaTruth& after = pair[1].truth.erythema;
  EXPECT_NEAR(after.delta_hemoglobin_inside, 0.15 * before.delta_hemoglobin_inside,
              0.05 * before.delta_hemoglobin_inside);
  EXPECT_GT(before.a_star_inside, before.a_star_outside);
  const double persistence = pair[1].truth.pair->puncture_persistence;
  EXPECT_GT(persistence, 0.0);
  EXPECT_LT(persistence, 1.0);
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

TEST(SubstrateScene, MissingNeedlesNeverMark) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const SceneImage image = RenderScene(SceneKind::kSubstrate, seed, Small())[0];
    const Pattern& pattern = image.truth.pattern;
    ASSERT_TRUE(pattern.cartridge.has_value());
    const size_t needles = pattern.cartridge->needles.size();
    EXPECT_EQ(image.truth.punctures.size(),
              pattern.stamps.size() * (needles - pattern.missing_needles.size()));
    std::vector<double> faint, normal;  // d' of the holes of faint needles, of the others
    for (const TruthPuncture& p : image.truth.punctures) {
      EXPECT_EQ(std::count(pattern.missing_needles.begin(), pattern.missing_needles.end(), p.needle), 0);
      const bool faint_needle =
          std::count(pattern.faint_needles.begin(), pattern.faint_needles.end(), p.needle) > 0;
      (faint_needle ? faint : normal).push_back(p.d_prime);
    }
    // A faint needle marks with 0.15-0.3 OD of stain against 0.5-1.3: the photo shows it
    // less (not in proportion: a strong hole's red saturates near the bottom of the codes).
    if (!faint.empty()) {
      EXPECT_LT(Median(faint), 0.8 * Median(normal)) << image.truth.name;
    }
  }
}

// The same scene delivered at lower JPEG quality shows its punctures less, never more:
// the ideal observer's d' falls from lossless to quality 95 to 50.
TEST(SkinScenes, VisibilityFallsWithJpegQuality) {
  SceneOptions o = Small();
  o.skin_type = 3;
  auto median_d_prime = [&](FileFormat format, int quality) {
    o.format = format;
    o.jpeg_quality = quality;
    std::vector<double> d;
    // Held in a variable: a range-for over RenderScene(...)[0]'s member would outlive the
    // temporary that owns it (the temporary's lifetime is not extended through operator[]).
    const auto scenes = RenderScene(SceneKind::kSkinTreated, 9, o);
    for (const TruthPuncture& p : scenes[0].truth.punctures) {
      d.push_back(p.d_prime);
    }
    return Median(d);
  };
  const double lossless = median_d_prime(FileFormat::kPng, 90);
  const double q95 = median_d_prime(FileFormat::kJpeg, 95);
  const double q50 = median_d_prime(FileFormat::kJpeg, 50);
  EXPECT_GT(lossless, q95);
  EXPECT_GT(q95, q50);
  EXPECT_GT(q50, 0.3 * lossless);  // and JPEG does not wipe a whole photo out
}

TEST(SceneOptions, ChecksRanges) {
  SceneOptions o;
  EXPECT_EQ(o.Check(), "");
  o.width_px = 100;
  EXPECT_EQ(o.Check(), "synth.width_px = 100: must be in [256, 8192]");
  o = SceneOptions{};
  o.skin_type = 7;
  EXPECT_NE(o.Check().find("synth.skin_type = 7"), std::string::npos);
}

TEST(SkinScenes, SkinTypeDarkensTheImage) {
  SceneOptions o = Small();
  double previous = 1e9;
  for (int type = 1; type <= 6; ++type) {
    o.skin_type = type;
    const double brightness = cv::mean(RenderScene(SceneKind::kSkinUntreated, 3, o)[0].bgr)[1];
    EXPECT_LT(brightness, previous) << "type " << type;
    previous = brightness;
  }
}

}  // namespace
}  // namespace needlescope::synth
