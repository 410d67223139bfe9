#include "needlescope/synth/family.h"

namespace needlescope::synth {

const char* FamilyName(Family family) {
  switch (family) {
    case Family::kA: return "a";
    case Family::kB: return "b";
    case Family::kC: return "c";
  }
  return "?";
}

std::optional<Family> ParseFamily(const std::string& name) {
  for (Family f : {Family::kA, Family::kB, Family::kC}) {
    if (name == FamilyName(f)) return f;
  }
  return std::nullopt;
}

const FamilyModel& ModelOf(Family family) {
  // A: the original renderer (optics.h's constants).
  static const FamilyModel kA = {kMelaninOd, kHemoglobinOd, kMethyleneBlueOd,
                                 PunctureProfile::kGaussian, 600, 2200, 1.0, 0.012,
                                 LensBlur::kGaussian, /*bayer=*/false, /*noise_gain=*/1.0,
                                 /*jpeg_444=*/false, /*double_compression=*/false, 70, 95,
                                 LightKind::kDiffuse};
  // B: a camera with a wider red band (hemoglobin shows more in red, less in blue; melanin
  // flatter), flat-topped punctures with bleeding, dense fine pores, a defocused lens, a
  // Bayer sensor, 4:4:4 JPEG over a wider quality range, and an on-camera flash.
  static const FamilyModel kB = {{0.55, 0.80, 1.00}, {0.22, 0.95, 0.55}, {0.90, 0.55, 0.20},
                                 PunctureProfile::kFlatDisc, 2000, 5000, 0.7, 0.018,
                                 LensBlur::kDefocusDisc, /*bayer=*/true, /*noise_gain=*/1.3,
                                 /*jpeg_444=*/true, /*double_compression=*/false, 60, 98,
                                 LightKind::kFlash};
  // C: a narrow-band camera (hemoglobin almost absent in red, strong in blue), long-tailed
  // punctures with clotted cores, coarse grain, motion blur, noisier sensor, a photo saved
  // twice, and cross-polarised light (no surface reflection) falling off unevenly. Its
  // stain is a trypan-blue-like dye (absorbing green nearly as much as red).
  static const FamilyModel kC = {{0.80, 0.90, 1.00}, {0.08, 1.00, 0.95}, {0.85, 0.80, 0.20},
                                 PunctureProfile::kLorentzian, 300, 1200, 2.0, 0.02,
                                 LensBlur::kMotion, /*bayer=*/false, /*noise_gain=*/2.0,
                                 /*jpeg_444=*/false, /*double_compression=*/true, 60, 92,
                                 LightKind::kCrossPolarised};
  switch (family) {
    case Family::kA: return kA;
    case Family::kB: return kB;
    case Family::kC: return kC;
  }
  return kA;
}

}  // namespace needlescope::synth
