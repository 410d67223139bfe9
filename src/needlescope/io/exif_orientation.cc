#include "needlescope/io/exif_orientation.h"

#include <cstring>
#include <opencv2/core.hpp>

#include "needlescope/io/byte_reader.h"

namespace needlescope {
namespace {

// Skips an "Exif\0\0" prefix and reads the TIFF header's byte order; false when malformed.
bool OpenTiffBlock(const std::uint8_t*& exif, std::size_t& size, bytes::TiffByteOrder* order) {
  if (size >= 6 && std::memcmp(exif, "Exif\0\0", 6) == 0) {
    exif += 6;
    size -= 6;
  }
  if (size < 8) return false;
  if (exif[0] == 'I' && exif[1] == 'I') {
    order->little_endian = true;
  } else if (exif[0] == 'M' && exif[1] == 'M') {
    order->little_endian = false;
  } else {
    return false;
  }
  return order->U16(exif + 2) == 42;
}

}  // namespace

int ReadExifOrientation(const std::uint8_t* exif, std::size_t size) {
  bytes::TiffByteOrder order;
  if (!OpenTiffBlock(exif, size, &order)) return 0;
  const std::uint64_t ifd = order.U32(exif + 4);
  if (ifd + 2 > size) return 0;
  const std::uint64_t entries = order.U16(exif + ifd);
  if (ifd + 2 + 12 * entries > size) return 0;
  for (std::uint64_t i = 0; i < entries; ++i) {
    const std::uint8_t* entry = exif + ifd + 2 + 12 * i;
    if (order.U16(entry) == 0x0112 && order.U16(entry + 2) == 3 /* SHORT */) {
      const int value = static_cast<int>(order.U16(entry + 8));
      return value >= 1 && value <= 8 ? value : 0;
    }
  }
  return 1;
}

std::string ReadExifDateTime(const std::uint8_t* exif, std::size_t size) {
  bytes::TiffByteOrder order;
  if (!OpenTiffBlock(exif, size, &order)) return "";
  // The value of an ASCII tag of `tag` in the IFD at `ifd`, or "".
  auto ascii = [&](std::uint64_t ifd, std::uint16_t tag) -> std::string {
    if (ifd + 2 > size) return "";
    const std::uint64_t entries = order.U16(exif + ifd);
    if (ifd + 2 + 12 * entries > size) return "";
    for (std::uint64_t i = 0; i < entries; ++i) {
      const std::uint8_t* entry = exif + ifd + 2 + 12 * i;
      if (order.U16(entry) != tag || order.U16(entry + 2) != 2 /* ASCII */) continue;
      const std::uint64_t count = order.U32(entry + 4);
      const std::uint64_t offset =
          count <= 4 ? std::uint64_t(entry + 8 - exif) : order.U32(entry + 8);
      if (count < 19 || offset + count > size) return "";
      return std::string(reinterpret_cast<const char*>(exif + offset), 19);
    }
    return "";
  };
  auto pointer = [&](std::uint64_t ifd, std::uint16_t tag) -> std::uint64_t {
    if (ifd + 2 > size) return 0;
    const std::uint64_t entries = order.U16(exif + ifd);
    if (ifd + 2 + 12 * entries > size) return 0;
    for (std::uint64_t i = 0; i < entries; ++i) {
      const std::uint8_t* entry = exif + ifd + 2 + 12 * i;
      if (order.U16(entry) == tag && order.U16(entry + 2) == 4 /* LONG */)
        return order.U32(entry + 8);
    }
    return 0;
  };
  const std::uint64_t ifd0 = order.U32(exif + 4);
  if (const std::uint64_t sub = pointer(ifd0, 0x8769); sub != 0) {
    if (std::string original = ascii(sub, 0x9003); !original.empty()) return original;
  }
  return ascii(ifd0, 0x0132);
}

cv::Mat ApplyExifOrientation(const cv::Mat& stored, int orientation) {
  cv::Mat shown;
  switch (orientation) {
    case 2:
      cv::flip(stored, shown, /*flipCode=*/1);
      break;
    case 3:
      cv::rotate(stored, shown, cv::ROTATE_180);
      break;
    case 4:
      cv::flip(stored, shown, /*flipCode=*/0);
      break;
    case 5:
      cv::transpose(stored, shown);
      break;
    case 6:
      cv::rotate(stored, shown, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:
      cv::transpose(stored, shown);
      cv::flip(shown, shown, /*flipCode=*/-1);
      break;
    case 8:
      cv::rotate(stored, shown, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      shown = stored;
      break;
  }
  return shown;
}

}  // namespace needlescope
