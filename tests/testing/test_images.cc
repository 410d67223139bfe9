#include "testing/test_images.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

namespace needlescope::testing {
namespace {

void PutBe16(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void PutBe32(Bytes& b, std::uint32_t v) {
  PutBe16(b, v >> 16);
  PutBe16(b, v & 0xFFFF);
}
void PutLe16(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void PutLe32(Bytes& b, std::uint32_t v) {
  PutLe16(b, v & 0xFFFF);
  PutLe16(b, v >> 16);
}

void AppendPngChunk(Bytes& png, const char* type, const Bytes& data) {
  Bytes chunk;  // length, type, data, CRC of type + data
  PutBe32(chunk, static_cast<std::uint32_t>(data.size()));
  chunk.insert(chunk.end(), type, type + 4);
  chunk.insert(chunk.end(), data.begin(), data.end());
  PutBe32(chunk, Crc32(chunk.data() + 4, chunk.size() - 4));
  png.insert(png.end(), chunk.begin(), chunk.end());
}

}  // namespace

Bytes PngBomb(std::uint32_t width, std::uint32_t height) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes ihdr;
  PutBe32(ihdr, width);
  PutBe32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB
  AppendPngChunk(png, "IHDR", ihdr);
  AppendPngChunk(png, "IDAT", {0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  AppendPngChunk(png, "IEND", {});
  return png;
}

Bytes Encode(const cv::Mat& image, const std::string& extension, std::vector<int> params) {
  Bytes bytes;
  if (!cv::imencode(extension, image, bytes, params)) {
    throw std::runtime_error("imencode failed for " + extension);
  }
  return bytes;
}

cv::Mat TexturedImage(cv::Size size, std::uint64_t seed) {
  cv::Mat image(size, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(60));
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      image.at<cv::Vec3b>(y, x) += cv::Vec3b(static_cast<std::uint8_t>(120 * x / size.width),
                                             static_cast<std::uint8_t>(120 * y / size.height), 90);
    }
  }
  return image;
}

Bytes ExifOrientationBlock(int value) {
  Bytes tiff = {'M', 'M', 0, 42};
  PutBe32(tiff, 8);       // IFD0 offset
  PutBe16(tiff, 1);       // one entry
  PutBe16(tiff, 0x0112);  // Orientation
  PutBe16(tiff, 3);       // SHORT
  PutBe32(tiff, 1);       // count
  PutBe16(tiff, static_cast<std::uint32_t>(value));
  PutBe16(tiff, 0);       // padding of the 4-byte value field
  PutBe32(tiff, 0);       // no next IFD
  return tiff;
}

Bytes ExifWithDateTimeOriginal(const std::string& when) {
  Bytes b = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0};
  auto u16 = [&](int v) { b.push_back(std::uint8_t(v)), b.push_back(std::uint8_t(v >> 8)); };
  auto u32 = [&](int v) { u16(v & 0xffff), u16(v >> 16); };
  // IFD0 at 8: one entry, ExifIFDPointer (0x8769, LONG) -> 26.
  u16(1), u16(0x8769), u16(4), u32(1), u32(26), u32(0);
  // Sub-IFD at 26: one entry, DateTimeOriginal (0x9003, ASCII, 20) -> 44.
  u16(1), u16(0x9003), u16(2), u32(20), u32(44), u32(0);
  for (char c : when) b.push_back(std::uint8_t(c));
  b.push_back(0);
  return b;
}

Bytes JpegWithOrientation(const Bytes& jpeg, int value) {
  Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
  const Bytes tiff = ExifOrientationBlock(value);
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  return JpegWithApp1(jpeg, payload);
}

Bytes JpegWithApp1(const Bytes& jpeg, const Bytes& payload) {
  Bytes out(jpeg.begin(), jpeg.begin() + 2);  // SOI
  out.push_back(0xFF);
  out.push_back(0xE1);
  PutBe16(out, static_cast<std::uint32_t>(payload.size() + 2));
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

std::uint32_t Crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

Bytes PngWithOrientation(const Bytes& png, int value) {
  const Bytes tiff = ExifOrientationBlock(value);
  Bytes chunk;
  PutBe32(chunk, static_cast<std::uint32_t>(tiff.size()));
  const std::size_t type_at = chunk.size();
  chunk.insert(chunk.end(), {'e', 'X', 'I', 'f'});
  chunk.insert(chunk.end(), tiff.begin(), tiff.end());
  PutBe32(chunk, Crc32(chunk.data() + type_at, chunk.size() - type_at));
  const std::size_t after_ihdr = 8 + 4 + 4 + 13 + 4;
  Bytes out(png.begin(), png.begin() + after_ihdr);
  out.insert(out.end(), chunk.begin(), chunk.end());
  out.insert(out.end(), png.begin() + after_ihdr, png.end());
  return out;
}

Bytes UncompressedTiff(const cv::Mat& bgr, int orientation) {
  const std::uint32_t w = bgr.cols, h = bgr.rows, strip_bytes = w * h * 3;
  struct Entry { std::uint16_t tag, type; std::uint32_t count, value; };
  const std::uint32_t n_entries = 11;
  const std::uint32_t ifd_at = 8, bits_at = ifd_at + 2 + 12 * n_entries + 4, data_at = bits_at + 6;
  const Entry entries[n_entries] = {
      {256, 4, 1, w}, {257, 4, 1, h}, {258, 3, 3, bits_at}, {259, 3, 1, 1} /* no compression */,
      {262, 3, 1, 2} /* RGB */, {273, 4, 1, data_at}, {274, 3, 1, std::uint32_t(orientation)},
      {277, 3, 1, 3}, {278, 4, 1, h}, {279, 4, 1, strip_bytes}, {284, 3, 1, 1} /* chunky */};
  Bytes out = {'I', 'I', 42, 0};
  PutLe32(out, ifd_at);
  PutLe16(out, n_entries);
  for (const Entry& e : entries) {
    PutLe16(out, e.tag);
    PutLe16(out, e.type);
    PutLe32(out, e.count);
    if (e.type == 3 && e.count == 1) {
      PutLe16(out, e.value);
      PutLe16(out, 0);
    } else {
      PutLe32(out, e.value);
    }
  }
  PutLe32(out, 0);  // no next IFD
  for (int i = 0; i < 3; ++i) PutLe16(out, 8);
  for (std::uint32_t y = 0; y < h; ++y) {
    for (std::uint32_t x = 0; x < w; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      out.insert(out.end(), {p[2], p[1], p[0]});
    }
  }
  return out;
}

void WriteBytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

Bytes ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace needlescope::testing
