#include "needlescope/synth/camera.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <opencv2/imgproc.hpp>

#include "needlescope/synth/optics.h"

namespace needlescope::synth {

CameraTruth DrawCamera(cv::RNG& rng, int jpeg_quality, const FamilyModel& family) {
  CameraTruth camera;
  // A cast of up to about +-12 % per channel (tungsten-ish to shade-ish), green fixed.
  const double warmth = rng.uniform(-0.12, 0.12);
  camera.wb_gain[0] = 1.0 - warmth + rng.uniform(-0.03, 0.03);  // blue
  camera.wb_gain[1] = 1.0;
  camera.wb_gain[2] = 1.0 + warmth + rng.uniform(-0.03, 0.03);  // red
  camera.exposure = rng.uniform(0.85, 1.15);
  camera.blur_sigma_px = rng.uniform(0.5, 1.0);
  camera.noise_read = rng.uniform(0.002, 0.006) * family.noise_gain;   // sd in linear units
  camera.noise_shot = rng.uniform(0.0004, 0.0015) * family.noise_gain * family.noise_gain;  // variance per unit signal
  camera.jpeg_quality = jpeg_quality > 0 ? jpeg_quality : rng.uniform(family.quality_min, family.quality_max + 1);
  // The families' own lens, sensor and file (drawn after A's, which stay as they were).
  switch (family.blur) {
    case LensBlur::kGaussian: break;
    case LensBlur::kDefocusDisc:
      camera.lens = "defocus";
      camera.defocus_radius_px = rng.uniform(0.8, 1.8);
      camera.blur_sigma_px = 0.4;  // the rest of the lens, with the disc
      break;
    case LensBlur::kMotion:
      camera.lens = "motion";
      camera.motion_length_px = rng.uniform(2.0, 5.0);
      camera.motion_angle_deg = rng.uniform(0.0, 180.0);
      camera.blur_sigma_px = 0.5;
      break;
  }
  camera.bayer = family.bayer;
  camera.jpeg_444 = family.jpeg_444;
  if (family.double_compression) camera.jpeg_first_quality = rng.uniform(80, 96);
  camera.lighting = family.lighting == LightKind::kFlash           ? "flash"
                    : family.lighting == LightKind::kCrossPolarised ? "cross-polarised"
                                                                     : "diffuse";
  return camera;
}

double EquivalentBlurSigma(const CameraTruth& camera) {
  const double s2 = camera.blur_sigma_px * camera.blur_sigma_px +
                    camera.defocus_radius_px * camera.defocus_radius_px / 4 +
                    camera.motion_length_px * camera.motion_length_px / 12;
  return std::sqrt(s2);
}

Lighting DrawLighting(cv::RNG& rng, const FamilyModel& family) {
  Lighting light;
  const double gradient = family.lighting == LightKind::kCrossPolarised ? 0.5 : 0.35;
  light.gradient_x = rng.uniform(-gradient, gradient);
  light.gradient_y = rng.uniform(-gradient, gradient);
  light.curvature = rng.uniform(0.0, 0.2);
  light.vignetting = rng.uniform(0.05, 0.3);
  if (family.lighting == LightKind::kFlash) {
    light.hotspot_gain = rng.uniform(0.3, 0.9);
    light.hotspot_x = rng.uniform(0.3, 0.7);
    light.hotspot_y = rng.uniform(0.3, 0.7);
    light.hotspot_sigma = rng.uniform(0.2, 0.4);
  }
  return light;
}

namespace {

// The lens: a Gaussian, or a defocus disc or a motion streak followed by a small Gaussian.
void Blur(cv::Mat& radiance, const CameraTruth& camera) {
  if (camera.defocus_radius_px > 0) {
    const int r = int(std::ceil(camera.defocus_radius_px));
    cv::Mat disc(2 * r + 1, 2 * r + 1, CV_32F);
    for (int y = -r; y <= r; ++y) {
      for (int x = -r; x <= r; ++x) {  // soft edge: coverage of the disc, 1 px wide ramp
        disc.at<float>(y + r, x + r) =
            float(std::clamp(camera.defocus_radius_px + 0.5 - std::hypot(x, y), 0.0, 1.0));
      }
    }
    disc /= cv::sum(disc)[0];
    cv::filter2D(radiance, radiance, -1, disc, cv::Point(-1, -1), 0, cv::BORDER_REFLECT101);
  }
  if (camera.motion_length_px > 0) {
    const int r = int(std::ceil(camera.motion_length_px / 2)) + 1;
    cv::Mat streak = cv::Mat::zeros(2 * r + 1, 2 * r + 1, CV_32F);
    const double a = camera.motion_angle_deg * CV_PI / 180, half = camera.motion_length_px / 2;
    const int steps = 64;
    for (int k = 0; k <= steps; ++k) {  // the streak sampled finely, bilinear into the kernel
      const double t = -half + 2 * half * k / steps;
      const double x = r + t * std::cos(a), y = r + t * std::sin(a);
      const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
      const double fx = x - x0, fy = y - y0;
      streak.at<float>(y0, x0) += float((1 - fx) * (1 - fy));
      streak.at<float>(y0, x0 + 1) += float(fx * (1 - fy));
      streak.at<float>(y0 + 1, x0) += float((1 - fx) * fy);
      streak.at<float>(y0 + 1, x0 + 1) += float(fx * fy);
    }
    streak /= cv::sum(streak)[0];
    cv::filter2D(radiance, radiance, -1, streak, cv::Point(-1, -1), 0, cv::BORDER_REFLECT101);
  }
  if (camera.blur_sigma_px > 0) {  // 0 = a perfect lens (OpenCV refuses sigma 0 with no size)
    cv::GaussianBlur(radiance, radiance, cv::Size(), camera.blur_sigma_px, 0, cv::BORDER_REFLECT101);
  }
}

double NoiseSd(const CameraTruth& camera, double signal) {
  return std::sqrt(camera.noise_read * camera.noise_read + camera.noise_shot * std::max(0.0, signal));
}

// A Bayer sensor (RGGB): each pixel measures one channel, with its noise; the other two are
// interpolated (OpenCV's bilinear demosaicing, on 16-bit linear values).
void BayerNoiseAndDemosaic(cv::Mat& radiance, const CameraTruth& camera, cv::RNG& rng) {
  const int w = radiance.cols, h = radiance.rows;
  cv::Mat noise(radiance.size(), CV_32F), mosaic(radiance.size(), CV_16U);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  for (int y = 0; y < h; ++y) {
    const cv::Vec3f* p = radiance.ptr<cv::Vec3f>(y);
    std::uint16_t* m = mosaic.ptr<std::uint16_t>(y);
    for (int x = 0; x < w; ++x) {
      const int c = (y % 2 == 0) ? (x % 2 == 0 ? 2 : 1) : (x % 2 == 0 ? 1 : 0);  // R G / G B
      const double signal = std::max(0.0f, p[x][c]);
      const double v = signal + NoiseSd(camera, signal) * noise.at<float>(y, x);
      m[x] = std::uint16_t(std::lround(std::clamp(v, 0.0, 1.0) * 65535));
    }
  }
  cv::Mat bgr16;
  cv::demosaicing(mosaic, bgr16, cv::COLOR_BayerBG2BGR);  // R at (0, 0): OpenCV's "BG"
  bgr16.convertTo(radiance, CV_32FC3, 1.0 / 65535);
}

}  // namespace

cv::Mat PhotographSrgb(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
                       cv::RNG& rng) {
  const int w = reflectance.cols, h = reflectance.rows;
  const double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, r_corner = std::hypot(cx, cy);
  cv::Mat radiance(reflectance.size(), CV_32FC3);
  for (int y = 0; y < h; ++y) {
    const cv::Vec3f* src = reflectance.ptr<cv::Vec3f>(y);
    cv::Vec3f* dst = radiance.ptr<cv::Vec3f>(y);
    for (int x = 0; x < w; ++x) {
      const double u = (x - cx) / w, v = (y - cy) / h;
      const double rr = std::hypot(x - cx, y - cy) / r_corner;
      double illumination = camera.exposure *
                            (1.0 + light.gradient_x * u + light.gradient_y * v) *
                            (1.0 - light.curvature * rr * rr) *
                            (1.0 - light.vignetting * rr * rr * rr * rr);
      if (light.hotspot_gain > 0) {
        const double hx = double(x) / w - light.hotspot_x, hy = double(y) / h - light.hotspot_y;
        illumination *= 1.0 + light.hotspot_gain *
                                  std::exp(-(hx * hx + hy * hy) / (2 * light.hotspot_sigma * light.hotspot_sigma));
      }
      for (int c = 0; c < 3; ++c) dst[x][c] = float(src[x][c] * illumination * camera.wb_gain[c]);
    }
  }
  Blur(radiance, camera);
  if (camera.bayer) {
    BayerNoiseAndDemosaic(radiance, camera, rng);
  } else {
    cv::Mat noise(radiance.size(), CV_32FC3);
    rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
    for (int y = 0; y < h; ++y) {
      cv::Vec3f* p = radiance.ptr<cv::Vec3f>(y);
      const cv::Vec3f* n = noise.ptr<cv::Vec3f>(y);
      for (int x = 0; x < w; ++x) {
        for (int c = 0; c < 3; ++c) {
          const double signal = std::max(0.0f, p[x][c]);
          p[x][c] = float(signal + NoiseSd(camera, signal) * n[x][c]);
        }
      }
    }
  }
  EncodeSrgb(radiance);
  return radiance;
}

cv::Mat Photograph(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
                   cv::RNG& rng) {
  cv::Mat out;
  PhotographSrgb(reflectance, camera, light, rng).convertTo(out, CV_8UC3, 255.0);
  return out;
}

}  // namespace needlescope::synth
