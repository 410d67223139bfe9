#include "needlescope/color/colour_chart.h"

#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/pipeline/analyze.h"
#include "needlescope/qc/photo_quality.h"
#include "testing/colour_chart_image.h"

namespace needlescope::color {
namespace {

const std::string kSamples = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/";
const cv::Point kAt(40, 40);
constexpr int kPatch = 40;

// A sample skin photo with a chart, under a lamp bluer than daylight (red down a fifth, blue
// up 15 %) and JPEG-compressed as a camera would.
cv::Mat PhotoWithChartUnderACast() {
  cv::Mat photo = cv::imread(kSamples + "skin-untreated-105.jpg");
  testing::DrawColorChecker(photo, kAt, kPatch);
  cv::Mat cast;
  cv::multiply(photo, cv::Scalar(1.15, 1.0, 0.8), cast);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", cast, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  return cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

// Mean absolute difference per channel of the patches from their references (8-bit).
double PatchError(const cv::Mat& bgr) {
  double sum = 0;
  for (int i = 0; i < 24; ++i) {
    const cv::Scalar m = cv::mean(bgr(testing::ColorCheckerPatchCore(kAt, kPatch, i)));
    const cv::Vec3b ref = testing::ColorCheckerPatch(i);
    for (int k = 0; k < 3; ++k) sum += std::fabs(m[k] - ref[k]);
  }
  return sum / 72;
}

TEST(ColourChart, FindsTheChartAndItsCorrectionUndoesALampsCast) {
  const cv::Mat photo = PhotoWithChartUnderACast();
  std::string why;
  const auto chart = FindColourChart(photo, ColourChartOptions{}, &why);
  ASSERT_TRUE(chart) << why;
  // Its outline is the card's: each corner within a quarter patch (10 px) of the card's.
  ASSERT_EQ(chart->corners.size(), 4u);
  const int gap = kPatch / 5;
  const cv::Rect card(kAt.x, kAt.y, 6 * kPatch + 7 * gap, 4 * kPatch + 5 * gap);
  for (const cv::Point2f& p : chart->corners) {
    const double to_corner = std::min({cv::norm(p - cv::Point2f(card.tl())), cv::norm(p - cv::Point2f(card.br())),
                                       cv::norm(p - cv::Point2f(card.x + card.width, card.y)),
                                       cv::norm(p - cv::Point2f(card.x, card.y + card.height))});
    EXPECT_LT(to_corner, kPatch / 4) << p;
  }
  EXPECT_LT(chart->loss, 5);

  const double error_before = PatchError(photo);
  // The patches are blanked in the corrected photo: measure the correction on a copy of the
  // photo whose chart is kept, through the same model (the blanking is the last step).
  TilingOptions tiling;
  const cv::Mat corrected = CorrectColour(photo, *chart, tiling);
  EXPECT_EQ(cv::mean(corrected(testing::ColorCheckerPatchCore(kAt, kPatch, 18)))[1], 0.0);  // white patch blanked
  ColourChart keep = *chart;
  keep.corners = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};  // nothing to blank
  const double error_after = PatchError(CorrectColour(photo, keep, tiling));
  EXPECT_GT(error_before, 10);
  EXPECT_LT(error_after, 0.4 * error_before) << error_before << " -> " << error_after;
}

// The analysis measures photo quality beside the chart search, on the photo as it came; when
// a chart corrects the photo, quality is what the corrected photo gives, as every stage's.
TEST(ColourChart, PhotoQualityIsOfTheCorrectedPhoto) {
  LoadedImage image;
  image.bgr = PhotoWithChartUnderACast();
  AnalyzeOptions options;
  options.measure_photo_quality = true;
  const AnalysisResult result = AnalyzeImage(image, options);
  ASSERT_TRUE(result.colour.corrected) << result.colour.reason;
  ASSERT_TRUE(result.photo_quality);
  const qc::PhotoQuality corrected = qc::MeasurePhotoQuality(result.photo);
  const qc::PhotoQuality as_taken = qc::MeasurePhotoQuality(image.bgr);
  EXPECT_EQ(result.photo_quality->log_blue_green, corrected.log_blue_green);
  EXPECT_EQ(result.photo_quality->sharpness, corrected.sharpness);
  EXPECT_NE(result.photo_quality->log_blue_green, as_taken.log_blue_green);  // the lamp's cast is gone
  // Without a chart found, it is the photo's own.
  options.colour.use_chart = false;
  const AnalysisResult plain = AnalyzeImage(image, options);
  ASSERT_FALSE(plain.colour.corrected);
  EXPECT_EQ(plain.photo_quality->log_blue_green, as_taken.log_blue_green);
  EXPECT_EQ(plain.photo_quality->perceptual_hash, as_taken.perceptual_hash);
}

// The correction is per pixel: any tiling gives the same bytes.
TEST(ColourChart, CorrectionIsTheSameForAnyTiling) {
  const cv::Mat photo = PhotoWithChartUnderACast();
  std::string why;
  const auto chart = FindColourChart(photo, ColourChartOptions{}, &why);
  ASSERT_TRUE(chart) << why;
  TilingOptions whole, small;
  whole.tile_size_px = 0;
  small.tile_size_px = 96;
  const cv::Mat a = CorrectColour(photo, *chart, whole), b = CorrectColour(photo, *chart, small);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
}

// No chart is invented on photos without one.
TEST(ColourChart, NoneOnPhotosWithoutAChart) {
  for (const char* name : {"skin-treated-101.jpg", "skin-treated-102.jpg", "skin-untreated-105.jpg", "pair-103-before.jpg",
                           "pair-103-after.jpg", "substrate-104.jpg"}) {
    std::string why;
    EXPECT_FALSE(FindColourChart(cv::imread(kSamples + name), ColourChartOptions{}, &why)) << name;
    EXPECT_EQ(why, "no ColorChecker in the frame") << name;
  }
}

}  // namespace
}  // namespace needlescope::color
