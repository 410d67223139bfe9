#include "needlescope/redness/redness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <tbb/parallel_for.h>

#include "needlescope/color/color_maps.h"
#include "needlescope/color/srgb.h"
#include "needlescope/redness/code_counts.h"
#include "needlescope/redness/kth_smallest.h"
#include "needlescope/redness/treated_region.h"
#include "needlescope/tiling/cancellation.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::redness {
namespace {

constexpr int kMinRegionSkinPixels = 100;
constexpr int kBaselineMarginPx = 15;  // auto baseline keeps this far from the treated region

// Sums of a per-pixel value over two masks and, optionally, the values under a third,
// computed row by row in parallel without a full-size plane. Each row is summed left to
// right and the rows are combined top to bottom, so the results do not depend on the
// number of threads; the collected values are in row-major order.
struct Streamed {
  double sum[2] = {0, 0};
  long long count[2] = {0, 0};
  std::vector<float> values;
  double Mean(int k) const { return count[k] ? sum[k] / count[k] : 0.0; }
};

// `value(row, x)` gives the pixel's value; an empty mask selects nothing.
template <class Value>
Streamed Stream(cv::Size size, const cv::Mat& mask0, const cv::Mat& mask1, const cv::Mat& collect,
                Value value) {
  constexpr int kBand = 32;  // rows per task; results do not depend on it
  const int bands = (size.height + kBand - 1) / kBand;
  auto rows_of = [&](int band) { return cv::Range(band * kBand, std::min(size.height, (band + 1) * kBand)); };
  // The collected values are written straight into one array of the exact size, each band
  // at its offset (counted first): growing per-band vectors and joining them held up to
  // 2.5 times the values at once (~150 MB at 24 MP).
  std::vector<size_t> offset(size_t(bands) + 1, 0);
  if (!collect.empty()) {
    tbb::parallel_for(0, bands, [&](int band) {
      const cv::Range rows = rows_of(band);
      offset[size_t(band) + 1] = size_t(cv::countNonZero(collect.rowRange(rows.start, rows.end)));
    });
    ThrowIfCancelled();
    for (int band = 0; band < bands; ++band) offset[size_t(band) + 1] += offset[size_t(band)];
  }
  Streamed out;
  out.values.resize(offset.back());
  std::vector<double> row_sum[2] = {std::vector<double>(size.height), std::vector<double>(size.height)};
  std::vector<long long> row_count[2] = {std::vector<long long>(size.height),
                                         std::vector<long long>(size.height)};
  tbb::parallel_for(0, bands, [&](int band) {
    float* next = out.values.data() + offset[size_t(band)];
    const cv::Range rows = rows_of(band);
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* k0 = mask0.empty() ? nullptr : mask0.ptr<std::uint8_t>(y);
      const std::uint8_t* k1 = mask1.empty() ? nullptr : mask1.ptr<std::uint8_t>(y);
      const std::uint8_t* kc = collect.empty() ? nullptr : collect.ptr<std::uint8_t>(y);
      double s0 = 0, s1 = 0;
      long long n0 = 0, n1 = 0;
      for (int x = 0; x < size.width; ++x) {
        const bool in0 = k0 && k0[x], in1 = k1 && k1[x], inc = kc && kc[x];
        if (!in0 && !in1 && !inc) continue;
        const float v = value(y, x);
        if (in0) {
          s0 += v;
          ++n0;
        }
        if (in1) {
          s1 += v;
          ++n1;
        }
        if (inc) *next++ = v;
      }
      row_sum[0][size_t(y)] = s0, row_sum[1][size_t(y)] = s1;
      row_count[0][size_t(y)] = n0, row_count[1][size_t(y)] = n1;
    }
  });
  ThrowIfCancelled();
  for (int k = 0; k < 2; ++k) {
    for (int y = 0; y < size.height; ++y) {
      out.sum[k] += row_sum[k][size_t(y)];
      out.count[k] += row_count[k][size_t(y)];
    }
  }
  return out;
}

// A pixel function of the photo as a `value(row, x)` for Stream.
template <class PixelValue>
auto OfPhoto(const cv::Mat& bgr, PixelValue pixel_value) {
  return [&bgr, pixel_value](int y, int x) { return pixel_value(bgr.ptr<cv::Vec3b>(y)[x]); };
}

auto OfMap(const cv::Mat& map) {
  return [&map](int y, int x) { return map.ptr<float>(y)[x]; };
}

// Percentile by nearest rank (q in [0, 100]). By KthSmallest's histogram of the values'
// top bits (two passes and a select within one bin) rather than nth_element over them
// all: the same value, but the treated region holds millions of pixels, and nth_element
// over them, on one core, was 4 % of all processor time at 24 MP. No NaN (skin pixels).
double Percentile(const std::vector<float>& v, double q) {
  return KthSmallest([&](auto fn) { for (float x : v) fn(x); }, [q](size_t n) { return NearestRank(n, q); })
      .value_or(0.0);
}

// The same percentile of `map`'s values under `mask`, visiting them in place twice rather
// than collecting them: the baseline is most of the photo, and its values were 60 MB at
// 24 MP, which set the run's peak memory whenever they met detection's.
double PercentileUnder(const cv::Mat& map, const cv::Mat& mask, double q) {
  const auto visit = [&](auto fn) {
    for (int y = 0; y < (mask.empty() ? 0 : map.rows); ++y) {
      const float* values = map.ptr<float>(y);
      const std::uint8_t* selected = mask.ptr<std::uint8_t>(y);
      for (int x = 0; x < map.cols; ++x) {
        if (selected[x]) fn(values[x]);
      }
    }
  };
  return KthSmallest(visit, [q](size_t n) { return NearestRank(n, q); }).value_or(0.0);
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

// Hemoglobin minus the baseline mean (in float, as cv::subtract does), NaN off skin, into
// `delta` (which may be `hemoglobin` itself).
void DeltaMap(const cv::Mat& hemoglobin, const cv::Mat& skin, double baseline, const TilingOptions& tiling,
              cv::Mat& delta) {
  const float base = float(baseline), nan = std::numeric_limits<float>::quiet_NaN();
  ForEachTile(MakeTileGrid(hemoglobin.size(), tiling, 0), [&](const Tile& tile) {
    for (int y = tile.core.y; y < tile.core.br().y; ++y) {
      const float* h = hemoglobin.ptr<float>(y);
      const std::uint8_t* k = skin.ptr<std::uint8_t>(y);
      float* d = delta.ptr<float>(y);
      for (int x = tile.core.x; x < tile.core.br().x; ++x) d[x] = k[x] ? h[x] - base : nan;
    }
  });
}

// Whether every `side` x `side` block of `mask` (the last ones smaller) holds a set pixel.
bool EveryBlockHasOne(const cv::Mat& mask, int side) {
  std::vector<std::uint8_t> seen;
  for (int y0 = 0; y0 < mask.rows; y0 += side) {
    seen.assign(size_t((mask.cols + side - 1) / side), 0);
    for (int y = y0; y < std::min(mask.rows, y0 + side); ++y) {
      const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
      for (int x = 0; x < mask.cols; ++x) seen[size_t(x / side)] |= m[x];
    }
    if (std::find(seen.begin(), seen.end(), 0) != seen.end()) return false;
  }
  return true;
}

}  // namespace

// Tile by tile, in parallel: the dilation reads only kBaselineMarginPx around a pixel, so
// each core is exactly what the whole image gives. Only tiles the region's edge passes near
// are dilated (the 31 x 31 disc was a sixth of the redness stage at 24 MP): with no treated
// pixel within the margin a tile's core is all away; with one in every 11 x 11 block of the
// core, none of it is (the disc holds the square of half-side 10 around its centre, so it
// reaches a treated pixel of its own block from every pixel).
cv::Mat SkinAwayFrom(const cv::Mat& skin, const cv::Mat& treated, const TilingOptions& tiling) {
  const cv::Mat disc = cv::getStructuringElement(
      cv::MORPH_ELLIPSE, cv::Size(2 * kBaselineMarginPx + 1, 2 * kBaselineMarginPx + 1));
  static_assert(kBaselineMarginPx == 15, "the 11 x 11 blocks below are for a disc of radius 15");
  cv::Mat away(skin.size(), CV_8U);
  ForEachTile(MakeTileGrid(skin.size(), tiling, kBaselineMarginPx), [&](const Tile& tile) {
    cv::Mat away_core = away(tile.core);
    if (cv::countNonZero(treated(tile.padded)) == 0) {
      skin(tile.core).copyTo(away_core);
      return;
    }
    if (EveryBlockHasOne(treated(tile.core), 11)) {
      away_core.setTo(0);
      return;
    }
    cv::Mat near;
    cv::dilate(treated(tile.padded), near, disc);
    const cv::Mat near_core = near(cv::Rect(tile.core.tl() - tile.padded.tl(), tile.core.size()));
    cv::bitwise_not(near_core, away_core);
    cv::bitwise_and(away_core, skin(tile.core), away_core);
  });
  return away;
}

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
  // Hemoglobin is the one full-size float plane: the treated-region estimate and the
  // Δhemoglobin map need it whole. Melanin, erythema index and a* are only summarised: the
  // first two from the regions' code counts, a* row by row as its statistics are taken.
  cv::Mat hemoglobin = color::ComputeChromophoreMap(bgr, r.vectors, 1, options.tiling);

  // Treated region.
  if (options.roi) {
    r.treated_mask = Rasterize(*options.roi, bgr.size(), "treated region (--roi)") & skin;
    r.roi_source = options.roi->source;
    CheckEnoughSkin(r.treated_mask, "treated region (--roi)");
    r.treated_found = true;
  } else {
    const TreatedRegionEstimate estimate = EstimateTreatedRegion(hemoglobin, skin);
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
    CheckEnoughSkin(r.baseline_mask, "reference region");
  } else if (options.baseline_rule == BaselineRule::kNone) {
    r.baseline_found = false;
    r.baseline_mask = cv::Mat::zeros(bgr.size(), CV_8U);
    r.baseline_source = "none asked";
  } else {
    r.baseline_mask = SkinAwayFrom(skin, r.treated_mask, options.tiling);
    r.baseline_source = r.treated_found ? "skin outside the treated region (15 px margin)" : "all skin";
    if (const int n = cv::countNonZero(r.baseline_mask); n < kMinRegionSkinPixels) {
      std::ostringstream msg;
      msg << "no untreated skin in the frame to measure redness against: the treated region (" << r.roi_source
          << ") leaves " << n << " skin pixels more than " << kBaselineMarginPx << " px outside it, at least "
          << kMinRegionSkinPixels << " are needed (give --reference-region for untreated skin of this photo)";
      if (options.baseline_rule == BaselineRule::kRequired) throw NoBaselineError(msg.str());
      r.baseline_found = false;
      r.baseline_mask.setTo(0);
      r.baseline_source = "none: " + msg.str();
    }
  }

  const cv::Mat& baseline = r.baseline_mask;
  const cv::Mat& treated = r.treated_mask;
  // Without a baseline there is nothing to take the deltas against: only means.
  const bool deltas = r.treated_found && r.baseline_found;
  // The codes of both regions, in one pass (code_counts.h): the white balance, and the means
  // and percentiles of every statistic linear in optical density, follow from them.
  const PhotoCodeCounts codes = CountCodes(bgr, baseline, treated, /*red_green_of_1=*/deltas);

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
  } else if (r.baseline_found) {
    const auto& linear = color::SrgbToLinearTable();
    const ChannelCodeCounts& b = codes.region[0];
    r.white_balance_gains_rgb = NeutralisingGains({b.Mean(linear, 0), b.Mean(linear, 1), b.Mean(linear, 2)});
    r.white_balance = "baseline-skin";
  } else {
    r.white_balance = "none (no untreated skin)";  // gains stay 1: a* as the camera gave it
  }

  // Hemoglobin (from its map) and a* (it needs the white balance) in a pass each over both
  // regions; a pass's collected treated values are summarised and freed before the next, so
  // at most one region's values exist at a time.
  const color::Unmixer unmixer(r.vectors);
  const std::array<double, 3> gains = r.white_balance_gains_rgb;
  auto summarise = [&](Streamed s, double RegionMeans::*field, Summary* summary) {
    r.baseline.*field = s.Mean(0);
    r.treated.*field = s.Mean(1);
    if (summary && deltas) *summary = DeltaSummary(std::move(s.values), s.Mean(1), s.Mean(0));
  };
  const cv::Mat none;
  const cv::Mat& treated_if_found = deltas ? treated : none;

  {
    Streamed hb = Stream(bgr.size(), baseline, treated, treated_if_found, OfMap(hemoglobin));
    r.baseline.skin_pixels = hb.count[0];
    r.treated.skin_pixels = hb.count[1];
    if (options.erythema_threshold > 0) {
      r.threshold = options.erythema_threshold;
      r.threshold_rule = "fixed";
    } else if (r.baseline_found) {
      r.threshold = PercentileUnder(hemoglobin, baseline, 95) - hb.Mean(0);
      r.threshold_rule = "baseline p95";
    } else {
      r.threshold_rule = "none (no baseline)";
    }
    const double limit = hb.Mean(0) + r.threshold;
    if (deltas) {
      r.erythema_area_fraction =
          double(std::count_if(hb.values.begin(), hb.values.end(), [&](float v) { return v > limit; })) /
          hb.values.size();
    }
    summarise(std::move(hb), &RegionMeans::hemoglobin, &r.delta_hemoglobin);
  }
  // Melanin and the erythema index from the codes: both are linear in optical density.
  const auto& od = color::OpticalDensityTable();
  for (int k = 0; k < 2; ++k) {
    const ChannelCodeCounts& c = codes.region[k];
    const double od_r = c.Mean(od, 0), od_g = c.Mean(od, 1), od_b = c.Mean(od, 2);
    RegionMeans& means = k == 0 ? r.baseline : r.treated;
    means.melanin = unmixer.Unmix(od_r, od_g, od_b)[0];
    means.erythema_index = 100.0 * (od_g - od_r);  // 100 log10(R/G), as color::ErythemaIndexOf
  }
  if (deltas) {
    // A pixel's erythema index is a function of its (red, green) codes: percentiles by pair.
    std::vector<std::pair<float, long long>> counted;
    for (size_t red = 0; red < 256; ++red) {
      for (size_t green = 0; green < 256; ++green) {
        const long long n = codes.red_green[red << 8 | green];
        if (n) counted.push_back({float(100.0 * (od[green] - od[red])), n});
      }
    }
    // Shifting by the baseline mean keeps the order: the percentile of the shifted values is
    // the shifted percentile, rounded to float as each shifted value was.
    const double base = r.baseline.erythema_index;
    r.delta_ei = {r.treated.erythema_index - base, float(PercentileOfCounted(counted, 50) - base),
                  float(PercentileOfCounted(counted, 90) - base)};
  }
  summarise(Stream(bgr.size(), baseline, treated, treated_if_found,
                   OfPhoto(bgr, [&](const cv::Vec3b& p) {
                     thread_local color::AStarCache cache;
                     return cache.Of(p, gains);
                   })),
            &RegionMeans::a_star, &r.delta_a_star);

  if (options.keep_maps) {
    r.melanin_map = color::ComputeChromophoreMap(bgr, r.vectors, 0, options.tiling);
    r.hemoglobin_map = hemoglobin;
    r.delta_hemoglobin_map.create(bgr.size(), CV_32F);
  } else {
    r.delta_hemoglobin_map = hemoglobin;  // the plane is not needed any more: reused
  }
  DeltaMap(hemoglobin, skin, r.baseline.hemoglobin, options.tiling, r.delta_hemoglobin_map);
  return r;
}

void ReleaseMaps(RednessResult& result) {
  for (cv::Mat* map : {&result.delta_hemoglobin_map, &result.treated_mask, &result.baseline_mask, &result.hemoglobin_map,
                       &result.melanin_map}) {
    map->release();
  }
}

}  // namespace needlescope::redness
