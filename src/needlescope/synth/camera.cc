#include "needlescope/synth/camera.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/synth/optics.h"

namespace needlescope::synth {

CameraTruth DrawCamera(cv::RNG& rng, int jpeg_quality) {
  CameraTruth camera;
  // A cast of up to about +-12 % per channel (tungsten-ish to shade-ish), green fixed.
  const double warmth = rng.uniform(-0.12, 0.12);
  camera.wb_gain[0] = 1.0 - warmth + rng.uniform(-0.03, 0.03);  // blue
  camera.wb_gain[1] = 1.0;
  camera.wb_gain[2] = 1.0 + warmth + rng.uniform(-0.03, 0.03);  // red
  camera.exposure = rng.uniform(0.85, 1.15);
  camera.blur_sigma_px = rng.uniform(0.5, 1.0);
  camera.noise_read = rng.uniform(0.002, 0.006);   // sd in linear units
  camera.noise_shot = rng.uniform(0.0004, 0.0015);  // variance per unit signal
  camera.jpeg_quality = jpeg_quality > 0 ? jpeg_quality : rng.uniform(70, 96);
  return camera;
}

Lighting DrawLighting(cv::RNG& rng) {
  Lighting light;
  light.gradient_x = rng.uniform(-0.35, 0.35);
  light.gradient_y = rng.uniform(-0.35, 0.35);
  light.curvature = rng.uniform(0.0, 0.2);
  light.vignetting = rng.uniform(0.05, 0.3);
  return light;
}

cv::Mat Photograph(const cv::Mat& reflectance, const CameraTruth& camera, const Lighting& light,
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
      const double illumination = camera.exposure *
                                  (1.0 + light.gradient_x * u + light.gradient_y * v) *
                                  (1.0 - light.curvature * rr * rr) *
                                  (1.0 - light.vignetting * rr * rr * rr * rr);
      for (int c = 0; c < 3; ++c) dst[x][c] = float(src[x][c] * illumination * camera.wb_gain[c]);
    }
  }
  if (camera.blur_sigma_px > 0) {  // 0 = a perfect lens (OpenCV refuses sigma 0 with no size)
    cv::GaussianBlur(radiance, radiance, cv::Size(), camera.blur_sigma_px, 0, cv::BORDER_REFLECT101);
  }

  cv::Mat noise(radiance.size(), CV_32FC3);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  for (int y = 0; y < h; ++y) {
    cv::Vec3f* p = radiance.ptr<cv::Vec3f>(y);
    const cv::Vec3f* n = noise.ptr<cv::Vec3f>(y);
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        const double signal = std::max(0.0f, p[x][c]);
        const double sd = std::sqrt(camera.noise_read * camera.noise_read + camera.noise_shot * signal);
        p[x][c] = float(signal + sd * n[x][c]);
      }
    }
  }
  EncodeSrgb(radiance);
  cv::Mat out;
  radiance.convertTo(out, CV_8UC3, 255.0);
  return out;
}

}  // namespace needlescope::synth
