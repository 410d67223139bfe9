// Arbitrary bytes through the whole loader: header checks, OpenCV's decoders, EXIF
// orientation, conversion to 8-bit BGR. The pixel cap is small so that a fuzz input cannot
// make an honest but slow 250 MP decode; the cap itself is checked before decoding.

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  needlescope::LoadOptions options;
  options.max_megapixels = 1.0;
  options.min_side_px = 1;
  const std::vector<std::uint8_t> bytes(data, data + size);
  try {
    const needlescope::LoadedImage image = needlescope::DecodeImage(bytes, "fuzz-input", options);
    // What every stage after the loader relies on.
    if (image.bgr.empty() || image.bgr.type() != CV_8UC3) std::abort();
    if (image.bgr.total() > 1000000) std::abort();
    if (image.exif_orientation < 1 || image.exif_orientation > 8) std::abort();
  } catch (const needlescope::InputError&) {
  }
  return 0;
}
