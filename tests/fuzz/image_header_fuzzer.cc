// Arbitrary bytes through the container parser and the EXIF readers, without decoding.
// A reader may refuse (InputError); it may not crash, read outside the buffer, or report an
// EXIF block or an orientation value that lies outside it.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "needlescope/io/exif_orientation.h"
#include "needlescope/io/image_header.h"
#include "needlescope/io/input_error.h"

namespace {

void CheckExifReaders(const std::uint8_t* exif, std::size_t size) {
  const int orientation = needlescope::ReadExifOrientation(exif, size);
  if (orientation < 0 || orientation > 8) std::abort();
  const std::string when = needlescope::ReadExifDateTime(exif, size);
  if (when.size() > size) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CheckExifReaders(data, size);  // the bytes as an EXIF block of their own
  try {
    const needlescope::ImageHeader header = needlescope::ParseImageHeader(data, size, "fuzz-input");
    if (header.width <= 0 || header.height <= 0) std::abort();
    if (header.exif_size > 0) {
      if (header.exif_offset > size || header.exif_size > size - header.exif_offset) std::abort();
      CheckExifReaders(data + header.exif_offset, header.exif_size);
    }
    if (header.tiff_orientation_value_offset != 0 && header.tiff_orientation_value_offset + 2 > size) {
      std::abort();
    }
  } catch (const needlescope::InputError&) {
    // a refusal with a reason is the right answer to bytes that are not an image
  }
  return 0;
}
