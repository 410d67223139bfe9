#include "needlescope/qc/pooled_blood.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace needlescope::qc {
namespace {

double Quantile(std::vector<double> v, double q) {
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * v.size()));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

}  // namespace

PooledBlood MeasurePooledBlood(const cv::Mat& delta_hemoglobin, const std::vector<Puncture>& punctures) {
  PooledBlood out;
  if (delta_hemoglobin.empty() || delta_hemoglobin.type() != CV_32F || punctures.size() < 5) return out;
  std::vector<double> at_centres, radii;
  for (const Puncture& p : punctures) {
    const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
    if (x < 0 || y < 0 || x >= delta_hemoglobin.cols || y >= delta_hemoglobin.rows) continue;
    const float v = delta_hemoglobin.at<float>(y, x);
    if (std::isnan(v)) continue;
    at_centres.push_back(v);
    radii.push_back(p.radius_px);
  }
  if (at_centres.size() < 5) return out;
  out.measured = true;
  out.blood_level = Quantile(at_centres, 0.9);
  const double r = Quantile(radii, 0.5);
  out.puncture_area_px = CV_PI * r * r;
  cv::Mat bloody = delta_hemoglobin >= out.blood_level;  // NaN compares false: off skin is never blood
  // Opening by a disc three punctures wide: punctures, and chains of them merged by blur or
  // crowding, vanish; a solid pool stays.
  const int reach = std::max(2, static_cast<int>(std::lround(3 * r)));
  cv::morphologyEx(bloody, bloody, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * reach + 1, 2 * reach + 1)));
  // Usually nothing survives (no pool): then there is nothing to label, and the labels'
  // full-size plane (48 MB at 24 MP, at the analysis's peak) is never made.
  if (cv::countNonZero(bloody) == 0) return out;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(bloody, labels, stats, centroids, 8, CV_16U);  // few areas survive the opening; half the label memory of CV_32S
  for (int label = 1; label < n; ++label) {
    const double area = stats.at<int>(label, cv::CC_STAT_AREA);
    if (area <= out.largest_area_px) continue;
    out.largest_area_px = area;
    out.largest_centre = {centroids.at<double>(label, 0), centroids.at<double>(label, 1)};
  }
  return out;
}

}  // namespace needlescope::qc
