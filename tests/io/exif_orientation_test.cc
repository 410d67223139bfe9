#include "needlescope/io/exif_orientation.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "needlescope/io/image_loader.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::Bytes;

enum Corner { kTopLeft, kTopRight, kBottomRight, kBottomLeft };

// A 96 x 64 stored image, grey, with a red block at its stored top-left corner and a green
// block at its stored top-right corner.
cv::Mat StoredImage() {
  cv::Mat image(64, 96, CV_8UC3, cv::Scalar(128, 128, 128));
  image(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(0, 0, 255));
  image(cv::Rect(80, 0, 16, 16)).setTo(cv::Scalar(0, 255, 0));
  return image;
}

cv::Vec3b ColourNear(const cv::Mat& image, Corner corner) {
  const int x = corner == kTopLeft || corner == kBottomLeft ? 6 : image.cols - 7;
  const int y = corner == kTopLeft || corner == kTopRight ? 6 : image.rows - 7;
  return image.at<cv::Vec3b>(y, x);
}

bool IsRed(cv::Vec3b p) { return p[2] > 200 && p[1] < 60 && p[0] < 60; }
bool IsGreen(cv::Vec3b p) { return p[1] > 200 && p[2] < 60 && p[0] < 60; }

// Where, in the image as shown, the stored first row's two ends land. Derived from the EXIF
// 2.32 definition of tag 0x0112 ("the 0th row is the visual top/bottom/left/right, the 0th
// column is the visual left/right/top/bottom"), not from the code under test.
struct Expected {
  int orientation;
  Corner stored_first_pixel;  // stored (row 0, column 0)
  Corner stored_row0_end;     // stored (row 0, last column)
};
constexpr Expected kExpected[] = {
    {1, kTopLeft, kTopRight},       {2, kTopRight, kTopLeft},   {3, kBottomRight, kBottomLeft},
    {4, kBottomLeft, kBottomRight}, {5, kTopLeft, kBottomLeft}, {6, kTopRight, kBottomRight},
    {7, kBottomRight, kTopRight},   {8, kBottomLeft, kTopLeft},
};

void ExpectShownAsSpecified(const LoadedImage& loaded, const Expected& e) {
  SCOPED_TRACE("orientation " + std::to_string(e.orientation));
  EXPECT_EQ(loaded.exif_orientation, e.orientation);
  EXPECT_EQ(loaded.orientation_applied, e.orientation != 1);
  const bool swaps = e.orientation >= 5;
  EXPECT_EQ(loaded.bgr.cols, swaps ? 64 : 96);
  EXPECT_EQ(loaded.bgr.rows, swaps ? 96 : 64);
  EXPECT_TRUE(IsRed(ColourNear(loaded.bgr, e.stored_first_pixel)));
  EXPECT_TRUE(IsGreen(ColourNear(loaded.bgr, e.stored_row0_end)));
}

TEST(ExifOrientation, JpegAllEightValues) {
  const Bytes jpeg = testing::Encode(StoredImage(), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
  for (const Expected& e : kExpected) {
    ExpectShownAsSpecified(DecodeImage(testing::JpegWithOrientation(jpeg, e.orientation), "j", {}),
                           e);
  }
}

TEST(ExifOrientation, PngAllEightValues) {
  const Bytes png = testing::Encode(StoredImage(), ".png");
  for (const Expected& e : kExpected) {
    ExpectShownAsSpecified(DecodeImage(testing::PngWithOrientation(png, e.orientation), "p", {}),
                           e);
  }
}

TEST(ExifOrientation, TiffAllEightValues) {
  for (const Expected& e : kExpected) {
    ExpectShownAsSpecified(
        DecodeImage(testing::UncompressedTiff(StoredImage(), e.orientation), "t", {}), e);
  }
}

TEST(ExifOrientation, MissingOrInvalidTagMeansAsStored) {
  const Bytes jpeg = testing::Encode(StoredImage(), ".jpg");
  const LoadedImage plain = DecodeImage(jpeg, "j", {});
  EXPECT_EQ(plain.exif_orientation, 1);
  EXPECT_FALSE(plain.orientation_applied);
  EXPECT_TRUE(plain.warnings.empty());

  const LoadedImage invalid = DecodeImage(testing::JpegWithOrientation(jpeg, 9), "j", {});
  EXPECT_EQ(invalid.exif_orientation, 1);
  EXPECT_EQ(invalid.bgr.size(), cv::Size(96, 64));
  ASSERT_EQ(invalid.warnings.size(), 1u);
  EXPECT_NE(invalid.warnings[0].find("orientation"), std::string::npos);
}

TEST(ExifOrientation, ReadsLittleAndBigEndianBlocks) {
  const Bytes big = testing::ExifOrientationBlock(6);
  EXPECT_EQ(ReadExifOrientation(big.data(), big.size()), 6);
  const Bytes little = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3,
                        0,   1,   0,  0, 0, 8, 0, 0, 0, 0, 0,    0,    0};
  EXPECT_EQ(ReadExifOrientation(little.data(), little.size()), 8);
  const Bytes short_block(big.begin(), big.begin() + 12);  // IFD cut before the entry
  EXPECT_EQ(ReadExifOrientation(short_block.data(), short_block.size()), 0);
}

}  // namespace
}  // namespace needlescope

namespace needlescope {
namespace {

using testing::ExifWithDateTimeOriginal;

TEST(ExifDateTime, ReadsDateTimeOriginalFromTheExifSubIfd) {
  const auto exif = ExifWithDateTimeOriginal("2026:03:14 09:26:53");
  EXPECT_EQ(ReadExifDateTime(exif.data(), exif.size()), "2026:03:14 09:26:53");
  EXPECT_EQ(ReadExifDateTime(exif.data(), 30), "");  // cut short: no date, no crash
}

}  // namespace
}  // namespace needlescope
