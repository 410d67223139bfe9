#include "needlescope/color/calibration.h"

#include <cmath>
#include <stdexcept>

#include "needlescope/color/color_maps.h"
#include "needlescope/color/srgb.h"

namespace needlescope::color {
namespace {

// Orthonormal basis of the plane orthogonal to the shading direction (1, 1, 1).
const cv::Vec3d kE1(1 / std::sqrt(2.0), -1 / std::sqrt(2.0), 0);
const cv::Vec3d kE2(1 / std::sqrt(6.0), 1 / std::sqrt(6.0), -2 / std::sqrt(6.0));

cv::Vec2d ToPlane(const Rgb& v) {
  const cv::Vec3d x(v[0], v[1], v[2]);
  return {x.dot(kE1), x.dot(kE2)};
}

// Back to OD space; the (1, 1, 1) part is arbitrary (it goes to shading): the prior's.
Rgb FromPlane(cv::Vec2d p, const Rgb& prior) {
  const cv::Vec3d x = p[0] * kE1 + p[1] * kE2;
  const double grey = (prior[0] + prior[1] + prior[2]) / 3.0;
  return {x[0] + grey, x[1] + grey, x[2] + grey};
}

double AngleDeg(cv::Vec2d a, cv::Vec2d b) {
  const double c = a.dot(b) / (cv::norm(a) * cv::norm(b));
  return std::acos(std::clamp(c, -1.0, 1.0)) * 180.0 / CV_PI;
}

double UndirectedAngleDeg(cv::Vec2d a, cv::Vec2d b) { return std::min(AngleDeg(a, b), AngleDeg(-a, b)); }

// Summed log-cosh negentropy of the two components at rotation theta.
double Negentropy(const std::vector<cv::Vec2d>& white, double theta) {
  constexpr double kGaussianLogCosh = 0.3745672075;  // E[log cosh v], v ~ N(0, 1)
  const double c = std::cos(theta), s = std::sin(theta);
  double sum1 = 0, sum2 = 0;
  for (const cv::Vec2d& w : white) {
    sum1 += std::log(std::cosh(c * w[0] + s * w[1]));
    sum2 += std::log(std::cosh(-s * w[0] + c * w[1]));
  }
  const double d1 = sum1 / white.size() - kGaussianLogCosh, d2 = sum2 / white.size() - kGaussianLogCosh;
  return d1 * d1 + d2 * d2;
}

}  // namespace

std::vector<cv::Vec2d> CalibrationSamples(const cv::Mat& bgr, const cv::Mat& skin, int max_samples) {
  const auto& od_of_code = OpticalDensityTable();
  const int stride = std::max(1, int(std::ceil(std::sqrt(double(bgr.total()) / max_samples))));
  std::vector<cv::Vec2d> samples;
  cv::Vec2d mean(0, 0);
  for (int y = stride / 2; y < bgr.rows; y += stride) {
    for (int x = stride / 2; x < bgr.cols; x += stride) {
      if (!skin.at<std::uint8_t>(y, x)) continue;
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      const cv::Vec3d od(od_of_code[p[2]], od_of_code[p[1]], od_of_code[p[0]]);
      samples.emplace_back(od.dot(kE1), od.dot(kE2));
      mean += samples.back();
    }
  }
  if (samples.empty()) return samples;
  mean *= 1.0 / samples.size();
  for (cv::Vec2d& s : samples) s -= mean;
  return samples;
}

Calibration Calibrate(const std::vector<cv::Vec2d>& samples, const ChromophoreVectors& prior) {
  if (samples.size() < 10000) {
    throw std::runtime_error("too few skin samples to calibrate (" + std::to_string(samples.size()) +
                             "; at least 10000)");
  }
  cv::Matx22d cov = cv::Matx22d::zeros();
  for (const cv::Vec2d& p : samples) cov += cv::Matx22d(p[0] * p[0], p[0] * p[1], p[1] * p[0], p[1] * p[1]);
  cov *= 1.0 / samples.size();
  cv::Mat eigenvalues, eigenvectors;
  cv::eigen(cv::Mat(cov), eigenvalues, eigenvectors);
  if (eigenvalues.at<double>(1) <= 1e-14) throw std::runtime_error("skin colour varies in one direction only");
  cv::Matx22d whiten;
  for (int r = 0; r < 2; ++r) {
    const double scale = 1.0 / std::sqrt(eigenvalues.at<double>(r));
    whiten(r, 0) = eigenvectors.at<double>(r, 0) * scale;
    whiten(r, 1) = eigenvectors.at<double>(r, 1) * scale;
  }
  std::vector<cv::Vec2d> white(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) white[i] = whiten * samples[i];

  // 90 degrees of rotation cover every solution up to order and sign.
  double best = -1, theta = 0;
  for (int step = 0; step < 90; ++step) {
    const double t = step * CV_PI / 180.0, j = Negentropy(white, t);
    if (j > best) best = j, theta = t;
  }
  const double coarse = theta;
  for (int step = -20; step <= 20; ++step) {
    const double t = coarse + step * 0.05 * CV_PI / 180.0, j = Negentropy(white, t);
    if (j > best) best = j, theta = t;
  }
  const double c = std::cos(theta), s = std::sin(theta);
  const cv::Matx22d mixing = (cv::Matx22d(c, s, -s, c) * whiten).inv();
  const cv::Vec2d d[2] = {{mixing(0, 0), mixing(1, 0)}, {mixing(0, 1), mixing(1, 1)}};

  const cv::Vec2d prior_h = ToPlane(prior.hemoglobin), prior_m = ToPlane(prior.melanin);
  const int h = UndirectedAngleDeg(d[0], prior_h) <= UndirectedAngleDeg(d[1], prior_h) ? 0 : 1;
  cv::Vec2d dh = d[h].dot(prior_h) < 0 ? -d[h] : d[h];
  cv::Vec2d dm = d[1 - h].dot(prior_m) < 0 ? -d[1 - h] : d[1 - h];
  dh *= cv::norm(prior_h) / cv::norm(dh);
  dm *= cv::norm(prior_m) / cv::norm(dm);

  Calibration calibration;
  calibration.samples = samples.size();
  calibration.negentropy = best;
  calibration.hemoglobin_angle_to_prior_deg = AngleDeg(dh, prior_h);
  calibration.melanin_angle_to_prior_deg = AngleDeg(dm, prior_m);
  calibration.separation_deg = UndirectedAngleDeg(dh, dm);
  if (calibration.separation_deg < 15) {
    throw std::runtime_error("the two estimated directions are within 15 degrees of each other");
  }
  if (calibration.hemoglobin_angle_to_prior_deg > 45) {
    throw std::runtime_error("estimated hemoglobin direction is more than 45 degrees from the literature's");
  }
  calibration.vectors = {FromPlane(dm, prior.melanin), FromPlane(dh, prior.hemoglobin), "calibrated"};
  return calibration;
}

}  // namespace needlescope::color
