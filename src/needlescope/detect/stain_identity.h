#pragma once

// Which stain marks a validation substrate's holes, from the colour of the spots detected
// on it (docs/detection.md, "Which stain"). Methylene blue absorbs red far more than green
// (peak at 664 nm); trypan blue's broader band (peak near 600 nm) absorbs green almost as
// much as red. So the median over the spots of ΔOD_green / ΔOD_red (spot minus ring) tells
// them apart: under kTrypanMinGreenOverRed methylene blue, at or above it trypan blue.

#include <optional>
#include <string>
#include <vector>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"

namespace needlescope::detect {

// Chosen between the two stains' medians on the tuning sets' substrates (seeds 1000+) of
// renderer families A and B (methylene blue, two cameras: 0.47-0.71) and C (trypan blue:
// 0.93-1.04).
inline constexpr double kTrypanMinGreenOverRed = 0.8;
inline constexpr double kMinSpotRedOd = 0.05;  // a spot votes when it absorbs this much red
inline constexpr int kMinStainSpots = 5;       // fewer voting spots: not named

// How far a custom stain's spots may stray from its given colour before the reason says so.
inline constexpr double kMaxCustomStainAngleDeg = 20;

struct StainIdentity {
  // "methylene blue", "trypan blue", "custom stain" (given by --stain-od), or "" when too
  // few spots
  std::string name;
  double green_over_red = 0;    // median over the voting spots of ΔOD_green / ΔOD_red
  double blue_over_red = 0;     // the same for blue (for a custom stain: of the median colour)
  // A custom stain only: the chromatic angle (stain_direction.h) between the spots' median
  // colour and the given one, degrees.
  std::optional<double> angle_to_given_deg;
  int spots = 0;                // voting spots
  std::string reason;           // one sentence, for the JSON
};

// From the accepted candidates of a stain detection; `vectors` are those their colour
// differences were unmixed with (Candidate::delta_melanin, delta_hemoglobin, delta_shading),
// so that the per-channel differences are recovered exactly. With `stain_od` (a custom
// stain) the spots vote when they absorb kMinSpotRedOd along it, in its strongest channel,
// and the name is "custom stain", with how near their colour is to it. Deterministic.
StainIdentity IdentifyStain(const std::vector<Candidate>& accepted, const color::ChromophoreVectors& vectors,
                            const std::optional<color::Rgb>& stain_od = std::nullopt);

}  // namespace needlescope::detect
