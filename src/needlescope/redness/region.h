#pragma once

// A user-given region of an image: a polygon (image px, origin at the top-left pixel's
// centre) or a mask (non-zero = inside) of the image's size.

#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::redness {

// A region or measurement the photo cannot support (outside the image, empty, no skin).
// The caller adds the file it concerns.
class RegionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The photo has (almost) no skin: nothing to measure redness on (e.g. a test film).
class NoSkinError : public RegionError {
 public:
  using RegionError::RegionError;
};

// The treated region fills the frame: no untreated skin of the photo is left to measure
// redness against (a close-up of the treated area). A fact about the photo, not a bad
// input: its punctures are still worth counting.
class NoBaselineError : public RegionError {
 public:
  using RegionError::RegionError;
};

struct Region {
  std::vector<cv::Point2d> polygon;  // used when mask is empty
  cv::Mat mask;                      // CV_8U, non-zero = inside
  std::string source;                // e.g. "roi.csv (polygon)"
};

// The region as a CV_8U 0/255 mask of `size`. Throws RegionError when it has no pixel inside
// the image, when a mask's size differs from the image's, or when a polygon has < 3 vertices.
cv::Mat Rasterize(const Region& region, cv::Size size, const std::string& what);

}  // namespace needlescope::redness
