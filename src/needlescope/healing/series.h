#pragma once

// One treated area over time (docs/compare.md, "Series"): every photo aligned to the first,
// redness (against each photo's own untreated skin) and punctures per time point, and an
// exponential recovery fit. Photos are added one at a time, so that only the first and the
// current one are in memory; the library reads no file (the caller decodes and dates them).

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/healing/compare_pair.h"
#include "needlescope/healing/recovery_fit.h"

namespace needlescope::healing {

// Measured against untreated skin (the excess and the resolution) or, without any in the
// first photo, against the first photo (the change since it): the others stay absent.
struct TimePoint {
  std::string path;  // as given, for the record
  double day = 0;    // since the first photo
  std::optional<double> excess_hemoglobin, excess_a_star;
  std::optional<double> hemoglobin_change, a_star_change;  // since the first photo
  size_t punctures = 0;
  std::optional<double> redness_resolution;
  double pixels = 0;  // the photo's area, px (for densities per cm²)
};

// What is plotted and fitted: the excess over untreated skin, or the redness lost since the
// first photo.
double Followed(const TimePoint& point);

struct SeriesResult {
  bool against_first = false;    // no untreated skin in the first photo
  std::string against_first_why;  // then: why (the first photo's baseline source)
  std::vector<TimePoint> points;  // the first photo and every later one that could be compared
  std::optional<RecoveryFit> fit;
  std::string fit_note;  // why there is no fit, or ""
};

// The fitted curve's value at `day` (requires series.fit): a e^(-kt), or a (1 - e^(-kt))
// when followed against the first photo.
double FittedAt(const SeriesResult& series, double day);

class Series {
 public:
  // Measures the first photo once (every later photo is compared to it). Throws
  // redness::RegionError when it has no treated region.
  Series(const std::string& first_path, const cv::Mat& first_bgr, const CompareOptions& options);

  // Aligns a later photo to the first and measures it. Throws registration::RegistrationError
  // when it cannot be aligned, redness::RegionError when the carried region is unusable; the
  // series is then unchanged. Returns the alignment (for progress lines).
  registration::Registration Add(const std::string& path, const cv::Mat& bgr, double day);

  // The points so far and the recovery fit over them.
  SeriesResult Finish() const;

 private:
  cv::Mat first_;
  CompareOptions options_;
  Reference reference_;
  SeriesResult result_;
};

}  // namespace needlescope::healing
