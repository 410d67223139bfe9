#include "needlescope/synth/optics.h"

#include <algorithm>
#include <cmath>

namespace needlescope::synth {

cv::Vec2d MelaninRange(int skin_type) {
  static const cv::Vec2d kRanges[6] = {{0.10, 0.20}, {0.25, 0.35}, {0.42, 0.58},
                                       {0.68, 0.85}, {0.95, 1.15}, {1.30, 1.60}};
  return kRanges[std::clamp(skin_type, 1, 6) - 1];
}

cv::Mat Reflectance(const ChromophoreMaps& maps, const OdVector& baseline, const Spectra& spectra) {
  const OdVector& m = spectra.melanin;
  const OdVector& h = spectra.hemoglobin;
  const OdVector& st = spectra.stain;
  cv::Mat out(maps.melanin.size(), CV_32FC3);
  const double ln10 = std::log(10.0);
  for (int y = 0; y < out.rows; ++y) {
    const float* mel = maps.melanin.ptr<float>(y);
    const float* hb = maps.hemoglobin.ptr<float>(y);
    const float* stn = maps.stain.ptr<float>(y);
    const float* sh = maps.shade.ptr<float>(y);
    cv::Vec3f* dst = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < out.cols; ++x) {
      const double od_r = mel[x] * m.r + hb[x] * h.r + stn[x] * st.r + baseline.r;
      const double od_g = mel[x] * m.g + hb[x] * h.g + stn[x] * st.g + baseline.g;
      const double od_b = mel[x] * m.b + hb[x] * h.b + stn[x] * st.b + baseline.b;
      dst[x] = cv::Vec3f(float(sh[x] * std::exp(-ln10 * od_b)), float(sh[x] * std::exp(-ln10 * od_g)),
                         float(sh[x] * std::exp(-ln10 * od_r)));
    }
  }
  return out;
}

void EncodeSrgb(cv::Mat& linear) {
  CV_Assert(linear.depth() == CV_32F);
  float* p = linear.ptr<float>();
  const size_t n = linear.total() * linear.channels();
  CV_Assert(linear.isContinuous());
  for (size_t i = 0; i < n; ++i) {
    const double v = std::clamp<double>(p[i], 0.0, 1.0);
    p[i] = float(v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055);
  }
}

}  // namespace needlescope::synth
