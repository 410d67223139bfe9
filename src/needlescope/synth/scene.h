#pragma once

// Synthetic scenes with known truth: the ruler every accuracy claim is measured with.
// See docs/synthetic-scenes.md for the physical model and docs/truth-format.md for the
// truth files.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/synth/family.h"

namespace needlescope::synth {

enum class SceneKind { kSkinTreated, kSkinUntreated, kSubstrate, kPair };
const char* SceneKindName(SceneKind kind);
std::optional<SceneKind> ParseSceneKind(const std::string& name);

enum class PatternKind { kAuto, kStamps, kScatter };
const char* PatternKindName(PatternKind kind);
std::optional<PatternKind> ParsePatternKind(const std::string& name);

// How the photo is delivered: JPEG (4:2:0 chroma, at the camera's quality) or lossless PNG.
enum class FileFormat { kJpeg, kPng };

struct SceneOptions {
  int width_px = 1024;         // px, >= 256
  int height_px = 768;         // px, >= 256
  int skin_type = 0;           // Fitzpatrick 1..6; 0 = drawn from the seed
  int jpeg_quality = 0;        // 1..100; 0 = drawn from the seed in [70, 95]
  PatternKind pattern = PatternKind::kAuto;  // skin-treated and pair scenes
  double healing_fraction = -1.0;  // pair scenes: [0, 1]; < 0 = drawn from the seed
  FileFormat format = FileFormat::kJpeg;  // the file visibility is judged on
  Family family = Family::kA;             // renderer family (family.h)
  // Substrates: a stain of this OD direction (R, G, B, peak 0.5-1.3 as drawn) in place of
  // the family's blue stain, for stains the analysis must be told of (`analyze --stain-od`).
  std::optional<OdVector> stain_od;

  std::string Check() const;  // empty when valid
};

// One puncture (or stained hole) as rendered. Coordinates: px of the image, origin at the
// centre of the top-left pixel.
struct TruthPuncture {
  double x = 0, y = 0;
  double radius_px = 0;   // distance at which the added absorber falls to 1/e of its peak
  double amplitude = 0;   // peak added hemoglobin (skin) or stain (substrate), OD units
  // The ideal observer's d' on the delivered file (visibility.h). visible: d' >= 3;
  // faint: 3 <= d' < 5 (not required of a detector); required: d' >= 5.
  double d_prime = 0;
  bool visible = true;
  bool faint = false;
  bool occluded = false;  // a hair or fibre more than half opaque over its centre (descriptive)
  // Share of the puncture's contrast (the OD its added absorber makes at its centre, in the
  // channel that absorber darkens most) left by the specular reflection over it: 1 = no
  // glare, 0.5 = halved. Descriptive: d' sees glare and hair through the photo itself.
  double glare = 1;
  int stamp = -1;         // index into stamps, -1 for scatter
  int needle = -1;        // needle index within the cartridge layout, -1 for scatter
};

struct Cartridge {
  std::string name;                  // e.g. "circle12", "grid36"
  double pitch_px = 0;               // needle spacing
  std::vector<cv::Point2d> needles;  // offsets from the stamp centre, px, before rotation
};

struct Stamp {
  double x = 0, y = 0;   // centre, px
  double angle_deg = 0;  // rotation of the layout
};

struct Pattern {
  std::string kind;  // "stamps", "scatter", "none"
  std::optional<Cartridge> cartridge;
  std::vector<Stamp> stamps;
  std::vector<int> missing_needles;  // needle indices that never mark (a bent/blocked needle)
  std::vector<int> faint_needles;    // needle indices that mark weakly
  std::vector<cv::RotatedRect> gaps;      // under-treated ellipses (no punctures inside)
  std::vector<cv::RotatedRect> hotspots;  // over-treated ellipses (extra punctures)
  double target_density_per_mpx = 0;      // scatter: intensity asked for
};

// Noise-free redness truth, measured on the rendered chromophore maps and on the noise-free
// reflectance under neutral D65 light (no illumination gradient, cast, noise or JPEG).
struct ErythemaTruth {
  double delta_hemoglobin_inside = 0;  // mean erythema hemoglobin added inside the region
  double hemoglobin_inside = 0;        // mean total hemoglobin, OD units (punctures included)
  double hemoglobin_outside = 0;
  double a_star_inside = 0;            // mean CIELAB a* (D65), noise-free
  double a_star_outside = 0;
};

struct CameraTruth {
  double wb_gain[3] = {1, 1, 1};  // B, G, R multipliers of the white-balance cast
  double exposure = 1;
  double blur_sigma_px = 0;
  double noise_read = 0, noise_shot = 0;  // linear-space noise model
  int jpeg_quality = 90;
  // Renderer families B and C (family.h); family A leaves these as they are.
  std::string lens = "gaussian";  // "gaussian", "defocus" (disc), "motion" (a line)
  double defocus_radius_px = 0;   // the disc's radius
  double motion_length_px = 0, motion_angle_deg = 0;
  bool bayer = false;             // RGGB mosaic, noise on it, bilinear demosaicing
  bool jpeg_444 = false;          // no chroma subsampling
  int jpeg_first_quality = 0;     // > 0: saved at this quality first, then at jpeg_quality
  std::string lighting = "diffuse";  // "diffuse", "flash" (a hotspot), "cross-polarised"
};

struct PairTruth {
  std::string role;     // "before" or "after"
  std::string partner;  // the other image's name
  cv::Matx33d before_to_after = cv::Matx33d::eye();  // maps BEFORE px to AFTER px
  double healing_fraction = 0;     // erythema removed, [0, 1]
  double puncture_persistence = 0;  // share of BEFORE's visible punctures visible in AFTER
};

struct SceneTruth {
  std::string name;
  SceneKind kind = SceneKind::kSkinTreated;
  std::uint64_t seed = 0;
  int width = 0, height = 0;
  double mm_per_px = 0;  // physical scale of the photo
  int skin_type = 0;  // Fitzpatrick 1..6; 0 for a film substrate
  std::string surface;  // "skin" or "film"
  FileFormat format = FileFormat::kJpeg;  // the delivered file
  Family family = Family::kA;
  std::optional<OdVector> stain_od;  // when the scene was given one (SceneOptions::stain_od)
  std::vector<TruthPuncture> punctures;
  std::vector<cv::Point2d> treated_polygon;  // empty when untreated
  ErythemaTruth erythema;
  Pattern pattern;
  CameraTruth camera;
  std::optional<PairTruth> pair;
  struct {
    int pores = 0, freckles = 0, moles = 0, hairs = 0, specks = 0;
    int vessels = 0, angiomas = 0, papules = 0, glints = 0;  // red and bright look-alikes
  } confounders;
};

struct SceneImage {
  cv::Mat bgr;  // CV_8UC3, before JPEG compression (the writer applies camera.jpeg_quality)
  SceneTruth truth;
  // Noise-free truth maps of this image (CV_32F, before lens blur): the absorber the
  // punctures were drawn into (hemoglobin on skin, stain on substrates) and melanin.
  cv::Mat absorber;
  cv::Mat melanin;
};

// Renders one scene. A pair gives two images (before, after); the others give one.
// Deterministic: the same (kind, seed, options) gives the same pixels on every run.
std::vector<SceneImage> RenderScene(SceneKind kind, std::uint64_t seed, const SceneOptions& options);

}  // namespace needlescope::synth
