#pragma once

#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace needlescope::qc {

// What the quality-control flags of a batch audit are decided from, measured on the photo
// alone (docs/batch.md, "QC flags").
struct PhotoQuality {
  // Detail at the punctures' scale: mean squared gradient of the photo's green channel at
  // pyramid level 1 (half size) over that at level 2 (quarter size), each in its own pixels.
  // A photo smooth at 2-4 px gives ~0.25 + noise (Gaussian blur of 3 px: 0.36-0.44 on our
  // test photos); a sharp one 0.7-1.3. A ratio of two levels of the same photo, so it does
  // not depend on the photo's content or resolution the way a raw Laplacian variance does.
  double sharpness = 0;
  double p99_max_channel = 0;   // 99th percentile over pixels of max(R, G, B), 0-255
  double dark_fraction = 0;     // pixels whose max(R, G, B) <= 10
  double clipped_fraction = 0;  // pixels with any channel at 255
  // Colour balance: medians over pixels of ln(R/G) and ln(B/G) of the sRGB codes. Ratios, so
  // dark skin reads as far from neutral as pale skin does (CIELAB chroma shrinks with
  // lightness: the same blue cast moved type VI skin only 3.8 units from grey). Skin always
  // has R > G > B (ln R/G 0.1-0.5, ln B/G below 0); a neutral film sits near 0, 0.
  double log_red_green = 0, log_blue_green = 0;
  std::uint64_t perceptual_hash = 0;  // OpenCV img_hash PHash (64 bits, DCT of 32x32 grey)
};

// Measures the photo (8-bit BGR). Deterministic; O(pixels).
PhotoQuality MeasurePhotoQuality(const cv::Mat& bgr);

// cv::pyrDown of the photo's green channel as floats (the sharpness measure's first level),
// computed by strips of rows without the full-size float copy.
cv::Mat GreenPyramidLevel1(const cv::Mat& bgr);

// Bits that differ between two perceptual hashes (0 = same picture as far as PHash sees).
int HashDistance(std::uint64_t a, std::uint64_t b);

// The hash as 16 hex digits, and back (false when `text` is not 16 hex digits).
std::string HashHex(std::uint64_t hash);
bool ParseHashHex(const std::string& text, std::uint64_t* hash);

}  // namespace needlescope::qc
