#include "needlescope/redness/puncture_region.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <opencv2/imgproc.hpp>

namespace needlescope::redness {
namespace {

constexpr int kReduction = 4;  // grid cell, px

// Median distance from each point to its nearest neighbour, by a bucket grid of `cell` px
// searched ring by ring (exact: a ring is searched until no closer point can lie beyond).
double MedianNearestNeighbour(const std::vector<cv::Point2d>& p, cv::Size size) {
  const double cell = 16;
  const int gw = int(size.width / cell) + 1, gh = int(size.height / cell) + 1;
  std::vector<std::vector<int>> grid(size_t(gw) * gh);
  auto bucket = [&](const cv::Point2d& q) {
    return cv::Point(std::clamp(int(q.x / cell), 0, gw - 1), std::clamp(int(q.y / cell), 0, gh - 1));
  };
  for (size_t i = 0; i < p.size(); ++i) {
    const cv::Point b = bucket(p[i]);
    grid[size_t(b.y) * gw + b.x].push_back(int(i));
  }
  std::vector<double> nearest(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    const cv::Point b = bucket(p[i]);
    double best = 1e300;
    for (int ring = 0; ring < std::max(gw, gh); ++ring) {
      for (int y = b.y - ring; y <= b.y + ring; ++y) {
        for (int x = b.x - ring; x <= b.x + ring; ++x) {
          if (std::max(std::abs(x - b.x), std::abs(y - b.y)) != ring) continue;
          if (x < 0 || y < 0 || x >= gw || y >= gh) continue;
          for (int j : grid[size_t(y) * gw + x]) {
            if (j != int(i)) best = std::min(best, cv::norm(p[size_t(j)] - p[i]));
          }
        }
      }
      if (best <= ring * cell) break;  // any point in a farther ring is at least ring * cell away
    }
    nearest[i] = best;
  }
  std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
  return nearest[nearest.size() / 2];
}

}  // namespace

std::string PunctureRegionOptions::Check() const {
  std::ostringstream m;
  if (min_punctures < 3) m << "region.min_punctures = " << min_punctures << ": must be >= 3";
  else if (!(bandwidth_spacings > 0)) m << "region.bandwidth_spacings = " << bandwidth_spacings << ": must be > 0";
  else if (!(level_fraction > 0 && level_fraction < 1))
    m << "region.level_fraction = " << level_fraction << ": must be in (0, 1)";
  else if (!(min_area_fraction >= 0 && min_area_fraction < max_area_fraction && max_area_fraction <= 1))
    m << "region.min_area_fraction, max_area_fraction = " << min_area_fraction << ", " << max_area_fraction
      << ": must satisfy 0 <= min < max <= 1";
  else if (min_candidate_score && !(*min_candidate_score >= 0 && *min_candidate_score <= 1))
    m << "region.min_candidate_score = " << *min_candidate_score << ": must be in [0, 1]";
  return m.str();
}

std::vector<cv::Point2d> RegionPoints(const std::vector<detect::Candidate>& candidates, bool classifier_scored,
                                      const PunctureRegionOptions& o) {
  const bool by_score = classifier_scored && o.min_candidate_score.has_value();
  std::vector<cv::Point2d> points;
  for (const detect::Candidate& c : candidates) {
    if (by_score ? c.score >= *o.min_candidate_score : c.accepted) points.emplace_back(c.x, c.y);
  }
  return points;
}

PunctureRegion TreatedRegionFromPunctures(const std::vector<cv::Point2d>& punctures, cv::Size size,
                                          const PunctureRegionOptions& o) {
  PunctureRegion region;
  if (int(punctures.size()) < o.min_punctures) {
    region.reason = std::to_string(punctures.size()) + " punctures, fewer than " + std::to_string(o.min_punctures);
    return region;
  }
  region.spacing_px = MedianNearestNeighbour(punctures, size);
  const cv::Size grid_size(size.width / kReduction + 1, size.height / kReduction + 1);
  cv::Mat density = cv::Mat::zeros(grid_size, CV_32F);
  std::vector<cv::Point> cells;
  for (const cv::Point2d& p : punctures) {
    const cv::Point c(std::clamp(int(p.x / kReduction), 0, grid_size.width - 1),
                      std::clamp(int(p.y / kReduction), 0, grid_size.height - 1));
    density.at<float>(c) += 1.0f;
    cells.push_back(c);
  }
  const double sigma = std::max(2.0, o.bandwidth_spacings * region.spacing_px / kReduction);
  cv::GaussianBlur(density, density, cv::Size(), sigma, sigma, cv::BORDER_REFLECT);
  std::vector<float> at_punctures;
  for (const cv::Point& c : cells) at_punctures.push_back(density.at<float>(c));
  std::nth_element(at_punctures.begin(), at_punctures.begin() + at_punctures.size() / 2, at_punctures.end());
  const double level = o.level_fraction * at_punctures[at_punctures.size() / 2];

  cv::Mat inside = density >= level;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(inside, labels, stats, centroids, 8, CV_32S);
  int largest = 0;
  for (int k = 1; k < n; ++k) {
    if (largest == 0 || stats.at<int>(k, cv::CC_STAT_AREA) > stats.at<int>(largest, cv::CC_STAT_AREA)) largest = k;
  }
  if (largest == 0) {
    region.reason = "no area dense enough";
    return region;
  }
  cv::Mat part = labels == largest;
  // Holes filled: flood the outside from a border added around it; what is not reached is
  // the part or enclosed by it.
  cv::Mat padded;
  cv::copyMakeBorder(part, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::floodFill(padded, cv::Point(0, 0), 128);
  cv::Mat filled = padded(cv::Rect(1, 1, part.cols, part.rows)) != 128;
  cv::Mat full;
  cv::resize(filled, full, cv::Size(grid_size.width * kReduction, grid_size.height * kReduction), 0, 0,
             cv::INTER_NEAREST);
  region.mask = full(cv::Rect(0, 0, size.width, size.height)).clone();
  region.area_fraction = double(cv::countNonZero(region.mask)) / double(size.area());
  std::ostringstream how;
  how << "from the density of " << punctures.size() << " punctures (spacing " << std::round(region.spacing_px * 10) / 10
      << " px, covering " << std::round(region.area_fraction * 1000) / 10 << " % of the image)";
  region.reason = how.str();
  if (region.area_fraction < o.min_area_fraction || region.area_fraction > o.max_area_fraction) {
    region.reason += ": outside the accepted " + std::to_string(int(o.min_area_fraction * 100)) + "-" +
                     std::to_string(int(o.max_area_fraction * 100)) + " %";
    region.mask.release();
  }
  return region;
}

RednessResult WithPunctureRegion(const cv::Mat& bgr, const RednessOptions& options, RednessResult measured,
                                 const std::vector<cv::Point2d>& punctures,
                                 const PunctureRegionOptions& region_options, std::string* cue) {
  const PunctureRegion from_punctures = TreatedRegionFromPunctures(punctures, bgr.size(), region_options);
  if (from_punctures.mask.empty()) {
    *cue = "hemoglobin (no region from the punctures: " + from_punctures.reason + ")";
    return measured;
  }
  double agreement = 0;
  if (measured.treated_found) {
    const cv::Mat& a = measured.treated_mask;  // on skin only; the punctures' region is too, nearly
    const cv::Mat& b = from_punctures.mask;
    const double overlap = cv::countNonZero(a & b), either = cv::countNonZero(a | b);
    agreement = either > 0 ? overlap / either : 0;
    if (agreement >= kMinRegionAgreement) {
      std::ostringstream why;
      why << "hemoglobin (the punctures' region agrees: IoU " << std::round(agreement * 100) / 100 << ")";
      *cue = why.str();
      return measured;
    }
  }
  RednessOptions again = options;
  again.roi = Region{{}, from_punctures.mask, "estimated from the punctures' density"};
  try {
    RednessResult remeasured = MeasureRedness(bgr, again);
    std::ostringstream why;
    why << "punctures " << from_punctures.reason << "; the hemoglobin estimate ";
    if (measured.treated_found) why << "overlapped it by IoU " << std::round(agreement * 100) / 100;
    else why << "found none: " << measured.roi_source;
    *cue = why.str();
    return remeasured;
  } catch (const RegionError& e) {  // e.g. too little skin in it: keep what was measured
    *cue = std::string("hemoglobin (the punctures' region could not be measured: ") + e.what() + ")";
    return measured;
  }
}

}  // namespace needlescope::redness
