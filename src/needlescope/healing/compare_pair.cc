#include "needlescope/healing/compare_pair.h"
#include "needlescope/healing/resolution_interval.h"
#include "needlescope/tiling/cancellation.h"
#include "needlescope/uniformity/wilson.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include <opencv2/imgproc.hpp>
#include <tbb/parallel_for.h>

#include "needlescope/detect/point_grid.h"
#include "needlescope/healing/spot_fit.h"

namespace needlescope::healing {
namespace {

cv::Point2d Map(const cv::Matx33d& h, double x, double y) {
  const cv::Vec3d v = h * cv::Vec3d(x, y, 1);
  return {v[0] / v[2], v[1] / v[2]};
}

// A BEFORE-frame mask carried into AFTER's frame (nearest neighbour keeps it binary).
cv::Mat CarryMask(const cv::Mat& mask, const cv::Matx33d& before_to_after, cv::Size after_size) {
  cv::Mat out;
  cv::warpPerspective(mask, out, cv::Mat(before_to_after), after_size, cv::INTER_NEAREST,
                      cv::BORDER_CONSTANT, 0);
  return out;
}

// A neutral patch given in BEFORE's pixels, found again in AFTER: a rectangle 0.7 times its
// size about its mapped centre, so that it stays inside the patch under the rotation and
// scale a camera move brings (up to about 15 degrees).
cv::Rect CarryPatch(const cv::Rect& patch, const cv::Matx33d& before_to_after, cv::Size after_size) {
  const cv::Point2d c = Map(before_to_after, patch.x + (patch.width - 1) / 2.0, patch.y + (patch.height - 1) / 2.0);
  const int w = std::max(1, int(0.7 * patch.width)), h = std::max(1, int(0.7 * patch.height));
  const cv::Rect carried(int(std::lround(c.x - (w - 1) / 2.0)), int(std::lround(c.y - (h - 1) / 2.0)), w, h);
  if ((carried & cv::Rect(cv::Point(), after_size)) != carried) {
    throw redness::RegionError("the white patch, carried into AFTER, lies (partly) outside it");
  }
  return carried;
}

// What white balancing would change in a region's mean hemoglobin: the gains' OD,
// -log10(gain) per channel, along the hemoglobin direction (OD is measured without them).
double HemoglobinOfWhiteBalance(const redness::RednessResult& r) {
  const auto& g = r.white_balance_gains_rgb;
  return color::Unmixer(r.vectors).Unmix(-std::log10(g[0]), -std::log10(g[1]), -std::log10(g[2]))[1];
}

// Local scale of the homography at BEFORE pixel (x, y): sqrt of its Jacobian's determinant.
double LocalScale(const cv::Matx33d& h, double x, double y) {
  const double w = h(2, 0) * x + h(2, 1) * y + h(2, 2);
  const cv::Point2d p = Map(h, x, y);
  const double j00 = (h(0, 0) - p.x * h(2, 0)) / w, j01 = (h(0, 1) - p.x * h(2, 1)) / w;
  const double j10 = (h(1, 0) - p.y * h(2, 0)) / w, j11 = (h(1, 1) - p.y * h(2, 1)) / w;
  return std::sqrt(std::abs(j00 * j11 - j01 * j10));
}

double MaskedSd(const cv::Mat& map, const cv::Mat& mask) {
  cv::Scalar mean, sd;
  cv::meanStdDev(map, mean, sd, mask);
  return sd[0];
}

}  // namespace

std::string CompareOptions::Check() const {
  std::ostringstream m;
  if (!(persistence_min_amplitude > 0))
    m << "compare.persistence_min_amplitude = " << persistence_min_amplitude << ": must be > 0";
  else if (!(blur_sigma_px >= 0))
    m << "compare.blur_sigma_px = " << blur_sigma_px << ": must be >= 0";
  if (!m.str().empty()) return m.str();
  if (std::string e = registration.Check(); !e.empty()) return e;
  if (std::string e = redness.Check(); !e.empty()) return e;
  if (std::string e = puncture_region.Check(); !e.empty()) return e;
  return detect.Check();
}

Reference MeasureReference(const cv::Mat& before_bgr, const CompareOptions& o) {
  Reference ref;
  detect::DetectOptions detect_options = o.detect;
  detect_options.vectors = o.redness.vectors;
  const detect::DetectResult detected = detect::DetectPunctures(before_bgr, detect_options);
  ref.punctures = detected.punctures;
  redness::RednessOptions before_options = o.redness;
  before_options.keep_maps = true;
  before_options.baseline_rule = redness::BaselineRule::kIfInFrame;  // else AFTER against BEFORE
  ref.redness = redness::MeasureRedness(before_bgr, before_options);
  if (!o.redness.roi) {  // the treated region from every cue, as analyze finds it
    const std::vector<cv::Point2d> points =
        redness::RegionPoints(detected.candidates, detected.classifier_scored, o.puncture_region);
    ref.redness = redness::WithPunctureRegion(before_bgr, before_options, std::move(ref.redness), points,
                                              o.puncture_region, &ref.region_cue);
  }
  if (!ref.redness.treated_found)
    throw redness::RegionError("BEFORE has no treated region (give --roi)");
  return ref;
}

CompareResult ComparePair(const cv::Mat& before_bgr,
                          const cv::Mat& after_bgr,
                          const CompareOptions& o) {
  return CompareWithReference(before_bgr, MeasureReference(before_bgr, o), after_bgr, o);
}

CompareResult CompareWithReference(const cv::Mat& before_bgr,
                                   const Reference& reference,
                                   const cv::Mat& after_bgr,
                                   const CompareOptions& o) {
  CompareResult r;
  r.registration = registration::RegisterPair(before_bgr, after_bgr, o.registration);
  const cv::Matx33d h = r.registration.homography;

  r.before = reference.redness;
  r.region_cue = reference.region_cue;

  // AFTER is measured on BEFORE's regions, carried through the alignment, each against
  // its own baseline: a lamp or white-balance change moves both regions alike. When BEFORE
  // has no untreated skin, AFTER's treated region is measured against BEFORE's instead.
  redness::RednessOptions after_options = o.redness;
  after_options.keep_maps = true;
  after_options.roi = redness::Region{{},
                                      CarryMask(r.before.treated_mask, h, after_bgr.size()),
                                      "BEFORE's treated region, aligned"};
  if (o.redness.white_patch) after_options.white_patch = CarryPatch(*o.redness.white_patch, h, after_bgr.size());
  if (r.before.baseline_found) {
    after_options.reference = redness::Region{
        {}, CarryMask(r.before.baseline_mask, h, after_bgr.size()), "BEFORE's baseline, aligned"};
  } else {
    after_options.reference.reset();
    after_options.baseline_rule = redness::BaselineRule::kNone;
  }
  r.after = redness::MeasureRedness(after_bgr, after_options);

  if (r.before.baseline_found) {
    const double excess_before = r.before.delta_hemoglobin.mean,
                 excess_after = r.after.delta_hemoglobin.mean;
    r.redness_resolution = 1 - excess_after / excess_before;
    r.redness_resolution_a_star = 1 - r.after.delta_a_star.mean / r.before.delta_a_star.mean;
    r.redness_resolution_ci95 = RednessResolutionInterval(r.before, r.after);
  } else {
    // With a neutral patch in both photos, a change of white balance between them is taken
    // out of hemoglobin as it is of a*; without one nothing can take it out.
    const double balance = o.redness.white_patch ? HemoglobinOfWhiteBalance(r.after) - HemoglobinOfWhiteBalance(r.before) : 0;
    r.against_before = RednessAgainstBefore{r.after.treated.hemoglobin - r.before.treated.hemoglobin + balance,
                                            r.after.treated.a_star - r.before.treated.a_star};
  }

  r.tone.melanin_sd_before = MaskedSd(r.before.melanin_map, r.before.treated_mask);
  r.tone.hemoglobin_sd_before = MaskedSd(r.before.hemoglobin_map, r.before.treated_mask);
  r.tone.melanin_sd_after = MaskedSd(r.after.melanin_map, r.after.treated_mask);
  r.tone.hemoglobin_sd_after = MaskedSd(r.after.hemoglobin_map, r.after.treated_mask);

  detect::DetectOptions detect_options = o.detect;
  detect_options.vectors = o.redness.vectors;
  r.punctures_before = reference.punctures;
  const detect::DetectResult after_detected = detect::DetectPunctures(after_bgr, detect_options);
  r.punctures_after = after_detected.punctures;
  // Persistence: each BEFORE puncture in the treated region whose mapped position lies in
  // AFTER is fitted there (spot_fit.h) with its own width carried through the alignment,
  // together with AFTER's candidates around it (a healing puncture can be too faint to be
  // a candidate, but its position is known). It persists when its blur-free peak is at
  // least o.persistence_min_amplitude.
  const double blur2 = 2 * o.blur_sigma_px * o.blur_sigma_px;
  const double min_r = o.detect.min_radius_px;
  std::vector<Spot> spots;
  std::vector<size_t> spot_of(r.punctures_before.size(), SIZE_MAX);
  std::vector<double> blur_free_r;  // per compared puncture, in AFTER's frame
  for (size_t b = 0; b < r.punctures_before.size(); ++b) {
    const Puncture& p = r.punctures_before[b];
    const cv::Point px(int(std::lround(p.x)), int(std::lround(p.y)));
    if (!cv::Rect(cv::Point(0, 0), before_bgr.size()).contains(px) ||
        !r.before.treated_mask.at<uint8_t>(px))
      continue;
    const cv::Point2d m = Map(h, p.x, p.y);
    if (m.x < 0 || m.y < 0 || m.x > after_bgr.cols - 1 || m.y > after_bgr.rows - 1) continue;
    const double radius = LocalScale(h, p.x, p.y) *
                          std::sqrt(std::max(p.radius_px * p.radius_px - blur2, min_r * min_r));
    spot_of[b] = spots.size();
    spots.push_back({m.x, m.y, std::sqrt(radius * radius + blur2)});
    blur_free_r.push_back(radius);
  }
  const size_t compared = spots.size();
  // AFTER's candidates stand for the neighbours, except where a compared puncture already is.
  detect::PointGrid targets(1.5);
  for (size_t k = 0; k < compared; ++k) targets.Add(int(k), spots[k].x, spots[k].y);
  for (const detect::Candidate& c : after_detected.candidates) {
    bool taken = false;
    targets.ForEachNear(c.x, c.y, [&](int k) {
      taken = taken || std::hypot(spots[size_t(k)].x - c.x, spots[size_t(k)].y - c.y) < 1.5;
    });
    if (!taken) spots.push_back({c.x, c.y, c.radius_px});
  }
  const SpotFitter fitter(after_bgr, spots);
  std::vector<double> amplitude(compared);
  tbb::parallel_for(size_t(0), compared, [&](size_t k) {
    const double width = spots[k].radius_px, radius = blur_free_r[k];
    amplitude[k] = fitter.Amplitude(k) * width * width / (radius * radius);
  });
  ThrowIfCancelled();
  r.after_amplitude.assign(r.punctures_before.size(), std::numeric_limits<double>::quiet_NaN());
  for (size_t b = 0; b < r.punctures_before.size(); ++b) {
    if (spot_of[b] == SIZE_MAX) continue;
    r.after_amplitude[b] = amplitude[spot_of[b]];
    if (r.after_amplitude[b] >= o.persistence_min_amplitude) ++r.persisting;
  }
  r.persistence_min_amplitude = o.persistence_min_amplitude;
  r.compared = int(compared);
  if (r.compared > 0) {
    r.puncture_persistence = double(r.persisting) / r.compared;
    r.puncture_persistence_ci95 = uniformity::WilsonInterval(r.persisting, r.compared);
  }

  // New punctures: AFTER's accepted punctures in the treated region with no BEFORE puncture
  // (mapped) within max(3 px, 1.5 radius), the evaluator's match radius.
  detect::PointGrid mapped(std::max(3.0, 1.5 * o.detect.max_radius_px));
  std::vector<cv::Point2d> mapped_xy;
  for (const Puncture& p : r.punctures_before) {
    mapped_xy.push_back(Map(h, p.x, p.y));
    mapped.Add(int(mapped_xy.size() - 1), mapped_xy.back().x, mapped_xy.back().y);
  }
  for (const Puncture& a : r.punctures_after) {
    const cv::Point px(int(std::lround(a.x)), int(std::lround(a.y)));
    if (!cv::Rect(cv::Point(0, 0), after_bgr.size()).contains(px) ||
        !r.after.treated_mask.at<uint8_t>(px))
      continue;
    const double reach = std::max(3.0, 1.5 * a.radius_px);
    bool partnered = false;
    mapped.ForEachNear(a.x, a.y, [&](int k) {
      partnered = partnered || std::hypot(mapped_xy[size_t(k)].x - a.x,
                                          mapped_xy[size_t(k)].y - a.y) <= reach;
    });
    if (!partnered) ++r.new_punctures;
  }

  // Healing score: how much of the excess redness has gone and how many punctures have
  // closed, equally weighted (docs/compare.md); either alone when the other is unknown
  // (no excess redness without a baseline), none when both are.
  std::optional<double> resolved, closed;
  if (r.redness_resolution) resolved = std::clamp(*r.redness_resolution, 0.0, 1.0);
  if (r.puncture_persistence) closed = std::clamp(1 - *r.puncture_persistence, 0.0, 1.0);
  if (resolved && closed) r.score = 100 * (0.5 * *resolved + 0.5 * *closed);
  else if (resolved || closed) r.score = 100 * (resolved ? *resolved : *closed);

  cv::warpPerspective(after_bgr, r.after_aligned, cv::Mat(h), before_bgr.size(),
                      cv::INTER_LINEAR | cv::WARP_INVERSE_MAP);
  return r;
}

}  // namespace needlescope::healing
