#include "needlescope/healing/compare_pair.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

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

double MaskedSd(const cv::Mat& map, const cv::Mat& mask) {
  cv::Scalar mean, sd;
  cv::meanStdDev(map, mean, sd, mask);
  return sd[0];
}

}  // namespace

std::string CompareOptions::Check() const {
  if (std::string e = registration.Check(); !e.empty()) return e;
  if (std::string e = redness.Check(); !e.empty()) return e;
  return detect.Check();
}

Reference MeasureReference(const cv::Mat& before_bgr, const CompareOptions& o) {
  Reference ref;
  redness::RednessOptions before_options = o.redness;
  before_options.keep_maps = true;
  ref.redness = redness::MeasureRedness(before_bgr, before_options);
  if (!ref.redness.treated_found)
    throw redness::RegionError("BEFORE has no treated region (give --roi)");
  detect::DetectOptions detect_options = o.detect;
  detect_options.vectors = o.redness.vectors;
  ref.punctures = detect::DetectPunctures(before_bgr, detect_options).punctures;
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

  // AFTER is measured on BEFORE's regions, carried through the alignment, each against
  // its own baseline: a lamp or white-balance change moves both regions alike.
  redness::RednessOptions after_options = o.redness;
  after_options.keep_maps = true;
  after_options.roi = redness::Region{{},
                                      CarryMask(r.before.treated_mask, h, after_bgr.size()),
                                      "BEFORE's treated region, aligned"};
  after_options.reference = redness::Region{
      {}, CarryMask(r.before.baseline_mask, h, after_bgr.size()), "BEFORE's baseline, aligned"};
  r.after = redness::MeasureRedness(after_bgr, after_options);

  const double excess_before = r.before.delta_hemoglobin.mean,
               excess_after = r.after.delta_hemoglobin.mean;
  r.redness_resolution = 1 - excess_after / excess_before;
  r.redness_resolution_a_star = 1 - r.after.delta_a_star.mean / r.before.delta_a_star.mean;

  r.tone.melanin_sd_before = MaskedSd(r.before.melanin_map, r.before.treated_mask);
  r.tone.hemoglobin_sd_before = MaskedSd(r.before.hemoglobin_map, r.before.treated_mask);
  r.tone.melanin_sd_after = MaskedSd(r.after.melanin_map, r.after.treated_mask);
  r.tone.hemoglobin_sd_after = MaskedSd(r.after.hemoglobin_map, r.after.treated_mask);

  detect::DetectOptions detect_options = o.detect;
  detect_options.vectors = o.redness.vectors;
  r.punctures_before = reference.punctures;
  const detect::DetectResult after_detected = detect::DetectPunctures(after_bgr, detect_options);
  r.punctures_after = after_detected.punctures;
  // What counts as "still there" in AFTER: any spot the detector scored at least
  // o.persistence_min_score - a healing puncture is fainter than a fresh one, and the
  // decision threshold is tuned for fresh ones (docs/compare.md).
  std::vector<const detect::Candidate*> spots;
  for (const detect::Candidate& c : after_detected.candidates) {
    if (c.score >= o.persistence_min_score || c.accepted) spots.push_back(&c);
  }

  // Punctures across the pair: each BEFORE puncture in the treated region whose mapped
  // position lies in AFTER is looked for there within max(3 px, 1.5 radius) - the
  // evaluator's match radius - pairing nearest first, one to one.
  struct Pair {
    double d;
    size_t b, a;
  };
  std::vector<Pair> pairs;
  std::vector<bool> compared(r.punctures_before.size(), false);
  for (size_t b = 0; b < r.punctures_before.size(); ++b) {
    const Puncture& p = r.punctures_before[b];
    const cv::Point px(int(std::lround(p.x)), int(std::lround(p.y)));
    if (!cv::Rect(cv::Point(0, 0), before_bgr.size()).contains(px) ||
        !r.before.treated_mask.at<uint8_t>(px))
      continue;
    const cv::Point2d m = Map(h, p.x, p.y);
    if (m.x < 0 || m.y < 0 || m.x > after_bgr.cols - 1 || m.y > after_bgr.rows - 1) continue;
    compared[b] = true;
    const double reach = std::max(3.0, 1.5 * p.radius_px);
    for (size_t a = 0; a < spots.size(); ++a) {
      const double d = std::hypot(spots[a]->x - m.x, spots[a]->y - m.y);
      if (d <= reach) pairs.push_back({d, b, a});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    return x.d != y.d ? x.d < y.d : (x.b != y.b ? x.b < y.b : x.a < y.a);
  });
  std::vector<bool> used_b(r.punctures_before.size(), false), used_a(spots.size(), false);
  for (const Pair& p : pairs) {
    if (used_b[p.b] || used_a[p.a]) continue;
    used_b[p.b] = used_a[p.a] = true;
    ++r.persisting;
  }
  r.compared = int(std::count(compared.begin(), compared.end(), true));
  if (r.compared > 0) r.puncture_persistence = double(r.persisting) / r.compared;
  for (size_t a = 0; a < spots.size(); ++a) {
    const cv::Point px(int(std::lround(spots[a]->x)), int(std::lround(spots[a]->y)));
    if (spots[a]->accepted && !used_a[a] &&
        cv::Rect(cv::Point(0, 0), after_bgr.size()).contains(px) &&
        r.after.treated_mask.at<uint8_t>(px)) {
      ++r.new_punctures;
    }
  }

  // Healing score: how much of the excess redness has gone and how many punctures have
  // closed, equally weighted (docs/compare.md).
  const double resolved = std::clamp(r.redness_resolution, 0.0, 1.0);
  const double closed = r.puncture_persistence ? 1 - *r.puncture_persistence : resolved;
  r.score = 100 * (0.5 * resolved + 0.5 * std::clamp(closed, 0.0, 1.0));

  cv::warpPerspective(after_bgr, r.after_aligned, cv::Mat(h), before_bgr.size(),
                      cv::INTER_LINEAR | cv::WARP_INVERSE_MAP);
  return r;
}

}  // namespace needlescope::healing
