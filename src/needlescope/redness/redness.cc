#include "needlescope/redness/redness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <tbb/parallel_invoke.h>

#include "needlescope/color/color_maps.h"
#include "needlescope/color/srgb.h"
#include "needlescope/redness/treated_region.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::redness {
namespace {

constexpr int kMinRegionSkinPixels = 100;
constexpr int kBaselineMarginPx = 15;  // auto baseline keeps this far from the treated region

// Values of `map` where `mask` is set, row-major (a fixed order: deterministic sums).
std::vector<float> Collect(const cv::Mat& map, const cv::Mat& mask) {
  std::vector<float> values;
  for (int y = 0; y < map.rows; ++y) {
    const float* m = map.ptr<float>(y);
    const std::uint8_t* k = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < map.cols; ++x) if (k[x]) values.push_back(m[x]);
  }
  return values;
}

// Mean of `map` where `mask` is set, summed row-major like Collect + Mean, without the copy.
double MaskedMean(const cv::Mat& map, const cv::Mat& mask) {
  double sum = 0;
  long long n = 0;
  for (int y = 0; y < map.rows; ++y) {
    const float* m = map.ptr<float>(y);
    const std::uint8_t* k = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < map.cols; ++x) {
      if (!k[x]) continue;
      sum += m[x];
      ++n;
    }
  }
  return n ? sum / n : 0.0;
}

// Percentile by nearest rank (q in [0, 100]). Reorders `v` (nth_element), which leaves the
// values themselves unchanged, so it may be called again on the same vector.
double Percentile(std::vector<float>& v, double q) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, size_t(std::floor(q / 100.0 * (v.size() - 1) + 0.5)));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// Treated values minus the baseline mean: mean, median, 90th percentile. `treated_mean` is
// the mean of `treated` (passed in: the caller has it already).
Summary DeltaSummary(std::vector<float> treated, double treated_mean, double baseline_mean) {
  for (float& v : treated) v = float(v - baseline_mean);
  return {treated_mean - baseline_mean, Percentile(treated, 50), Percentile(treated, 90)};
}

std::array<double, 3> MeanLinearRgb(const cv::Mat& bgr, const cv::Mat& mask) {
  const auto& lut = color::SrgbToLinearTable();
  double sum[3] = {0, 0, 0};
  long long n = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
    const std::uint8_t* k = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      if (!k[x]) continue;
      sum[0] += lut[p[x][2]];
      sum[1] += lut[p[x][1]];
      sum[2] += lut[p[x][0]];
      ++n;
    }
  }
  return {sum[0] / n, sum[1] / n, sum[2] / n};
}

// Gains that make `reference` neutral grey at its own luminance (a von Kries scaling).
std::array<double, 3> NeutralisingGains(const std::array<double, 3>& reference) {
  const double luminance = 0.212671 * reference[0] + 0.715160 * reference[1] + 0.072169 * reference[2];
  return {luminance / reference[0], luminance / reference[1], luminance / reference[2]};
}

void CheckEnoughSkin(const cv::Mat& region_skin, const std::string& what) {
  const int n = cv::countNonZero(region_skin);
  if (n < kMinRegionSkinPixels) {
    throw RegionError(what + " has " + std::to_string(n) + " skin pixels; at least " +
                      std::to_string(kMinRegionSkinPixels) + " are needed");
  }
}

// Skin at least kBaselineMarginPx from the treated region. Tile by tile, in parallel: the
// dilation reads only kBaselineMarginPx around a pixel, so each core is exactly what the
// whole image gives.
cv::Mat SkinAwayFrom(const cv::Mat& skin, const cv::Mat& treated, const TilingOptions& tiling) {
  const cv::Mat disc = cv::getStructuringElement(
      cv::MORPH_ELLIPSE, cv::Size(2 * kBaselineMarginPx + 1, 2 * kBaselineMarginPx + 1));
  cv::Mat away(skin.size(), CV_8U);
  ForEachTile(MakeTileGrid(skin.size(), tiling, kBaselineMarginPx), [&](const Tile& tile) {
    cv::Mat near;
    cv::dilate(treated(tile.padded), near, disc);
    const cv::Mat near_core = near(cv::Rect(tile.core.tl() - tile.padded.tl(), tile.core.size()));
    cv::Mat away_core = away(tile.core);
    cv::bitwise_not(near_core, away_core);
    cv::bitwise_and(away_core, skin(tile.core), away_core);
  });
  return away;
}

// Hemoglobin minus the baseline mean (in float, as cv::subtract does), NaN off skin.
cv::Mat DeltaMap(const cv::Mat& hemoglobin, const cv::Mat& skin, double baseline, const TilingOptions& tiling) {
  const float base = float(baseline), nan = std::numeric_limits<float>::quiet_NaN();
  cv::Mat delta(hemoglobin.size(), CV_32F);
  ForEachTile(MakeTileGrid(hemoglobin.size(), tiling, 0), [&](const Tile& tile) {
    for (int y = tile.core.y; y < tile.core.br().y; ++y) {
      const float* h = hemoglobin.ptr<float>(y);
      const std::uint8_t* k = skin.ptr<std::uint8_t>(y);
      float* d = delta.ptr<float>(y);
      for (int x = tile.core.x; x < tile.core.br().x; ++x) d[x] = k[x] ? h[x] - base : nan;
    }
  });
  return delta;
}

}  // namespace

std::string RednessOptions::Check() const {
  if (std::string error = tiling.Check(); !error.empty()) return error;
  if (white_patch && (white_patch->width < 2 || white_patch->height < 2)) {
    return "redness.white_patch: must be at least 2 x 2 px";
  }
  return {};
}

RednessResult MeasureRedness(const cv::Mat& bgr, const RednessOptions& options) {
  RednessResult r;
  const cv::Mat skin = color::ComputeSkinMask(bgr, options.tiling);
  const int skin_pixels = cv::countNonZero(skin);
  r.skin_fraction = double(skin_pixels) / bgr.total();
  if (r.skin_fraction < 0.01) {
    std::ostringstream msg;
    msg << "no skin to measure: " << skin_pixels << " skin-like pixels ("
        << std::round(r.skin_fraction * 1000) / 10 << " % of the image; see docs/redness.md)";
    throw NoSkinError(msg.str());
  }

  r.vectors = options.vectors;
  const color::ChromophoreMaps maps = color::ComputeChromophoreMaps(bgr, r.vectors, options.tiling);

  // Treated region.
  if (options.roi) {
    r.treated_mask = Rasterize(*options.roi, bgr.size(), "treated region (--roi)") & skin;
    r.roi_source = options.roi->source;
    CheckEnoughSkin(r.treated_mask, "treated region (--roi)");
    r.treated_found = true;
  } else {
    const TreatedRegionEstimate estimate = EstimateTreatedRegion(maps.hemoglobin, skin);
    r.treated_found = !estimate.mask.empty();
    std::ostringstream source;
    source << (r.treated_found ? "estimated" : "none found") << " (separation "
           << std::round(estimate.separation * 10) / 10 << " sd, needs " << kMinSeparation << ")";
    r.roi_source = source.str();
    r.treated_mask = r.treated_found ? (estimate.mask & skin) : cv::Mat::zeros(bgr.size(), CV_8U);
    if (r.treated_found && cv::countNonZero(r.treated_mask) < kMinRegionSkinPixels) {
      r.treated_found = false;
      r.treated_mask.setTo(0);
    }
  }

  // Baseline.
  if (options.reference) {
    r.baseline_mask = Rasterize(*options.reference, bgr.size(), "reference region") & skin;
    r.baseline_source = options.reference->source;
  } else {
    r.baseline_mask = SkinAwayFrom(skin, r.treated_mask, options.tiling);
    r.baseline_source = r.treated_found ? "skin outside the treated region (15 px margin)" : "all skin";
  }
  CheckEnoughSkin(r.baseline_mask, options.reference ? "reference region" : "baseline skin");

  // White balance for a*: a neutral patch if given, else the baseline skin made neutral.
  if (options.white_patch) {
    const cv::Rect image_rect(cv::Point(0, 0), bgr.size());
    if ((*options.white_patch & image_rect) != *options.white_patch) {
      throw RegionError("white patch lies (partly) outside the image");
    }
    cv::Mat patch = cv::Mat::zeros(bgr.size(), CV_8U);
    patch(*options.white_patch).setTo(255);
    r.white_balance_gains_rgb = NeutralisingGains(MeanLinearRgb(bgr, patch));
    r.white_balance = "white-patch";
  } else {
    r.white_balance_gains_rgb = NeutralisingGains(MeanLinearRgb(bgr, r.baseline_mask));
    r.white_balance = "baseline-skin";
  }
  const cv::Mat a_star = color::ComputeAStarMap(bgr, r.white_balance_gains_rgb, options.tiling);

  // Each statistic below is a serial pass over the photo; independent ones run as parallel
  // tasks (each computed exactly as alone, so the results do not depend on the threads).
  auto means = [&](const cv::Mat& mask) {
    RegionMeans m;
    tbb::parallel_invoke([&] { m.hemoglobin = MaskedMean(maps.hemoglobin, mask); },
                         [&] { m.melanin = MaskedMean(maps.melanin, mask); },
                         [&] { m.a_star = MaskedMean(a_star, mask); },
                         [&] { m.erythema_index = MaskedMean(maps.erythema_index, mask); },
                         [&] { m.skin_pixels = cv::countNonZero(mask); });
    return m;
  };
  r.baseline = means(r.baseline_mask);
  if (options.erythema_threshold > 0) {
    r.threshold = options.erythema_threshold;
    r.threshold_rule = "fixed";
  } else {
    std::vector<float> baseline_hb = Collect(maps.hemoglobin, r.baseline_mask);
    r.threshold = Percentile(baseline_hb, 95) - r.baseline.hemoglobin;
    r.threshold_rule = "baseline p95";
  }

  if (options.keep_maps) {
    r.hemoglobin_map = maps.hemoglobin;
    r.melanin_map = maps.melanin;
  }
  r.delta_hemoglobin_map = DeltaMap(maps.hemoglobin, skin, r.baseline.hemoglobin, options.tiling);
  if (!r.treated_found) return r;

  r.treated = means(r.treated_mask);
  tbb::parallel_invoke(
      [&] {
        std::vector<float> treated_hb = Collect(maps.hemoglobin, r.treated_mask);
        const double limit = r.baseline.hemoglobin + r.threshold;
        r.erythema_area_fraction =
            double(std::count_if(treated_hb.begin(), treated_hb.end(), [&](float v) { return v > limit; })) /
            treated_hb.size();
        r.delta_hemoglobin = DeltaSummary(std::move(treated_hb), r.treated.hemoglobin, r.baseline.hemoglobin);
      },
      [&] { r.delta_a_star = DeltaSummary(Collect(a_star, r.treated_mask), r.treated.a_star, r.baseline.a_star); },
      [&] {
        r.delta_ei = DeltaSummary(Collect(maps.erythema_index, r.treated_mask), r.treated.erythema_index,
                                  r.baseline.erythema_index);
      });
  return r;
}

}  // namespace needlescope::redness
