#pragma once

// Skin (and test film) before any treatment: chromophore maps with mottling, fine texture,
// relief lines, pores, freckles, moles, hair, dust specks.

#include <opencv2/core.hpp>

#include "needlescope/synth/family.h"
#include "needlescope/synth/optics.h"
#include "needlescope/synth/scene.h"

namespace needlescope::synth {

struct SurfaceLayers {
  ChromophoreMaps maps;  // background only: no erythema, no punctures
  cv::Mat hair_alpha;    // CV_32F opacity of hair/fibres over the surface, [0, 1]
  cv::Vec3f hair_reflectance;  // B, G, R linear reflectance of the hair
  cv::Mat specular;      // CV_32F neutral surface reflection added to the diffuse one
  OdVector baseline = kSkinBaselineOd;
  Spectra spectra;  // the renderer family's absorber directions
};

// Untreated skin of Fitzpatrick type 1..6, with its confounders counted into `truth`.
// The family sets the absorbers, pore density, fine grain and whether surface reflection
// reaches the camera (not under cross-polarised light).
SurfaceLayers DrawSkin(cv::Size size, int skin_type, cv::RNG& rng, SceneTruth& truth,
                       const FamilyModel& family = ModelOf(Family::kA));

// A pale test film with fine texture, dust specks and a few fibres.
SurfaceLayers DrawFilm(cv::Size size, cv::RNG& rng, SceneTruth& truth,
                       const FamilyModel& family = ModelOf(Family::kA));

// Reflectance of the layers (hair composited over the surface), CV_32FC3 BGR.
cv::Mat SurfaceReflectance(const SurfaceLayers& layers);

}  // namespace needlescope::synth
