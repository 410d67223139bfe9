#include "needlescope/detect/candidate_context.h"

#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "needlescope/detect/point_grid.h"
#include "needlescope/detect/puncture_classifier.h"
#include "needlescope/tiling/cancellation.h"

namespace needlescope::detect {

cv::Mat ContextFeatureMatrix(const std::vector<Candidate>& candidates, const std::vector<double>& stage1_scores) {
  CV_Assert(candidates.size() == stage1_scores.size());
  constexpr double kSame = 4, kLocal = 12, kWide = 30, kField = 60;
  const int base = int(kCandidateFeatureNames.size());
  cv::Mat features(int(candidates.size()), base + int(kContextFeatureNames.size()), CV_32F);
  if (candidates.empty()) return features;
  CandidateFeatureMatrix(candidates).copyTo(features.colRange(0, base));
  // The bounded grid: the same cells and visiting order as PointGrid (so the same sums),
  // without a hash lookup per cell visited.
  double x0 = candidates[0].x, y0 = candidates[0].y, x1 = x0, y1 = y0;
  for (const Candidate& c : candidates) {
    x0 = std::min(x0, c.x), x1 = std::max(x1, c.x);
    y0 = std::min(y0, c.y), y1 = std::max(y1, c.y);
  }
  BoundedPointGrid grid(kField, x0, y0, x1, y1, int(candidates.size()));
  for (size_t i = 0; i < candidates.size(); ++i) grid.Add(int(i), candidates[i].x, candidates[i].y);
  tbb::parallel_for(size_t(0), candidates.size(), [&](size_t i) {
    const Candidate& c = candidates[i];
    double best_same = 0, sum_local = 0, sum_wide = 0, sum_field = 0, response_local = 0;
    int local = 0, field = 0;
    double stronger_d_squared = kLocal * kLocal, stronger_score = 0;
    int stronger = -1;
    grid.ForEachNear(c.x, c.y, [&](int j) {
      if (size_t(j) == i) return;
      // Squared distances: hundreds of neighbours per candidate, std::hypot for each was
      // most of this function's time.
      const double dx = candidates[j].x - c.x, dy = candidates[j].y - c.y;
      const double d_squared = dx * dx + dy * dy;
      const double s = stage1_scores[size_t(j)];
      if (d_squared >= kField * kField) return;
      sum_field += s;
      ++field;
      if (d_squared >= kWide * kWide) return;
      sum_wide += s;
      if (d_squared >= kLocal * kLocal) return;
      sum_local += s;
      response_local += candidates[j].response;
      ++local;
      if (d_squared < kSame * kSame) best_same = std::max(best_same, s);
      // Stronger: a higher score, ties to the lower index; nearest, ties to the lower index
      // (so the choice does not depend on the order neighbours are visited in).
      const bool is_stronger = s > stage1_scores[i] || (s == stage1_scores[i] && size_t(j) < i);
      if (is_stronger && (d_squared < stronger_d_squared || (d_squared == stronger_d_squared && j < stronger))) {
        stronger_d_squared = d_squared;
        stronger_score = s;
        stronger = j;
      }
    });
    float* row = features.ptr<float>(int(i)) + base;
    row[0] = float(stage1_scores[i]);
    row[1] = float(best_same);
    row[2] = float(sum_local);
    row[3] = float(sum_wide);
    row[4] = float(sum_field);
    row[5] = float(local);
    row[6] = float(field);
    row[7] = float(local > 0 ? c.response / (response_local / local) : 0.0);
    row[8] = float(std::sqrt(stronger_d_squared) / std::max(1.0, c.radius_px));  // as the rings use it
    row[9] = float(stronger_score);
  });
  ThrowIfCancelled();
  return features;
}

}  // namespace needlescope::detect
