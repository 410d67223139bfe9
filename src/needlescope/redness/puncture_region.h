#pragma once

// The treated region from where the needles went: the area the detected punctures cover
// (docs/redness.md, "Treated region"). Punctures are the treatment itself, so where enough
// of them are found their spread is a better outline than raised hemoglobin, which fails
// on dark skin and under faint erythema (tune set: IoU >= 0.8 with the truth on 48 of 48
// photos against 38 of 48 for the hemoglobin estimate).

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/candidate.h"
#include "needlescope/redness/redness.h"

namespace needlescope::redness {

struct PunctureRegionOptions {
  int min_punctures = 30;            // fewer: no region from punctures, >= 3
  double bandwidth_spacings = 2.5;   // density smoothing, in median nearest-neighbour distances, > 0
  double level_fraction = 0.5;       // inside: density >= this x the median density at the punctures, (0, 1)
  double min_area_fraction = 0.02;   // accepted when the region covers this share of the image,
  double max_area_fraction = 0.90;   // up to this
  // The points that outline the area: candidates a classifier scored at least this, in
  // [0, 1]; unset: the accepted punctures. The region wants where the needles went, not a
  // count: a looser score finds more of a dense field the decision is unsure of (dark skin
  // of another camera) at the cost of a few clutter points, which the density level drops.
  std::optional<double> min_candidate_score;

  std::string Check() const;
};

// RegionPoints: the candidates with score >= options.min_candidate_score when it is set and
// a classifier scored them (`classifier_scored`), else the accepted ones.
std::vector<cv::Point2d> RegionPoints(const std::vector<detect::Candidate>& candidates, bool classifier_scored,
                                      const PunctureRegionOptions& options);

struct PunctureRegion {
  cv::Mat mask;           // CV_8U 0/255 of the image's size; empty when none
  double spacing_px = 0;  // median nearest-neighbour distance of the punctures
  double area_fraction = 0;
  std::string reason;     // why there is none, or how it was made
};

// Punctures in px of the image. Their density, counted on a grid 4 times coarser and
// smoothed with a Gaussian of bandwidth_spacings x spacing, thresholded at level_fraction of
// its median at the punctures; the largest connected part with its holes (untreated gaps
// inside the area) filled, brought back to full size. Deterministic.
PunctureRegion TreatedRegionFromPunctures(const std::vector<cv::Point2d>& punctures, cv::Size size,
                                          const PunctureRegionOptions& options);

// Every cue together, when no treated region was given: `measured` is redness as
// MeasureRedness estimated it (from raised hemoglobin). Where the punctures give a region
// and redness found none, or one that overlaps it by less than min_agreement (IoU over skin),
// redness is measured again over the punctures' region; else `measured` stands. Either way
// `cue` says which region was used and why.
inline constexpr double kMinRegionAgreement = 0.8;
RednessResult WithPunctureRegion(const cv::Mat& bgr, const RednessOptions& options, RednessResult measured,
                                 const std::vector<cv::Point2d>& punctures,
                                 const PunctureRegionOptions& region_options, std::string* cue);

}  // namespace needlescope::redness
