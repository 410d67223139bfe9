#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope {

struct LoadOptions {
  double max_megapixels = 250.0;  // MP, (0, 1000]: larger images are refused before decoding
  int min_side_px = 64;           // px, >= 1: smaller images are refused

  // Empty when valid, else "load.<field> = <value>: <rule>".
  std::string Check() const;
};

// An image ready for analysis: 8-bit BGR, oriented as a viewer shows it.
struct LoadedImage {
  cv::Mat bgr;                   // CV_8UC3, oriented; x right, y down, origin at pixel centre
  std::string path;
  std::string format;            // "jpeg", "png", "tiff", "webp"
  std::string sha256;            // of the file's bytes
  std::uint64_t file_bytes = 0;
  int stored_width = 0;          // px, before orientation
  int stored_height = 0;
  int exif_orientation = 1;      // 1..8, 1 when the file has none
  bool orientation_applied = false;  // true when exif_orientation != 1 was applied
  std::string exif_datetime;     // "YYYY:MM:DD HH:MM:SS" (DateTimeOriginal, else DateTime), or ""
  int source_bit_depth = 8;      // 8 or 16
  int source_channels = 3;       // 1, 2 (grey + alpha), 3 or 4
  std::vector<std::string> warnings;  // every conversion made, in words
};

// Decodes an encoded image held in memory. `path` only names the source in messages.
// Throws InputError(path, reason) for: zero bytes, not an image, unsupported format,
// truncated or corrupt data, a side under min_side_px, or more than max_megapixels (checked
// from the header, before any pixel is allocated, so a decompression bomb costs nothing).
LoadedImage DecodeImage(const std::vector<std::uint8_t>& bytes, const std::string& path,
                        const LoadOptions& options);

// ReadFileBytes + DecodeImage.
LoadedImage LoadImage(const std::string& path, const LoadOptions& options);

}  // namespace needlescope
