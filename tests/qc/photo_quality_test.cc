// The QC measurements and flags of a batch audit on planted cases: synthetic photos of every
// skin type that must pass, and the same photos blurred, darkened, burnt out or tinted.

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/qc_flags.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "testing/synth_photos.h"

namespace needlescope::qc {
namespace {

cv::Mat Photo(synth::SceneKind kind, int skin_type, std::uint64_t seed) {
  synth::SceneOptions o = testing::SmallScene();
  o.skin_type = skin_type;
  const synth::SceneImage scene = synth::RenderScene(kind, seed, o)[0];
  return synth::Delivered(scene.bgr, o.format, scene.truth.camera);
}

// The photo with each channel multiplied (B, G, R order), saturating at 255.
cv::Mat Scaled(const cv::Mat& bgr, cv::Scalar gains) {
  cv::Mat out;
  cv::multiply(bgr, gains, out);
  return out;
}

// Flags from the photo alone: an analysis that knows its scale and found the treated region
// (on skin) or a stained substrate, so that neither the scale nor the redness flags apply.
std::vector<std::string> FlagsOfPhoto(const cv::Mat& bgr, bool skin = true) {
  AnalysisResult analysis;
  analysis.detection.target = skin ? detect::Target::kBlood : detect::Target::kStain;
  analysis.detection.mm_per_px = 0.05;
  analysis.redness_maps.emplace().treated_found = true;
  return PhotoFlags(MeasurePhotoQuality(bgr), PooledBlood{}, analysis, QcOptions{});
}

bool Has(const std::vector<std::string>& flags, const std::string& flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

TEST(PhotoQuality, EverySkinTypeAndASubstratePassAsTheyAre) {
  for (int type = 1; type <= 6; ++type) {
    const cv::Mat photo = Photo(synth::SceneKind::kSkinTreated, type, 4100 + type);
    const PhotoQuality q = MeasurePhotoQuality(photo);
    EXPECT_TRUE(FlagsOfPhoto(photo).empty()) << "type " << type << ": sharpness " << q.sharpness << " p99 "
                                             << q.p99_max_channel << " ln R/G " << q.log_red_green
                                             << " ln B/G " << q.log_blue_green;
    // Halving the photo keeps it sharp: the measure is relative to the photo's own scale.
    cv::Mat half;
    cv::resize(photo, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    EXPECT_FALSE(Has(FlagsOfPhoto(half), "blurred")) << "type " << type << " halved";
  }
  const cv::Mat film = Photo(synth::SceneKind::kSubstrate, 2, 4107);
  EXPECT_TRUE(FlagsOfPhoto(film, false).empty());
  // A white film that clips is not overexposed (its stain spots are dark); skin that clips is.
  const cv::Mat bright_film = Scaled(film, cv::Scalar::all(1.5));
  EXPECT_GT(MeasurePhotoQuality(bright_film).clipped_fraction, 0.3);
  EXPECT_TRUE(FlagsOfPhoto(bright_film, false).empty());
  EXPECT_EQ(FlagsOfPhoto(bright_film, true), std::vector<std::string>{"overexposed"});
}

TEST(PhotoQuality, PlantedFaultsAreFlagged) {
  for (int type : {1, 4, 6}) {
    const cv::Mat photo = Photo(synth::SceneKind::kSkinTreated, type, 4200 + type);
    cv::Mat blurred;
    cv::GaussianBlur(photo, blurred, cv::Size(), 3.0);
    EXPECT_TRUE(Has(FlagsOfPhoto(blurred), "blurred")) << type;
    EXPECT_TRUE(Has(FlagsOfPhoto(Scaled(photo, cv::Scalar::all(0.2))), "underexposed")) << type;
    EXPECT_TRUE(Has(FlagsOfPhoto(Scaled(photo, cv::Scalar::all(3.0))), "overexposed")) << type;
    EXPECT_TRUE(Has(FlagsOfPhoto(Scaled(photo, cv::Scalar(1.5, 1.0, 0.7))), "colour_cast")) << type << " blue";
    EXPECT_TRUE(Has(FlagsOfPhoto(Scaled(photo, cv::Scalar(0.8, 1.3, 0.7))), "colour_cast")) << type << " green";
  }
}

TEST(PhotoQuality, PerceptualHashSeesThroughRecompressionButNotAnotherPhoto) {
  const cv::Mat photo = Photo(synth::SceneKind::kSkinTreated, 3, 4301);
  const std::uint64_t hash = MeasurePhotoQuality(photo).perceptual_hash;
  EXPECT_LE(HashDistance(hash, MeasurePhotoQuality(testing::JpegRoundTrip(photo, 60)).perceptual_hash),
            QcOptions{}.near_duplicate_bits);
  for (std::uint64_t seed : {4302, 4303, 4304}) {
    const cv::Mat other = Photo(synth::SceneKind::kSkinTreated, 3, seed);
    EXPECT_GT(HashDistance(hash, MeasurePhotoQuality(other).perceptual_hash), 3 * QcOptions{}.near_duplicate_bits);
  }
  std::uint64_t parsed = 0;
  ASSERT_TRUE(ParseHashHex(HashHex(hash), &parsed));
  EXPECT_EQ(parsed, hash);
  EXPECT_FALSE(ParseHashHex("12345", &parsed));
}

TEST(QcFlags, AnalysisFlagsFollowTheirSections) {
  PhotoQuality fine;
  fine.sharpness = 1;
  fine.p99_max_channel = 200;
  fine.log_red_green = 0.3;
  fine.log_blue_green = -0.2;
  AnalysisResult a;
  a.detection.target = detect::Target::kBlood;  // no scale
  a.pattern.emplace();
  a.pattern->result.gap_fraction = 0.02;
  a.pattern->result.density_in_target = false;
  redness::RednessResult& redness = a.redness_maps.emplace();
  redness.treated_found = true;
  redness.delta_a_star.p50 = 16.0;
  EXPECT_EQ(PhotoFlags(fine, PooledBlood{}, a, QcOptions{}),
            (std::vector<std::string>{"scale_unknown", "density_out_of_protocol", "coverage_gaps", "excess_redness"}));

  a.detection.mm_per_px = 0.05;
  a.pattern->result.gap_fraction = 0.005;
  a.pattern->result.density_in_target = true;
  redness.treated_found = false;
  EXPECT_EQ(PhotoFlags(fine, PooledBlood{}, a, QcOptions{}), std::vector<std::string>{"no_treated_region"});
  // A close-up with no untreated skin in the frame: not "no treated region".
  a.redness_maps.reset();
  a.redness_notes.not_measured = "no untreated skin in the frame";
  a.redness_notes.untreated_skin_in_frame = false;
  EXPECT_TRUE(PhotoFlags(fine, PooledBlood{}, a, QcOptions{}).empty());

  QcOptions bad;
  bad.max_clipped_fraction = 2;
  EXPECT_NE(bad.Check().find("qc.max_clipped_fraction"), std::string::npos);
  EXPECT_EQ(QcOptions{}.Check(), "");
}

}  // namespace
}  // namespace needlescope::qc

#include "needlescope/qc/pooled_blood.h"
#include "needlescope/qc/session_order.h"

namespace needlescope::qc {
namespace {

// A Δhemoglobin map of erythema 0.3 with punctures of 1.0-2.0 on a 12 px grid (r = 2 px).
cv::Mat PuncturedMap(std::vector<Puncture>* punctures) {
  cv::Mat map(400, 400, CV_32F, cv::Scalar(0.3));
  for (int y = 20; y < 380; y += 12) {
    for (int x = 20; x < 380; x += 12) {
      const float level = 1.0f + ((x + y) % 5) * 0.25f;
      cv::circle(map, {x, y}, 2, level, cv::FILLED);
      punctures->push_back({double(x), double(y), 2.0, 1.0, level});
    }
  }
  return map;
}

TEST(PooledBlood, APoolAsDarkAsTheDarkestPuncturesAndWiderThanThemIsFound) {
  std::vector<Puncture> punctures;
  cv::Mat map = PuncturedMap(&punctures);
  const PooledBlood clean = MeasurePooledBlood(map, punctures);
  ASSERT_TRUE(clean.measured);
  EXPECT_FLOAT_EQ(clean.blood_level, 2.0f);
  EXPECT_EQ(clean.largest_area_px, 0);  // punctures alone vanish in the opening
  // Crowded punctures merged into a chain by blur: still not a pool.
  cv::line(map, {20, 200}, {380, 200}, 2.0, 5);
  EXPECT_LT(MeasurePooledBlood(map, punctures).largest_area_px, QcOptions{}.max_pool_punctures * CV_PI * 4);
  cv::circle(map, {150, 250}, 20, 2.5, cv::FILLED);
  const PooledBlood pool = MeasurePooledBlood(map, punctures);
  EXPECT_GT(pool.largest_area_px, QcOptions{}.max_pool_punctures * pool.puncture_area_px);
  EXPECT_NEAR(pool.largest_centre.x, 150, 1.5);
  EXPECT_NEAR(pool.largest_centre.y, 250, 1.5);
  // Too few punctures to know what a needle's blood looks like: not measured.
  EXPECT_FALSE(MeasurePooledBlood(map, std::vector<Puncture>(punctures.begin(), punctures.begin() + 4)).measured);
}

TEST(SessionOrder, ACameraTimeAgainstTheManifestOrderFlagsBothPhotos) {
  const std::vector<SessionPhoto> photos = {
      {"P1", "2026-03-01", "2026:03:01 10:00:00"},  // 0: session 1
      {"P1", "2026-03-08", "2026:02:20 09:00:00"},  // 1: session 2, shot before session 1
      {"P1", "2026-03-15", "2026:03:15 11:00:00"},  // 2: in order
      {"P1", "2026-03-15", "2026:03:15 10:00:00"},  // 3: same session, earlier: fine
      {"P2", "2026-01-01", "2026:03:30 10:00:00"},  // 4: another patient: not compared with P1
      {"P2", "2026-02-01", ""},                     // 5: no camera time
  };
  EXPECT_EQ(OutOfOrderWith(photos), (std::vector<int>{1, 0, -1, -1, -1, -1}));
}

}  // namespace
}  // namespace needlescope::qc

namespace needlescope::qc {
namespace {

// The sharpness measure's first pyramid level, made by strips of rows, is exactly OpenCV's
// pyrDown of the whole green channel as floats: odd and even sizes, strips that end inside
// the photo and at its edge.
TEST(GreenPyramidLevel1, IsPyrDownOfTheWholeGreenChannel) {
  cv::RNG rng(4);
  for (const cv::Size size : {cv::Size(301, 517), cv::Size(640, 256), cv::Size(33, 260), cv::Size(5, 3)}) {
    cv::Mat bgr(size, CV_8UC3);
    rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
    cv::Mat green, expected;
    cv::extractChannel(bgr, green, 1);
    green.convertTo(green, CV_32F);
    cv::pyrDown(green, expected);
    const cv::Mat level1 = GreenPyramidLevel1(bgr);
    ASSERT_EQ(level1.size(), expected.size()) << size;
    EXPECT_EQ(cv::norm(level1, expected, cv::NORM_INF), 0.0) << size;
  }
}

}  // namespace
}  // namespace needlescope::qc
