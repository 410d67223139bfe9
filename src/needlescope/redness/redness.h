#pragma once

// Redness (erythema) of the treated skin against untreated baseline skin of the same photo
// (docs/redness.md). Statistics are sums per row combined top to bottom and percentiles
// of the collected values, so results are identical for any tile size and thread count.
// Memory: one full-size float plane (hemoglobin, which becomes the Δhemoglobin map kept for
// the heatmap; melanin, erythema index and a* are summarised from the photo row by row),
// three 1-byte masks and one region's values at a time; 2 more planes with keep_maps.

#include <array>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/redness/region.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope::redness {

// What to do for a baseline when no `reference` is given.
enum class BaselineRule {
  kRequired,  // the skin outside the treated region; too little of it: NoBaselineError
  kIfInFrame, // the same, but too little of it: no baseline (RednessResult::baseline_found)
  kNone,      // no baseline: only the treated region's own means (compare against BEFORE)
};

struct RednessOptions {
  std::optional<Region> roi;        // treated region; estimated from the hemoglobin map if absent
  std::optional<Region> reference;  // baseline; the skin outside the treated region if absent
  BaselineRule baseline_rule = BaselineRule::kRequired;  // when `reference` is absent
  std::optional<cv::Rect> white_patch;  // neutral reference, px; else baseline skin is used
  color::ChromophoreVectors vectors = color::LiteratureVectors();  // or a camera calibration
  double erythema_threshold = -1;  // Δhemoglobin, > 0; <= 0: the baseline's own 95th percentile
  bool keep_maps = false;          // keep the melanin and hemoglobin maps in the result
  TilingOptions tiling;

  std::string Check() const;  // empty when valid
};

struct Summary {
  double mean = 0, p50 = 0, p90 = 0;
};

struct RegionMeans {
  double hemoglobin = 0, melanin = 0, a_star = 0, erythema_index = 0;
  long long skin_pixels = 0;
};

struct RednessResult {
  bool treated_found = false;  // false: no treated region given or found; deltas not measured
  // false: no untreated skin to measure against (BaselineRule kIfInFrame or kNone): the
  // treated region's means are measured, deltas, thresholds and white balance are not
  // (baseline means 0, white balance gains 1).
  bool baseline_found = true;
  Summary delta_hemoglobin, delta_a_star, delta_ei;  // per-pixel treated minus baseline mean
  RegionMeans treated, baseline;
  double erythema_area_fraction = 0;
  double threshold = 0;
  std::string threshold_rule;  // "baseline p95" or "fixed"
  std::string roi_source, baseline_source;
  std::string white_balance;  // "white-patch", "baseline-skin"
  std::array<double, 3> white_balance_gains_rgb{1, 1, 1};
  color::ChromophoreVectors vectors;  // as used
  double skin_fraction = 0;  // of the image
  // For pictures: Δhemoglobin per pixel (NaN off skin) and the two regions as masks.
  cv::Mat delta_hemoglobin_map;
  cv::Mat treated_mask, baseline_mask;
  cv::Mat hemoglobin_map, melanin_map;  // CV_32F, only with options.keep_maps
};

// Frees the per-pixel maps and masks, keeping the measures (for a caller that only reports).
void ReleaseMaps(RednessResult& result);

// The automatic baseline: `skin` pixels more than 15 px from `treated` (a disc of radius
// 15, OpenCV's 31 x 31 ellipse), both 0/255 CV_8U masks of one size.
cv::Mat SkinAwayFrom(const cv::Mat& skin, const cv::Mat& treated, const TilingOptions& tiling);

// Throws RegionError when a region is unusable, NoSkinError when the photo has (almost) no
// skin, NoBaselineError when the treated region leaves no untreated skin to measure against,
// no reference region was given and options.baseline_rule is kRequired.
RednessResult MeasureRedness(const cv::Mat& bgr, const RednessOptions& options);

}  // namespace needlescope::redness
