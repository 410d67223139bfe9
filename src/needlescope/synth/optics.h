#pragma once

// The forward optical model of the synthetic scenes (docs/synthetic-scenes.md):
//   OD_c = c_mel * eps_mel[c] + c_hb * eps_hb[c] + c_stain * eps_stain[c] + baseline[c]
//   reflectance_c = shade * 10^(-OD_c)
// per camera channel c, with effective absorption directions in camera optical-density
// space. These are the renderer's own constants, chosen from published spectra (melanin
// absorbance falling roughly as lambda^-3.5 but flattened by scattering over broad camera
// bands; oxy-hemoglobin absorbing strongly in green and blue, weakly in red; methylene blue
// peaking at 664 nm) so that Fitzpatrick I..VI land on typical measured skin colours. They
// are deliberately not shared with the analysis code: the ruler must not be the detector.

#include <opencv2/core.hpp>

namespace needlescope::synth {

struct OdVector {
  double r, g, b;
};

inline constexpr OdVector kMelaninOd = {0.70, 0.85, 1.00};
inline constexpr OdVector kHemoglobinOd = {0.12, 1.00, 0.80};
inline constexpr OdVector kMethyleneBlueOd = {1.00, 0.45, 0.10};
inline constexpr OdVector kSkinBaselineOd = {0.04, 0.10, 0.18};  // dermal scattering, carotene
inline constexpr OdVector kFilmBaselineOd = {0.06, 0.07, 0.10};  // pale test film

// Melanin concentration range (OD units at the blue channel) per Fitzpatrick type 1..6.
cv::Vec2d MelaninRange(int skin_type);

struct ChromophoreMaps {
  cv::Mat melanin;     // CV_32F
  cv::Mat hemoglobin;  // CV_32F
  cv::Mat stain;       // CV_32F
  cv::Mat shade;       // CV_32F, multiplicative neutral factor (pores, relief), 1 = none
};

// The absorbers' directions a renderer family uses (family.h); these defaults are family A's.
struct Spectra {
  OdVector melanin = kMelaninOd, hemoglobin = kHemoglobinOd, stain = kMethyleneBlueOd;
};

// Linear reflectance, CV_32FC3 in B, G, R order.
cv::Mat Reflectance(const ChromophoreMaps& maps, const OdVector& baseline, const Spectra& spectra = {});

// sRGB transfer function (IEC 61966-2-1) of linear values in [0, 1], in place.
void EncodeSrgb(cv::Mat& linear_bgr);

}  // namespace needlescope::synth
