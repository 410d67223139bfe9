// Which stain (detect/stain_identity.h): the rule on spots of known colour, and the name
// given to rendered substrates of the three renderer families (A and B: methylene blue
// through two cameras; C: a trypan-blue-like dye), with the default options.

#include "needlescope/detect/stain_identity.h"

#include <gtest/gtest.h>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "testing/synth_photos.h"

namespace needlescope::detect {
namespace {

// A spot whose spot-minus-ring OD is `od` (R, G, B), as the detector unmixes it.
Candidate SpotOfColour(const color::Rgb& od, const color::ChromophoreVectors& vectors) {
  const cv::Vec3d u = color::Unmixer(vectors).Unmix(od[0], od[1], od[2]);
  Candidate c;
  c.delta_melanin = u[0];
  c.delta_hemoglobin = u[1];
  c.delta_shading = u[2];
  return c;
}

TEST(StainIdentity, GreenOverRedAbsorptionNamesTheStain) {
  const color::ChromophoreVectors v = color::LiteratureVectors();
  const StainIdentity methylene = IdentifyStain(std::vector<Candidate>(20, SpotOfColour({1.0, 0.45, 0.10}, v)), v);
  EXPECT_EQ(methylene.name, "methylene blue");
  EXPECT_NEAR(methylene.green_over_red, 0.45, 1e-9);
  EXPECT_NEAR(methylene.blue_over_red, 0.10, 1e-9);
  EXPECT_EQ(IdentifyStain(std::vector<Candidate>(20, SpotOfColour({0.85, 0.80, 0.20}, v)), v).name, "trypan blue");
  // Too few spots absorbing enough red: not named.
  std::vector<Candidate> few(4, SpotOfColour({1.0, 0.45, 0.10}, v));
  few.insert(few.end(), 30, SpotOfColour({0.02, 0.02, 0.02}, v));
  const StainIdentity unnamed = IdentifyStain(few, v);
  EXPECT_EQ(unnamed.name, "");
  EXPECT_EQ(unnamed.spots, 4);
}

TEST(StainIdentity, RenderedSubstratesOfEachFamilyAreNamed) {
  DetectOptions options;  // what a new user runs
  options.classifier = testing::SynthPunctureClassifier();
  const struct {
    synth::Family family;
    const char* stain;
  } cases[] = {{synth::Family::kA, "methylene blue"}, {synth::Family::kB, "methylene blue"},
               {synth::Family::kC, "trypan blue"}};
  for (const auto& c : cases) {
    for (std::uint64_t seed : {51, 52}) {
      synth::SceneOptions o = testing::SmallScene();
      o.family = c.family;
      const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSubstrate, seed, o)[0];
      const DetectResult r = DetectPunctures(synth::Delivered(scene.bgr, o.format, scene.truth.camera), options);
      ASSERT_EQ(r.target, Target::kStain) << scene.truth.name << " " << int(c.family);
      ASSERT_TRUE(r.stain.has_value());
      EXPECT_EQ(r.stain->name, c.stain) << scene.truth.name << " " << int(c.family) << ": " << r.stain->reason;
    }
  }
}

}  // namespace
}  // namespace needlescope::detect
