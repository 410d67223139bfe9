#include "needlescope/register/registration.h"

#include <gtest/gtest.h>

#include "needlescope/synth/scene.h"
#include "testing/synth_photos.h"

namespace needlescope::registration {
namespace {

// RMS distance, over BEFORE's punctures that land inside AFTER, between where the estimated
// and the true homography put them.
double TruthRmse(const cv::Matx33d& estimated,
                 const synth::SceneImage& before,
                 const synth::SceneImage& after) {
  const cv::Matx33d truth = before.truth.pair->before_to_after;
  double ss = 0;
  int n = 0;
  for (const auto& p : before.truth.punctures) {
    const cv::Vec3d t = truth * cv::Vec3d(p.x, p.y, 1), e = estimated * cv::Vec3d(p.x, p.y, 1);
    const cv::Point2d tp(t[0] / t[2], t[1] / t[2]), ep(e[0] / e[2], e[1] / e[2]);
    if (tp.x < 0 || tp.y < 0 || tp.x > after.bgr.cols - 1 || tp.y > after.bgr.rows - 1) continue;
    ss += std::pow(cv::norm(tp - ep), 2);
    ++n;
  }
  return n ? std::sqrt(ss / n) : 1e9;
}

TEST(Registration, AlignsSyntheticPairsToUnderAPixel) {
  RegisterOptions options;
  options.vectors = testing::SynthCameraVectors();
  for (std::uint64_t seed : {41, 42, 43}) {
    synth::SceneOptions o = testing::SmallScene();
    o.width_px = 768;
    o.height_px = 576;
    o.skin_type = int(seed % 6) + 1;
    const auto pair = synth::RenderScene(synth::SceneKind::kPair, seed, o);
    const cv::Mat before = testing::JpegRoundTrip(pair[0].bgr, 85),
                  after = testing::JpegRoundTrip(pair[1].bgr, 85);
    const Registration r = RegisterPair(before, after, options);
    EXPECT_LT(TruthRmse(r.homography, pair[0], pair[1]), 1.0) << seed << " " << r.method;
    EXPECT_GE(r.inliers, options.min_inliers);
    EXPECT_LT(r.rmse_px, 2.0);
  }
}

TEST(Registration, RefusesPhotosOfDifferentPlaces) {
  RegisterOptions options;
  options.vectors = testing::SynthCameraVectors();
  synth::SceneOptions o = testing::SmallScene();
  const auto a = synth::RenderScene(synth::SceneKind::kPair, 51, o);
  const auto b = synth::RenderScene(synth::SceneKind::kPair, 52, o);
  EXPECT_THROW(RegisterPair(testing::JpegRoundTrip(a[0].bgr, 85),
                            testing::JpegRoundTrip(b[1].bgr, 85), options),
               RegistrationError);
}

}  // namespace
}  // namespace needlescope::registration
