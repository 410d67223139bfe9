#include "needlescope/io/image_header.h"

#include <gtest/gtest.h>

#include "needlescope/io/input_error.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::Bytes;
using testing::Encode;

std::string HeaderError(const Bytes& bytes) {
  try {
    ParseImageHeader(bytes.data(), bytes.size(), "f");
  } catch (const InputError& e) {
    return e.reason();
  }
  return "";
}

Bytes Cut(const Bytes& bytes, size_t keep) { return Bytes(bytes.begin(), bytes.begin() + keep); }

class HeaderFormats : public ::testing::TestWithParam<std::string> {};

TEST_P(HeaderFormats, ReadsSizeWithoutDecoding) {
  const cv::Mat image = testing::TexturedImage({123, 77}, /*seed=*/1);
  const Bytes bytes = Encode(image, GetParam());
  const ImageHeader header = ParseImageHeader(bytes.data(), bytes.size(), "f");
  EXPECT_EQ(header.width, 123);
  EXPECT_EQ(header.height, 77);
  EXPECT_EQ(std::string(".") + ImageFormatName(header.format),
            GetParam() == ".jpg" ? ".jpeg" : GetParam() == ".tif" ? ".tiff" : GetParam());
}

TEST_P(HeaderFormats, RefusesTruncatedFileAtAnyCut) {
  const Bytes bytes = Encode(testing::TexturedImage({200, 150}, /*seed=*/2), GetParam());
  for (double fraction : {0.2, 0.5, 0.9}) {
    const Bytes cut = Cut(bytes, static_cast<size_t>(bytes.size() * fraction));
    EXPECT_NE(HeaderError(cut).find("truncated"), std::string::npos)
        << GetParam() << " cut at " << fraction << ": " << HeaderError(cut);
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, HeaderFormats, ::testing::Values(".jpg", ".png", ".tif", ".webp"),
                         [](const auto& info) { return info.param.substr(1); });

TEST(ImageHeader, RefusesEmptyAndNonImages) {
  EXPECT_EQ(HeaderError({}), "empty file (0 bytes)");
  const std::string text = "x,y\n1,2\n";
  EXPECT_NE(HeaderError(Bytes(text.begin(), text.end())).find("not an image"), std::string::npos);
  EXPECT_NE(HeaderError({'B', 'M', 0, 0, 0, 0}).find("BMP"), std::string::npos);
}

TEST(ImageHeader, AcceptsJpegWithDataAfterEndMarker) {
  Bytes bytes = Encode(testing::TexturedImage({80, 80}, /*seed=*/3), ".jpg");
  bytes.insert(bytes.end(), {0x00, 0x11, 0x22});  // some cameras append trailers
  EXPECT_EQ(HeaderError(bytes), "");
}

TEST(ImageHeader, FindsExifBlockInJpegAndPng) {
  const cv::Mat image = testing::TexturedImage({80, 64}, /*seed=*/4);
  const Bytes jpeg = testing::JpegWithOrientation(Encode(image, ".jpg"), 6);
  const Bytes png = testing::PngWithOrientation(Encode(image, ".png"), 3);
  const Bytes block = testing::ExifOrientationBlock(6);
  for (const Bytes* bytes : {&jpeg, &png}) {
    const ImageHeader header = ParseImageHeader(bytes->data(), bytes->size(), "f");
    ASSERT_EQ(header.exif_size, block.size());
    EXPECT_EQ(Bytes(bytes->begin() + header.exif_offset,
                    bytes->begin() + header.exif_offset + header.exif_size)[0], 'M');
  }
}

}  // namespace
}  // namespace needlescope
