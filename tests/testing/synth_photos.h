#pragma once

// Hand-built synthetic photos for colour and redness tests, from the renderer's own parts.

#include <memory>

#include <opencv2/core.hpp>

#include "needlescope/detect/puncture_classifier.h"

#include "needlescope/synth/camera.h"
#include "needlescope/synth/optics.h"

namespace needlescope::testing {

// Skin maps with gently mottled melanin (around `melanin`) and hemoglobin (around 0.12),
// no stain, no shading: a blank canvas for a test to draw its features on.
synth::ChromophoreMaps PlainSkinMaps(cv::Size size, double melanin, cv::RNG& rng);

// A camera with no cast, unit exposure, lens blur 0.7 px and moderate noise.
synth::CameraTruth NeutralCamera();

// The maps photographed by `camera` under `light` (noise from `seed`), JPEG at `quality`.
cv::Mat PhotographMaps(const synth::ChromophoreMaps& maps, const synth::CameraTruth& camera,
                       const synth::Lighting& light, std::uint64_t seed, int quality = 90);

cv::Mat JpegRoundTrip(const cv::Mat& bgr, int quality);

}  // namespace needlescope::testing

#include "needlescope/color/chromophores.h"

namespace needlescope::testing {

// The committed calibration of the synthetic camera (models/chromophores-synth-camera.json),
// as `analyze --chromophores` would load it.
color::ChromophoreVectors SynthCameraVectors();

// The committed puncture classifier (models/puncture-classifier.bin), trained on the
// synthetic tuning set with those vectors.
std::shared_ptr<const detect::PunctureClassifier> SynthPunctureClassifier();

}  // namespace needlescope::testing

#include "needlescope/synth/scene.h"

namespace needlescope::testing {

// Scene options for quick tests: 512 x 384 px, everything else drawn from the seed.
synth::SceneOptions SmallScene();

}  // namespace needlescope::testing
