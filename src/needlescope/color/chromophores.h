#pragma once

// Melanin / hemoglobin separation in camera optical density (OD) space.
//
// Model (Tsumura, Haneishi & Miyake, JOSA A 16(9), 1999; Tsumura et al., ACM TOG 22(3), 2003):
//   OD = -log10(linear RGB) = c_mel * m + c_hb * h + s * (1, 1, 1) + bias
// where m and h are the pigments' absorption directions in the camera's OD space and s is
// shading (illumination intensity, exposure, vignetting, and neutral darkening such as
// pores), which adds equally to every channel. Inverting [m h 1] gives (c_mel, c_hb, s)
// per pixel; a white-balance cast adds a constant to OD and so cancels in any
// treated-minus-baseline difference.
//
// m and h depend on the camera. We use the "master" pigment vectors published with the
// Chiba University group's skin-separation code (Tsumura et al.), RGB order:
//   melanin (0.4143, 0.3570, 0.8372), hemoglobin (0.2988, 0.6838, 0.6657).
// Per-image estimation was tried and is not used: see docs/redness.md, "Limits".

#include <array>
#include <string>

#include <opencv2/core.hpp>

namespace needlescope::color {

using Rgb = std::array<double, 3>;  // R, G, B

struct ChromophoreVectors {
  Rgb melanin{};
  Rgb hemoglobin{};
  std::string source;  // where the vectors come from
};

ChromophoreVectors LiteratureVectors();

// Per-pixel unmixing: OD (R, G, B) -> (melanin, hemoglobin, shading).
class Unmixer {
 public:
  explicit Unmixer(const ChromophoreVectors& vectors);
  cv::Vec3d Unmix(double od_r, double od_g, double od_b) const {
    return {m_(0, 0) * od_r + m_(0, 1) * od_g + m_(0, 2) * od_b,
            m_(1, 0) * od_r + m_(1, 1) * od_g + m_(1, 2) * od_b,
            m_(2, 0) * od_r + m_(2, 1) * od_g + m_(2, 2) * od_b};
  }

 private:
  cv::Matx33d m_;
};

}  // namespace needlescope::color
