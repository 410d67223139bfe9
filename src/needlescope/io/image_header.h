#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace needlescope {

enum class ImageFormat { kJpeg, kPng, kTiff, kWebp };
const char* ImageFormatName(ImageFormat format);

// What the container says about an encoded image, read without decoding any pixels.
struct ImageHeader {
  ImageFormat format = ImageFormat::kJpeg;
  int width = 0;   // px, as stored (before EXIF orientation)
  int height = 0;  // px, as stored
  // The TIFF-structured EXIF block inside the file (JPEG APP1, PNG eXIf, WebP EXIF, or the
  // TIFF file itself); exif_size == 0 when there is none.
  std::size_t exif_offset = 0;
  std::size_t exif_size = 0;
  // TIFF only: where the Orientation tag's 16-bit value sits (0 = no tag). OpenCV's TIFF
  // decoder applies some orientations itself (depending on bit depth), so the loader sets
  // this value to 1 before decoding and applies the orientation itself, as for every format.
  std::size_t tiff_orientation_value_offset = 0;
};

// Identifies the format from its signature, reads the stored size, and walks the container
// far enough to know the file is complete: a JPEG must reach its end-of-image marker after
// the first scan, a PNG its IEND chunk, a TIFF's strips or tiles must lie inside the file,
// a WebP's RIFF size must fit. OpenCV decodes a truncated JPEG with only a warning, so this
// is where truncation is caught. Throws InputError(path, reason) for anything else.
ImageHeader ParseImageHeader(const std::uint8_t* data, std::size_t size, const std::string& path);

}  // namespace needlescope
