#include "needlescope/validate/stain_at.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace needlescope::validate {

double StainContrastAt(const cv::Mat& bgr, cv::Point2d place, double r, const color::Rgb& w) {
  CV_Assert(bgr.type() == CV_8UC3);
  const double outer = 2.5 * r + 1, inner = r + 1;
  const int x0 = static_cast<int>(std::floor(place.x - outer)), x1 = static_cast<int>(std::ceil(place.x + outer));
  const int y0 = static_cast<int>(std::floor(place.y - outer)), y1 = static_cast<int>(std::ceil(place.y + outer));
  if (x0 < 0 || y0 < 0 || x1 >= bgr.cols || y1 >= bgr.rows) return 0;
  double spot_sum = 0;
  int spot_n = 0;
  std::vector<double> ring;
  for (int y = y0; y <= y1; ++y) {
    const cv::Vec3b* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = x0; x <= x1; ++x) {
      const double d = std::hypot(x - place.x, y - place.y);
      if (d > outer || (d > r && d < inner)) continue;
      double value = 0;  // Σ w_c · OD_c, OD = -log10(code / 255) with code >= 1; w is R, G, B
      for (int c = 0; c < 3; ++c) value += w[c] * -std::log10(std::max<int>(row[x][2 - c], 1) / 255.0);
      if (d <= r) {
        spot_sum += value;
        ++spot_n;
      } else {
        ring.push_back(value);
      }
    }
  }
  if (spot_n == 0 || ring.empty()) return 0;
  std::nth_element(ring.begin(), ring.begin() + ring.size() / 2, ring.end());
  return spot_sum / spot_n - ring[ring.size() / 2];
}

PlaceCheck MakePlaceTest(const cv::Mat& bgr, const std::vector<Puncture>& detected, const color::Rgb& weights,
                         double fraction) {
  if (detected.empty() || !(fraction > 0)) return {};
  std::vector<double> radii, contrasts;
  for (const Puncture& p : detected) radii.push_back(p.radius_px);
  std::nth_element(radii.begin(), radii.begin() + radii.size() / 2, radii.end());
  const double radius = radii[radii.size() / 2];
  for (const Puncture& p : detected) contrasts.push_back(StainContrastAt(bgr, {p.x, p.y}, radius, weights));
  std::nth_element(contrasts.begin(), contrasts.begin() + contrasts.size() / 2, contrasts.end());
  const double typical = contrasts[contrasts.size() / 2];
  if (!(typical > 0)) return {};
  return [&bgr, radius, weights, threshold = fraction * typical](const cv::Point2d& place) {
    return StainContrastAt(bgr, place, radius, weights) >= threshold;
  };
}

}  // namespace needlescope::validate
