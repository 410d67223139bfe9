#pragma once

// Renderer families: independent variants of every ingredient of a synthetic photo, so that
// accuracy can be measured on photos of a kind the detector was not trained on (issue
// "Measurements that hold on photos we did not make"; docs/synthetic-scenes.md,
// "Renderer families"). Family A is the renderer as it was before families existed (same
// bytes); B and C each change every ingredient at once.

#include <optional>
#include <string>

#include "needlescope/synth/optics.h"

namespace needlescope::synth {

enum class Family { kA, kB, kC };
const char* FamilyName(Family family);  // "a", "b", "c"
std::optional<Family> ParseFamily(const std::string& name);

enum class PunctureProfile {
  kGaussian,    // exp(-d^2 / r^2), some with a wheal and a clot pinpoint (A)
  kFlatDisc,    // a flat-topped disc with a soft edge, most with an off-centre bleed (B)
  kLorentzian,  // (1 + d^2 / r^2)^-1.5: long tails, always a dark clotted core (C)
};
enum class LensBlur { kGaussian, kDefocusDisc, kMotion };
enum class LightKind { kDiffuse, kFlash, kCrossPolarised };

struct FamilyModel {
  // Effective absorption directions in the camera's OD space (R, G, B): the blood, pigment
  // and stain spectra integrated over that family's camera sensitivities.
  OdVector melanin, hemoglobin, stain;
  PunctureProfile profile;
  double pores_per_mpx_min, pores_per_mpx_max;
  double fine_texture_px;      // scale of the fine melanin grain
  double fine_texture_amount;  // its amplitude, OD
  LensBlur blur;
  bool bayer;               // noise on a Bayer mosaic, then demosaiced (bilinear)
  double noise_gain;        // multiplies the read and shot noise drawn
  bool jpeg_444;            // no chroma subsampling
  bool double_compression;  // saved twice: once by the camera, again by an editor
  int quality_min, quality_max;  // drawn when the scene does not fix it
  LightKind lighting;
};

const FamilyModel& ModelOf(Family family);

}  // namespace needlescope::synth
