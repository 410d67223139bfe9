#pragma once

// A stain other than methylene or trypan blue (`--stain-od R,G,B`): its absorption
// direction in the camera's optical density decides the plane its holes are found on and the
// contrast that sets them apart from shading and blood (docs/detection.md, "Which stain").
// Without one, holes are found on red OD and told by red minus blue, which suits both blue
// stains (they absorb red most, blue least).

#include <string>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"

namespace needlescope::detect {

struct StainWeights {
  color::Rgb plane;     // detection plane: Σ plane[c] · OD_c
  color::Rgb contrast;  // stain contrast of a spot: Σ contrast[c] · ΔOD_c (spot minus ring)
};

// Red OD, and red minus blue.
StainWeights BlueStainWeights();

// For a stain absorbing along `od` (any scale): the plane is the OD projected on it, scaled
// so that a spot of that colour reads its OD in its strongest channel (as red OD reads a blue
// stain's); the contrast is the projection on its colour with the neutral part (shading)
// taken out, scaled to the length of red minus blue so that the same thresholds apply. For
// methylene blue's direction they come within a few per cent of BlueStainWeights().
StainWeights CustomStainWeights(const color::Rgb& od);

// Empty when `od` can be a stain's direction: finite, no component below 0, the largest
// above 0, and at least kMinStainChromaDeg from neutral grey (a grey absorber cannot be told
// from shadow).
inline constexpr double kMinStainChromaDeg = 10;
std::string CheckStainOd(const color::Rgb& od);

// The angle between two colours' chromatic parts (each with its mean over R, G, B taken
// out), in degrees [0, 180]: what shading cannot change.
double ChromaticAngleDeg(const color::Rgb& a, const color::Rgb& b);

// A candidate's spot-minus-ring OD (R, G, B), mixed back from its unmixed differences
// (Candidate::delta_melanin, delta_hemoglobin, delta_shading) with the `vectors` they were
// unmixed with: exact, as unmixing inverts [melanin hemoglobin 1].
color::Rgb SpotMinusRingOd(const Candidate& c, const color::ChromophoreVectors& vectors);

}  // namespace needlescope::detect
