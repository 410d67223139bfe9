#include "needlescope/validate/validation.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "needlescope/uniformity/wilson.h"

namespace needlescope::validate {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The stamps' hits re-indexed so that a needle that fails does so under one index in every
// stamp: a stamp's fit fixes its pose only up to the layout's symmetry, so each stamp takes
// the symmetry whose misses agree best with the others' (two passes, in stamp order).
bool AlignToConsensus(const CartridgeLayout& layout, std::vector<StampResult*>& stamps) {
  const size_t m = layout.needles_mm.size(), g = layout.symmetry_permutation.size();
  if (g <= 1 || stamps.empty()) return true;
  std::vector<std::vector<bool>> raw;
  for (StampResult* s : stamps) raw.push_back(s->hit);
  std::vector<size_t> choice(stamps.size(), 0);
  const auto permuted = [&](size_t s, size_t k) {
    std::vector<bool> hit(m);
    for (size_t i = 0; i < m; ++i) hit[static_cast<size_t>(layout.symmetry_permutation[k][i])] = raw[s][i];
    return hit;
  };
  bool resolved = true;
  for (int pass = 0; pass < 2; ++pass) {
    resolved = true;
    for (size_t s = 0; s < stamps.size(); ++s) {
      std::vector<double> misses(m, 0);  // how often each needle misses in the other stamps
      for (size_t o = 0; o < stamps.size(); ++o) {
        if (o == s || (pass == 0 && o > s)) continue;
        const std::vector<bool> hit = permuted(o, choice[o]);
        for (size_t i = 0; i < m; ++i) misses[i] += !hit[i];
      }
      double best = -1, second = -1;
      for (size_t k = 0; k < g; ++k) {
        const std::vector<bool> hit = permuted(s, k);
        double agreement = 0;
        for (size_t i = 0; i < m; ++i) agreement += hit[i] ? 0 : misses[i];
        if (agreement > best) {
          second = best;
          best = agreement;
          choice[s] = k;
        } else {
          second = std::max(second, agreement);
        }
      }
      const bool any_miss = std::count(raw[s].begin(), raw[s].end(), false) > 0;
      if (any_miss && best == second) resolved = false;
    }
  }
  for (size_t s = 0; s < stamps.size(); ++s) {
    stamps[s]->hit = permuted(s, choice[s]);
    const double turn = layout.symmetry_deg[choice[s]];
    stamps[s]->fit.angle_deg = std::fmod(stamps[s]->fit.angle_deg - turn + 720.0, 360.0);
    // Needle positions and matches follow the new index order.
    std::vector<cv::Point2d> needles(m);
    std::vector<int> holes(m);
    for (size_t i = 0; i < m; ++i) {
      needles[static_cast<size_t>(layout.symmetry_permutation[choice[s]][i])] = stamps[s]->fit.needles_px[i];
      holes[static_cast<size_t>(layout.symmetry_permutation[choice[s]][i])] = stamps[s]->fit.hole_of_needle[i];
    }
    stamps[s]->fit.needles_px = needles;
    stamps[s]->fit.hole_of_needle = holes;
  }
  // A miss pattern that every symmetry leaves unchanged (all needles hit, or none) tells the
  // rotations apart no more than it needs to: the rates do not depend on them.
  return resolved;
}

// The holes of each stamp. Holes within link_pitches of each other are one group; but a
// stamp whose missing needles leave a wider gap (a ring with one needle out is two arcs two
// pitches apart) falls into several groups, each fitting the same stamp: groups whose fitted
// centres lie within a pitch of each other are one stamp.
std::vector<std::vector<int>> StampClusters(const std::vector<cv::Point2d>& holes, const CartridgeLayout& layout,
                                            double pitch_px, const ValidateOptions& options, double match_px) {
  std::vector<std::vector<int>> clusters = ClusterHoles(holes, options.link_pitches * pitch_px);
  std::vector<cv::Point2d> centre(clusters.size());
  std::vector<bool> fitted(clusters.size());
  for (size_t i = 0; i < clusters.size(); ++i) {
    if (clusters[i].size() < 3) continue;
    const StampFit fit = FitStamp(holes, clusters[i], layout, pitch_px, options.px_per_mm, match_px);
    fitted[i] = fit.fitted;
    centre[i] = {fit.x, fit.y};
  }
  std::vector<std::vector<int>> merged;
  std::vector<bool> taken(clusters.size());
  for (size_t i = 0; i < clusters.size(); ++i) {
    if (taken[i]) continue;
    std::vector<int> stamp = clusters[i];
    for (size_t j = i + 1; j < clusters.size() && fitted[i]; ++j) {
      if (!taken[j] && fitted[j] && cv::norm(centre[i] - centre[j]) < pitch_px) {
        stamp.insert(stamp.end(), clusters[j].begin(), clusters[j].end());
        taken[j] = true;
      }
    }
    std::sort(stamp.begin(), stamp.end());
    merged.push_back(std::move(stamp));
  }
  return merged;
}

}  // namespace

std::string ValidateOptions::Check() const {
  std::ostringstream e;
  if (!(px_per_mm >= 0) || !std::isfinite(px_per_mm)) e << "px_per_mm = " << px_per_mm << ": must be >= 0";
  else if (!(fail_below > 0 && fail_below <= 1)) e << "fail_below = " << fail_below << ": must be in (0, 1]";
  else if (!(link_pitches > 1 && link_pitches < 10)) e << "link_pitches = " << link_pitches << ": must be in (1, 10)";
  else if (!(match_pitches > 0 && match_pitches < 0.5)) e << "match_pitches = " << match_pitches << ": must be in (0, 0.5)";
  return e.str();
}

ValidationResult Validate(const std::vector<cv::Point2d>& holes, cv::Size image, const CartridgeLayout& layout,
                          const ValidateOptions& options, const PlaceCheck& confirm) {
  ValidationResult r;
  r.holes = static_cast<int>(holes.size());
  const size_t m = layout.needles_mm.size();
  if (holes.size() < 3) {
    r.holes_outside_stamps = r.holes;
    return r;
  }
  r.pitch_px = options.px_per_mm > 0 ? layout.pitch_mm * options.px_per_mm : MedianNearestNeighbour(holes);
  const double match_px = options.match_pitches * r.pitch_px;
  std::vector<double> scales;
  for (const std::vector<int>& cluster : StampClusters(holes, layout, r.pitch_px, options, match_px)) {
    if (cluster.size() < std::max<size_t>(3, m / 4)) {  // a few specks, not a stamp
      r.holes_outside_stamps += static_cast<int>(cluster.size());
      continue;
    }
    StampResult stamp;
    stamp.fit = FitStamp(holes, cluster, layout, r.pitch_px, options.px_per_mm, match_px);
    if (!stamp.fit.fitted) {
      ++r.stamps_unfitted;
      r.holes_outside_stamps += static_cast<int>(cluster.size());
      continue;
    }
    for (size_t n = 0; n < m; ++n) {
      bool hit = stamp.fit.hole_of_needle[n] >= 0;
      if (!hit && confirm && confirm(stamp.fit.needles_px[n])) {
        hit = true;
        ++stamp.confirmed_at_place;
      }
      stamp.hit.push_back(hit);
    }
    const int matched = static_cast<int>(std::count(stamp.hit.begin(), stamp.hit.end(), true));
    const bool cut = std::any_of(stamp.fit.needles_px.begin(), stamp.fit.needles_px.end(), [&](const cv::Point2d& p) {
      return p.x < 0 || p.y < 0 || p.x > image.width - 1 || p.y > image.height - 1;
    });
    if (cut) {
      stamp.excluded = true;
      stamp.excluded_because = "cut by the photo's edge";
      ++r.stamps_cut_by_edge;
    } else if (stamp.fit.unexplained_holes >= std::max<int>(3, static_cast<int>(m) / 5) || 2 * matched < static_cast<int>(m)) {
      stamp.excluded = true;
      stamp.excluded_because = "overlaps another stamp or dye specks: " + std::to_string(stamp.fit.unexplained_holes) +
                               " holes match no needle, " + std::to_string(matched) + " of " + std::to_string(m) +
                               " needles matched";
      ++r.stamps_overlapping;
    } else {
      scales.push_back(stamp.fit.px_per_mm);
    }
    r.holes_outside_stamps += stamp.fit.unexplained_holes * !stamp.excluded;
    r.stamps.push_back(std::move(stamp));
  }
  std::vector<StampResult*> counted;
  for (StampResult& s : r.stamps) {
    if (!s.excluded) counted.push_back(&s);
  }
  r.orientation_resolved = AlignToConsensus(layout, counted);
  r.px_per_mm = options.px_per_mm > 0 ? options.px_per_mm : Median(scales);
  r.scale_from_layout = !(options.px_per_mm > 0);
  for (size_t i = 0; i < m; ++i) {
    NeedleResult n;
    n.index = static_cast<int>(i);
    for (const StampResult* s : counted) n.hits += s->hit[i], ++n.stamps;
    n.rate = n.stamps ? double(n.hits) / n.stamps : 0;
    std::tie(n.ci_low, n.ci_high) = uniformity::WilsonInterval(n.hits, n.stamps);
    n.failing = n.stamps > 0 && n.ci_high < options.fail_below;
    r.hits += n.hits;
    r.trials += n.stamps;
    r.needles.push_back(n);
  }
  r.rate = r.trials ? double(r.hits) / r.trials : 0;
  std::tie(r.ci_low, r.ci_high) = uniformity::WilsonInterval(r.hits, r.trials);
  return r;
}

}  // namespace needlescope::validate
