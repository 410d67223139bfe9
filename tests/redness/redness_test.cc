#include "needlescope/redness/redness.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/color/color_maps.h"
#include "needlescope/pipeline/redness_json.h"
#include "needlescope/synth/camera.h"
#include "needlescope/synth/layers.h"
#include "needlescope/synth/optics.h"
#include "needlescope/synth/scene.h"
#include "needlescope/tiling/thread_control.h"
#include "testing/synth_photos.h"

namespace needlescope::redness {
namespace {

using testing::JpegRoundTrip;

Region PolygonRegion(const std::vector<cv::Point2d>& polygon) {
  Region region;
  region.polygon = polygon;
  region.source = "test polygon";
  return region;
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = double(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Measured Δhemoglobin and Δa* follow the truth across skin types, JPEG qualities and
// patterns (a small subset of the benchmark; the full figures: tools/redness-accuracy.py).
TEST(Redness, TracksTruthAcrossSkinTypesAndQualities) {
  std::vector<double> true_hb, hb, true_a, a;
  for (int k = 0; k < 10; ++k) {
    synth::SceneOptions o = testing::SmallScene();
    o.skin_type = 1 + k % 6;
    o.jpeg_quality = k % 2 ? 75 : 92;
    const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSkinTreated, 300 + k, o)[0];
    RednessOptions options;
    options.roi = PolygonRegion(scene.truth.treated_polygon);
    const RednessResult r = MeasureRedness(JpegRoundTrip(scene.bgr, o.jpeg_quality), options);
    ASSERT_TRUE(r.treated_found);
    true_hb.push_back(scene.truth.erythema.hemoglobin_inside - scene.truth.erythema.hemoglobin_outside);
    hb.push_back(r.delta_hemoglobin.mean);
    true_a.push_back(scene.truth.erythema.a_star_inside - scene.truth.erythema.a_star_outside);
    a.push_back(r.delta_a_star.mean);
  }
  EXPECT_GE(Pearson(true_hb, hb), 0.98);
  EXPECT_GE(Pearson(true_a, a), 0.98);
}

// One scene photographed under neutral light and under a colour cast with +-1 EV and an
// uneven light: Δhemoglobin stays within 5 % of the neutral photo's.
TEST(Redness, DeltaHemoglobinIgnoresWhiteBalanceExposureAndGradient) {
  const cv::Size size(384, 320);
  cv::RNG rng(9);
  synth::ChromophoreMaps maps = testing::PlainSkinMaps(size, /*melanin=*/0.75, rng);
  const std::vector<cv::Point2d> polygon = {{110, 90}, {280, 80}, {300, 230}, {120, 240}};
  cv::Mat erythema;
  cv::GaussianBlur(synth::PolygonCoverage(size, polygon), erythema, cv::Size(), 6.0);
  maps.hemoglobin += 0.3 * erythema;

  const synth::CameraTruth neutral = testing::NeutralCamera();
  RednessOptions options;
  options.roi = PolygonRegion(polygon);
  auto measure = [&](const synth::CameraTruth& camera, const synth::Lighting& light) {
    return MeasureRedness(testing::PhotographMaps(maps, camera, light, /*seed=*/1), options).delta_hemoglobin.mean;
  };
  const double reference = measure(neutral, {});
  ASSERT_GT(reference, 0.1);
  synth::Lighting uneven;
  uneven.gradient_x = 0.3;
  uneven.gradient_y = -0.2;
  uneven.vignetting = 0.25;
  for (double exposure : {0.5, 2.0}) {
    synth::CameraTruth cast = neutral;
    cast.exposure = exposure;
    cast.wb_gain[0] = 0.88;  // blue
    cast.wb_gain[2] = 1.12;  // red
    EXPECT_NEAR(measure(cast, uneven), reference, 0.05 * reference) << "exposure " << exposure;
  }
}

// A grey card photographed under a cast: with --white-patch on it, the card comes out
// neutral (a* = 0) and the cast's gains are recorded; without, the baseline skin is neutral.
TEST(Redness, WhitePatchNeutralisesTheCast) {
  const cv::Size size(320, 240);
  cv::RNG rng(2);
  const synth::ChromophoreMaps maps = testing::PlainSkinMaps(size, /*melanin=*/0.4, rng);
  cv::Mat reflectance = synth::Reflectance(maps, synth::kSkinBaselineOd);
  const cv::Rect card(10, 10, 60, 40);
  reflectance(card).setTo(cv::Scalar(0.4, 0.4, 0.4));  // neutral grey card
  synth::CameraTruth cast;
  cast.wb_gain[0] = 0.85;  // blue
  cast.wb_gain[2] = 1.15;  // red
  cast.noise_read = 0.002;
  cv::RNG noise(1);
  const cv::Mat photo = synth::Photograph(reflectance, cast, {}, noise);

  RednessOptions options;
  options.white_patch = card;
  options.reference = Region{{}, [&] {
                               cv::Mat m(size, CV_8U, cv::Scalar(255));
                               m(card).setTo(0);
                               return m;
                             }(),
                             "all but the card"};
  const RednessResult r = MeasureRedness(photo, options);
  EXPECT_EQ(r.white_balance, "white-patch");
  // The gains undo the cast: red / blue gain ratio = 0.85 / 1.15.
  EXPECT_NEAR(r.white_balance_gains_rgb[0] / r.white_balance_gains_rgb[2], 0.85 / 1.15, 0.02);
  const cv::Mat a_star = color::ComputeAStarMap(photo, r.white_balance_gains_rgb, TilingOptions{});
  EXPECT_NEAR(cv::mean(a_star(card))[0], 0.0, 0.5);
}

TEST(Redness, RefusesUnusableRegionsWithAReason) {
  const cv::Mat skin(200, 200, CV_8UC3, cv::Scalar(140, 160, 200));
  RednessOptions outside;
  outside.roi = PolygonRegion({{300, 300}, {400, 300}, {400, 400}});
  EXPECT_THROW(
      {
        try {
          MeasureRedness(skin, outside);
        } catch (const RegionError& e) {
          EXPECT_NE(std::string(e.what()).find("outside the image"), std::string::npos) << e.what();
          throw;
        }
      },
      RegionError);

  RednessOptions empty;
  empty.roi = Region{{}, cv::Mat::zeros(200, 200, CV_8U), "empty.png (mask)"};
  EXPECT_THROW(MeasureRedness(skin, empty), RegionError);

  RednessOptions wrong_size;
  wrong_size.roi = Region{{}, cv::Mat::ones(100, 100, CV_8U), "small.png (mask)"};
  EXPECT_THROW(MeasureRedness(skin, wrong_size), RegionError);

  const cv::Mat film(200, 200, CV_8UC3, cv::Scalar(230, 225, 200));  // bluish-white: not skin
  EXPECT_THROW(MeasureRedness(film, {}), NoSkinError);
}

TEST(Redness, ATreatedRegionFillingTheFrameLeavesNothingToMeasureAgainst) {
  const cv::Mat skin(200, 200, CV_8UC3, cv::Scalar(140, 160, 200));
  RednessOptions whole;
  whole.roi = PolygonRegion({{0, 0}, {199, 0}, {199, 199}, {0, 199}});
  EXPECT_THROW(MeasureRedness(skin, whole), NoBaselineError);
  // 15 px of margin around a region inset by 20 px leaves a 5 px frame: 3,900 px, enough.
  RednessOptions inset;
  inset.roi = PolygonRegion({{20, 20}, {179, 20}, {179, 179}, {20, 179}});
  EXPECT_NO_THROW(MeasureRedness(skin, inset));
  // A region named by the user as untreated is measured against, whatever the treated one.
  whole.reference = PolygonRegion({{0, 0}, {30, 0}, {30, 30}, {0, 30}});
  EXPECT_TRUE(MeasureRedness(skin, whole).treated_found);
}

TEST(Redness, UntreatedSkinReportsNoRegionAndNoNumbersItCannotHave) {
  synth::SceneOptions o = testing::SmallScene();
  const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSkinUntreated, 4, o)[0];
  const RednessResult r = MeasureRedness(scene.bgr, {});
  EXPECT_FALSE(r.treated_found);
  const auto json = RednessToJson(r);
  EXPECT_TRUE(json["delta_hemoglobin"].is_null());
  EXPECT_TRUE(json["erythema_area_fraction"].is_null());
  EXPECT_TRUE(std::isfinite(json["baseline"]["hemoglobin"].get<double>()));
}

TEST(Redness, ErythemaAreaFractionOfTheBaselineItselfIsAboutFivePercent) {
  synth::SceneOptions o = testing::SmallScene();
  const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSkinUntreated, 6, o)[0];
  RednessOptions options;
  options.roi = Region{{}, cv::Mat(384, 512, CV_8U, cv::Scalar(255)), "whole image"};
  options.reference = options.roi;
  const RednessResult r = MeasureRedness(scene.bgr, options);
  EXPECT_NEAR(r.erythema_area_fraction, 0.05, 0.002);  // by the baseline-p95 rule
  EXPECT_NEAR(r.delta_hemoglobin.mean, 0.0, 1e-9);
}

TEST(Redness, IdenticalForAnyTileSizeAndThreadCount) {
  synth::SceneOptions o = testing::SmallScene();
  const cv::Mat image = synth::RenderScene(synth::SceneKind::kSkinTreated, 5, o)[0].bgr;
  RednessOptions options;
  options.tiling.tile_size_px = 0;
  const std::string whole = RednessToJson(MeasureRedness(image, options)).dump();
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    for (int tile : {64, 200}) {
      options.tiling.tile_size_px = tile;
      EXPECT_EQ(RednessToJson(MeasureRedness(image, options)).dump(), whole) << tile << "/" << threads;
    }
  }
}

}  // namespace
}  // namespace needlescope::redness

namespace needlescope::redness {
namespace {

// The automatic baseline skips the dilation in tiles far from the treated region's edge and
// in tiles it covers densely; it must be exactly the whole image's dilation everywhere: a
// region with holes of every size (a skin mask's dark pores and hair), its edge crossing
// tiles, small islands, for several tilings.
TEST(SkinAwayFrom, IsThePlainDilationOfTheTreatedRegionForAnyTiling) {
  const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(31, 31));
  // The shortcut's premise: the disc holds the square of half-side 10 around its centre.
  EXPECT_EQ(cv::countNonZero(disc(cv::Rect(5, 5, 21, 21))), 21 * 21);
  cv::RNG rng(17);
  cv::Mat skin(700, 900, CV_8U), treated = cv::Mat::zeros(700, 900, CV_8U);
  rng.fill(skin, cv::RNG::UNIFORM, 0, 2);
  skin *= 255;
  cv::ellipse(treated, cv::Point(420, 330), cv::Size(300, 220), 20, 0, 360, cv::Scalar(255), cv::FILLED);
  for (int i = 0; i < 400; ++i) {  // holes of 1-40 px
    const int r = rng.uniform(0, 20);
    cv::circle(treated, cv::Point(rng.uniform(100, 740), rng.uniform(100, 560)), r, cv::Scalar(0), cv::FILLED);
  }
  for (int i = 0; i < 20; ++i) {  // islands
    cv::circle(treated, cv::Point(rng.uniform(0, 900), rng.uniform(0, 700)), rng.uniform(1, 6), cv::Scalar(255),
               cv::FILLED);
  }
  cv::Mat scattered(700, 900, CV_8U);  // a treated region that is only scattered pixels
  rng.fill(scattered, cv::RNG::UNIFORM, 0, 40);
  scattered = (scattered == 0) & treated;
  for (const cv::Mat& region : {treated, scattered}) {
    cv::Mat near, expected;
    cv::dilate(region, near, disc, cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    expected = ~near & skin;
    for (const int tile : {64, 200, 512, 0}) {
      TilingOptions tiling;
      tiling.tile_size_px = tile;
      const cv::Mat away = SkinAwayFrom(skin, region, tiling);
      EXPECT_EQ(cv::norm(away, expected, cv::NORM_INF), 0) << "tile " << tile;
    }
  }
}

}  // namespace
}  // namespace needlescope::redness
