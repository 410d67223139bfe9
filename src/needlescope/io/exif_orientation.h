#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace needlescope {

// Reads the Orientation tag (0x0112) from IFD0 of a TIFF-structured EXIF block (an optional
// "Exif\0\0" prefix is skipped). Returns 1..8; 1 when the block has no Orientation tag;
// 0 when the block is malformed or the tag holds a value outside 1..8.
int ReadExifOrientation(const std::uint8_t* exif, std::size_t size);

// The capture time of a TIFF-structured EXIF block: DateTimeOriginal (0x9003, in the Exif
// sub-IFD), else DateTime (0x0132, IFD0), as written ("YYYY:MM:DD HH:MM:SS"); "" when absent
// or malformed.
std::string ReadExifDateTime(const std::uint8_t* exif, std::size_t size);

// Turns an image as stored into the image as a viewer shows it, for EXIF orientation 1..8
// (EXIF 2.32, tag 0x0112: 1 = as stored, 2 = mirrored, 3 = 180°, 4 = flipped vertically,
// 5 = transposed, 6 = stored rotated 90° counter-clockwise, 7 = transverse, 8 = stored
// rotated 90° clockwise). Values 5–8 swap width and height.
cv::Mat ApplyExifOrientation(const cv::Mat& stored, int orientation);

}  // namespace needlescope
