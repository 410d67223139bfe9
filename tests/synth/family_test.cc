#include "needlescope/synth/family.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"
#include "testing/synth_photos.h"

namespace needlescope::synth {
namespace {

SceneOptions Family(Family family) {
  SceneOptions o = testing::SmallScene();
  o.family = family;
  o.skin_type = 3;
  return o;
}

// The chroma sampling factors (h, v) of a baseline JPEG's components, from its SOF0 marker.
std::vector<std::pair<int, int>> SamplingFactors(const std::vector<std::uint8_t>& jpeg) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      const int components = jpeg[i + 9];
      std::vector<std::pair<int, int>> f;
      for (int c = 0; c < components; ++c) {
        const std::uint8_t hv = jpeg[i + 11 + 3 * size_t(c)];
        f.emplace_back(hv >> 4, hv & 15);
      }
      return f;
    }
  }
  return {};
}

TEST(RendererFamily, EachFamilyIsDeterministicAndDifferent) {
  for (synth::Family f : {Family::kA, Family::kB, Family::kC}) {
    const auto one = RenderScene(SceneKind::kSkinTreated, 3, Family(f));
    const auto two = RenderScene(SceneKind::kSkinTreated, 3, Family(f));
    EXPECT_EQ(cv::norm(one[0].bgr, two[0].bgr, cv::NORM_INF), 0) << FamilyName(f);
    EXPECT_EQ(TruthToJson(one[0].truth, "x"), TruthToJson(two[0].truth, "x"));
    EXPECT_EQ(one[0].truth.family, f);
  }
  const cv::Mat a = RenderScene(SceneKind::kSkinTreated, 3, Family(Family::kA))[0].bgr;
  const cv::Mat b = RenderScene(SceneKind::kSkinTreated, 3, Family(Family::kB))[0].bgr;
  const cv::Mat c = RenderScene(SceneKind::kSkinTreated, 3, Family(Family::kC))[0].bgr;
  EXPECT_GT(cv::norm(a, b, cv::NORM_L1) / a.total(), 5.0);
  EXPECT_GT(cv::norm(a, c, cv::NORM_L1) / a.total(), 5.0);
}

// Each family's camera: A a Gaussian lens and 4:2:0 JPEG; B a defocus disc, a Bayer sensor,
// 4:4:4 JPEG and a flash; C motion blur, a photo saved twice and cross-polarised light (no
// glints).
TEST(RendererFamily, CamerasAreWhatTheFamilySays) {
  const SceneTruth a = RenderScene(SceneKind::kSkinTreated, 4, Family(Family::kA))[0].truth;
  const SceneImage b = RenderScene(SceneKind::kSkinTreated, 4, Family(Family::kB))[0];
  const SceneImage c = RenderScene(SceneKind::kSkinTreated, 4, Family(Family::kC))[0];
  EXPECT_EQ(a.camera.lens, "gaussian");
  EXPECT_EQ(b.truth.camera.lens, "defocus");
  EXPECT_GT(b.truth.camera.defocus_radius_px, 0.7);
  EXPECT_TRUE(b.truth.camera.bayer);
  EXPECT_EQ(b.truth.camera.lighting, "flash");
  EXPECT_EQ(c.truth.camera.lens, "motion");
  EXPECT_GT(c.truth.camera.jpeg_first_quality, 0);
  EXPECT_EQ(c.truth.confounders.glints, 0);

  const auto subsampled = SamplingFactors(EncodeDelivered(b.bgr, FileFormat::kJpeg, a.camera));
  ASSERT_EQ(subsampled.size(), 3u);
  EXPECT_EQ(subsampled[0], std::make_pair(2, 2));  // luma 2 x 2: chroma at half resolution
  const auto full = SamplingFactors(EncodeDelivered(b.bgr, FileFormat::kJpeg, b.truth.camera));
  ASSERT_EQ(full.size(), 3u);
  for (const auto& f : full) EXPECT_EQ(f, std::make_pair(1, 1));
  // Saved twice is not the same file as saved once at the final quality.
  CameraTruth once = c.truth.camera;
  once.jpeg_first_quality = 0;
  EXPECT_NE(EncodeDelivered(c.bgr, FileFormat::kJpeg, once), EncodeDelivered(c.bgr, FileFormat::kJpeg, c.truth.camera));
}

// Family A is the renderer as it was: its stream of random numbers is unchanged by the
// families' additions (values of seed 1 at 512 x 384 as the build before families, commit
// 947dfad plus the d' rule, rendered them on 2026-12-04).
TEST(RendererFamily, FamilyADrawsWhatTheRendererDrewBefore) {
  SceneOptions o = testing::SmallScene();
  const SceneImage image = RenderScene(SceneKind::kSkinTreated, 1, o)[0];
  EXPECT_EQ(cv::sum(image.bgr)[0] + cv::sum(image.bgr)[1] + cv::sum(image.bgr)[2], 42756718.0);
  EXPECT_EQ(image.bgr.at<cv::Vec3b>(100, 200), cv::Vec3b(39, 35, 98));
  ASSERT_EQ(image.truth.punctures.size(), 897u);
  EXPECT_DOUBLE_EQ(image.truth.camera.exposure, 0.96267220056077873);
  EXPECT_DOUBLE_EQ(image.truth.punctures[0].x, 453.93729105732842);
  EXPECT_EQ(image.truth.family, Family::kA);
  EXPECT_EQ(image.truth.camera.lens, "gaussian");
  EXPECT_FALSE(image.truth.camera.bayer);
  EXPECT_EQ(image.truth.camera.jpeg_first_quality, 0);
}

}  // namespace
}  // namespace needlescope::synth
