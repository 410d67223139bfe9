#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::testing {

using Bytes = std::vector<std::uint8_t>;

// cv::imencode with the extension's codec (".jpg", ".png", ".tif", ".webp"); aborts the
// test on failure.
Bytes Encode(const cv::Mat& image, const std::string& extension, std::vector<int> params = {});

// A seeded textured colour image (smooth gradient plus noise), CV_8UC3.
cv::Mat TexturedImage(cv::Size size, std::uint64_t seed);

// A TIFF-structured EXIF block (big-endian) whose IFD0 holds only Orientation = value.
Bytes ExifOrientationBlock(int value);

// The same JPEG with an APP1 "Exif" segment carrying Orientation = value right after SOI.
Bytes JpegWithOrientation(const Bytes& jpeg, int value);

// An APP1 "Exif" payload (little-endian) whose Exif sub-IFD holds DateTimeOriginal = when
// ("YYYY:MM:DD HH:MM:SS").
Bytes ExifWithDateTimeOriginal(const std::string& when);

// The same JPEG with an APP1 segment carrying `payload` right after SOI.
Bytes JpegWithApp1(const Bytes& jpeg, const Bytes& payload);

// The same PNG with an eXIf chunk carrying Orientation = value right after IHDR.
Bytes PngWithOrientation(const Bytes& png, int value);

// A minimal uncompressed 8-bit RGB TIFF (one strip) with an Orientation tag.
Bytes UncompressedTiff(const cv::Mat& bgr, int orientation);

// A complete, well-formed PNG whose header claims width x height but carries almost no data:
// decoding it would allocate width * height * 3 bytes before failing.
Bytes PngBomb(std::uint32_t width, std::uint32_t height);

// An animated WebP (VP8X with the animation flag, ANIM, one ANMF per frame; each frame
// OpenCV's lossless still of it), all frames the first one's size.
Bytes AnimatedWebp(const std::vector<cv::Mat>& frames);

// PNG chunk CRC (ISO 3309 CRC-32).
std::uint32_t Crc32(const std::uint8_t* data, std::size_t size);

void WriteBytes(const std::string& path, const Bytes& bytes);
Bytes ReadBytes(const std::string& path);

}  // namespace needlescope::testing
