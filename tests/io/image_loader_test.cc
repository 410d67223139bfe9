#include "needlescope/io/image_loader.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::Bytes;
using testing::Encode;

// The reason DecodeImage gives for refusing `bytes`, or "" when it accepts them.
std::string Refusal(const Bytes& bytes, const LoadOptions& options = {}) {
  try {
    DecodeImage(bytes, "img", options);
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), "img");
    return e.reason();
  }
  return "";
}

using testing::PngBomb;

size_t FindMarker(const Bytes& jpeg, std::uint8_t marker) {
  for (size_t i = 2; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
  }
  return jpeg.size();
}

TEST(ImageLoader, RefusesMissingFileAndDirectory) {
  testing::TempDir dir;
  try {
    LoadImage(dir.File("nope.jpg"), {});
    FAIL() << "missing file accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), dir.File("nope.jpg"));
    EXPECT_EQ(e.reason(), "no such file");
  }
  EXPECT_THROW(LoadImage(dir.path(), {}), InputError);
}

TEST(ImageLoader, RefusesEmptyFileAndNonImage) {
  EXPECT_EQ(Refusal({}), "empty file (0 bytes)");
  const std::string text = "this is not an image\n";
  EXPECT_EQ(Refusal(Bytes(text.begin(), text.end())),
            "not an image: no JPEG, PNG, TIFF or WebP signature");
}

TEST(ImageLoader, RefusesTruncatedJpegThatOpenCvWouldAccept) {
  const Bytes jpeg = Encode(testing::TexturedImage({256, 256}, /*seed=*/5), ".jpg");
  const Bytes cut(jpeg.begin(), jpeg.begin() + jpeg.size() * 3 / 4);
  EXPECT_FALSE(cv::imdecode(cut, cv::IMREAD_COLOR).empty()) << "premise: OpenCV decodes it";
  EXPECT_EQ(Refusal(cut), "truncated JPEG: no end-of-image marker (file cut short?)");
}

TEST(ImageLoader, RefusesCorruptJpegAndPng) {
  Bytes jpeg = Encode(testing::TexturedImage({128, 128}, /*seed=*/6), ".jpg");
  const size_t dht = FindMarker(jpeg, 0xC4);
  ASSERT_LT(dht, jpeg.size());
  for (int i = 0; i < 16; ++i) jpeg[dht + 5 + i] = 0xFF;  // code counts summing past 256
  EXPECT_NE(Refusal(jpeg).find("corrupt image data"), std::string::npos) << Refusal(jpeg);

  Bytes png = Encode(testing::TexturedImage({128, 128}, /*seed=*/6), ".png");
  png[png.size() / 2] ^= 0x5A;  // inside IDAT: its CRC no longer matches
  EXPECT_NE(Refusal(png).find("corrupt image data"), std::string::npos) << Refusal(png);
}

TEST(ImageLoader, RefusesJpegWithDamagedScanData) {
  Bytes jpeg = Encode(testing::TexturedImage({256, 256}, /*seed=*/6), ".jpg");
  const size_t sos = FindMarker(jpeg, 0xDA);
  ASSERT_LT(sos + 400, jpeg.size());
  jpeg[sos + 300] = 0xFF;  // a bogus marker inside entropy-coded data
  jpeg[sos + 301] = 0xD3;
  EXPECT_FALSE(cv::imdecode(jpeg, cv::IMREAD_COLOR).empty()) << "premise: OpenCV decodes it";
  EXPECT_EQ(Refusal(jpeg).rfind("corrupt image data: Corrupt JPEG data", 0), 0u) << Refusal(jpeg);
}

TEST(ImageLoader, RefusesImagesUnder64PxOnASide) {
  EXPECT_EQ(Refusal(Encode(testing::TexturedImage({63, 200}, /*seed=*/7), ".png")),
            "image is 63x200 px, smaller than 64 px on a side");
  EXPECT_EQ(Refusal(Encode(testing::TexturedImage({64, 64}, /*seed=*/7), ".png")), "");
}

TEST(ImageLoader, RefusesDecompressionBombFromHeaderAlone) {
  // 30000 x 30000 = 900 MP: 2.7 GB if decoded. Refused from the header in microseconds.
  EXPECT_EQ(Refusal(PngBomb(30000, 30000)),
            "image is 30000x30000 px (900 MP), over the 250 MP limit (--max-megapixels)");

  Bytes jpeg = Encode(testing::TexturedImage({100, 100}, /*seed=*/8), ".jpg");
  const size_t sof = FindMarker(jpeg, 0xC0);
  ASSERT_LT(sof, jpeg.size());
  for (size_t at : {sof + 5, sof + 7}) jpeg[at] = 0xEA, jpeg[at + 1] = 0x60;  // 60000 px
  EXPECT_EQ(Refusal(jpeg),
            "image is 60000x60000 px (3600 MP), over the 250 MP limit (--max-megapixels)");
}

TEST(ImageLoader, HonoursMaxMegapixels) {
  const Bytes png = Encode(testing::TexturedImage({400, 300}, /*seed=*/9), ".png");
  LoadOptions options;
  options.max_megapixels = 0.1;
  EXPECT_NE(Refusal(png, options).find("over the 0.1 MP limit"), std::string::npos);
  options.max_megapixels = 0.12;
  EXPECT_EQ(Refusal(png, options), "");
}

TEST(ImageLoader, ChecksOptions) {
  LoadOptions options;
  EXPECT_EQ(options.Check(), "");
  options.max_megapixels = -1;
  EXPECT_EQ(options.Check(), "load.max_megapixels = -1: must be in (0, 1000]");
}

TEST(ImageLoader, RecordsFileFactsAndSha256) {
  const cv::Mat image = testing::TexturedImage({100, 80}, /*seed=*/10);
  const Bytes png = Encode(image, ".png");
  const LoadedImage loaded = DecodeImage(png, "a.png", {});
  EXPECT_EQ(loaded.format, "png");
  EXPECT_EQ(loaded.sha256, Sha256Hex(png.data(), png.size()));
  EXPECT_EQ(loaded.file_bytes, png.size());
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_EQ(cv::norm(loaded.bgr, image, cv::NORM_INF), 0.0);  // PNG is lossless
}

TEST(ImageLoader, ExpandsGreyWithAWarning) {
  cv::Mat grey;
  cv::cvtColor(testing::TexturedImage({90, 70}, /*seed=*/11), grey, cv::COLOR_BGR2GRAY);
  const LoadedImage loaded = DecodeImage(Encode(grey, ".png"), "g.png", {});
  ASSERT_EQ(loaded.bgr.type(), CV_8UC3);
  std::vector<cv::Mat> channels;
  cv::split(loaded.bgr, channels);
  for (const cv::Mat& c : channels) EXPECT_EQ(cv::norm(c, grey, cv::NORM_INF), 0.0);
  EXPECT_EQ(loaded.source_channels, 1);
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("greyscale"), std::string::npos);
}

TEST(ImageLoader, DropsAlphaWithAWarning) {
  const cv::Mat bgr = testing::TexturedImage({90, 70}, /*seed=*/12);
  cv::Mat bgra;
  cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
  bgra.forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) { p[3] = 17; });  // mostly transparent
  const LoadedImage loaded = DecodeImage(Encode(bgra, ".png"), "a.png", {});
  EXPECT_EQ(cv::norm(loaded.bgr, bgr, cv::NORM_INF), 0.0);
  EXPECT_EQ(loaded.source_channels, 4);
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("alpha channel dropped"), std::string::npos);
}

TEST(ImageLoader, Scales16BitTo8BitWithAWarning) {
  cv::Mat wide(70, 90, CV_16UC3, cv::Scalar(65535, 32896, 0));
  for (const std::string ext : {".png", ".tif"}) {
    const LoadedImage loaded = DecodeImage(Encode(wide, ext), "w" + ext, {});
    EXPECT_EQ(loaded.source_bit_depth, 16);
    EXPECT_EQ(loaded.bgr.at<cv::Vec3b>(10, 10), cv::Vec3b(255, 128, 0)) << ext;
    ASSERT_EQ(loaded.warnings.size(), 1u);
    EXPECT_NE(loaded.warnings[0].find("16-bit"), std::string::npos);
  }
}

TEST(ImageLoader, DecodesEveryAdvertisedFormat) {
  const cv::Mat image = testing::TexturedImage({160, 120}, /*seed=*/13);
  for (const std::string ext : {".jpg", ".png", ".tif", ".webp"}) {
    const LoadedImage loaded = DecodeImage(Encode(image, ext), "x" + ext, {});
    EXPECT_EQ(loaded.bgr.size(), image.size()) << ext;
    EXPECT_TRUE(loaded.warnings.empty()) << ext;
    // Lossless codecs are exact; lossy ones (noisy texture, default quality) stay within a
    // small fraction of the 8-bit range, far from a misdecoded image (RMS ~ 100).
    const double rms = cv::norm(loaded.bgr, image, cv::NORM_L2) / std::sqrt(image.total() * 3.0);
    EXPECT_LT(rms, ext == ".png" || ext == ".tif" ? 1e-9 : 20.0) << ext;
  }
}

// A CMYK JPEG as Photoshop writes one (Adobe marker, inverted samples), by libjpeg: here
// (R, G, B, 255), i.e. C = 255 - R ... and no black.
Bytes CmykJpeg(const cv::Mat& bgr) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = JDIMENSION(bgr.cols);
  cinfo.image_height = JDIMENSION(bgr.rows);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<unsigned char> row(size_t(bgr.cols) * 4);
  while (cinfo.next_scanline < cinfo.image_height) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(int(cinfo.next_scanline));
    for (int x = 0; x < bgr.cols; ++x) {
      row[size_t(4 * x)] = p[x][2];
      row[size_t(4 * x + 1)] = p[x][1];
      row[size_t(4 * x + 2)] = p[x][0];
      row[size_t(4 * x + 3)] = 255;
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  Bytes out(buffer, buffer + size);
  std::free(buffer);
  return out;
}

// A CMYK JPEG is read as the colours it shows (OpenCV converts it to BGR), not as BGRA.
TEST(ImageLoader, ReadsACmykJpegAsItsColours) {
  const cv::Mat photo = testing::TexturedImage({160, 120}, 21);
  const LoadedImage image = DecodeImage(CmykJpeg(photo), "cmyk.jpg", LoadOptions{});
  ASSERT_EQ(image.bgr.size(), photo.size());
  cv::Mat diff;
  cv::absdiff(image.bgr, photo, diff);
  const cv::Scalar mean = cv::mean(diff);
  for (int c = 0; c < 3; ++c) EXPECT_LT(mean[c], 3.0) << "channel " << c;
}

// Found by tests/fuzz (image_loader): a damaged WebP that OpenCV's WebP decoder turns down
// is handed to its DICOM decoder ("DICM" at byte 128), which allocated 4 GB. Refused before
// any decoder sees it.
TEST(ImageLoader, RefusesAFileThatOpenCvWouldDecodeAsDicom) {
  const Bytes bytes = testing::ReadBytes(std::string(NEEDLESCOPE_SOURCE_DIR) +
                                         "/tests/fuzz/corpus/image_loader/crash-webp-with-dicom-signature");
  ASSERT_EQ(bytes.size(), 382u);
  LoadOptions options;
  options.min_side_px = 1;
  EXPECT_EQ(Refusal(bytes, options),
            "corrupt webp: it also carries a DICOM signature (byte 128), which OpenCV would decode instead");
}

}  // namespace
}  // namespace needlescope
