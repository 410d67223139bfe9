#include "needlescope/color/cielab.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "needlescope/color/color_maps.h"
#include "needlescope/color/srgb.h"

namespace needlescope::color {
namespace {

struct Reference {
  int r, g, b;
  double l, a, b_star;
};

// tests/data/lab_reference.csv: scikit-image rgb2lab of 1700 colours (grid, greys, and
// skin, erythema and puncture colours from sample_images/), made by tools/make-lab-reference.py.
std::vector<Reference> LoadReference() {
  std::ifstream in(std::string(NEEDLESCOPE_TEST_DATA_DIR) + "/lab_reference.csv");
  std::string line;
  std::getline(in, line);
  std::vector<Reference> rows;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream row(line);
    Reference ref;
    row >> ref.r >> ref.g >> ref.b >> ref.l >> ref.a >> ref.b_star;
    rows.push_back(ref);
  }
  return rows;
}

TEST(Cielab, AgreesWithScikitImageWithinHalfAUnit) {
  const std::vector<Reference> reference = LoadReference();
  ASSERT_GT(reference.size(), 1000u);
  double worst_a = 0, worst_l = 0, worst_b = 0;
  for (const Reference& ref : reference) {
    const Lab lab = LinearRgbToLab(SrgbToLinear(std::uint8_t(ref.r)), SrgbToLinear(std::uint8_t(ref.g)),
                                   SrgbToLinear(std::uint8_t(ref.b)));
    worst_a = std::max(worst_a, std::abs(lab.a - ref.a));
    worst_l = std::max(worst_l, std::abs(lab.l - ref.l));
    worst_b = std::max(worst_b, std::abs(lab.b - ref.b_star));
  }
  EXPECT_LE(worst_a, 0.5);  // the bound
  EXPECT_LE(worst_a, 1e-3) << "float-precision agreement expected; worst a* error " << worst_a;
  EXPECT_LE(worst_l, 1e-3);
  EXPECT_LE(worst_b, 1e-3);
}

TEST(Cielab, AStarMapMatchesPerPixelConversion) {
  const std::vector<Reference> reference = LoadReference();
  cv::Mat image(1, int(reference.size()), CV_8UC3);
  for (size_t i = 0; i < reference.size(); ++i) {
    image.at<cv::Vec3b>(0, int(i)) = cv::Vec3b(std::uint8_t(reference[i].b), std::uint8_t(reference[i].g),
                                               std::uint8_t(reference[i].r));
  }
  const cv::Mat a_star = ComputeAStarMap(image, {1, 1, 1}, TilingOptions{64});
  for (size_t i = 0; i < reference.size(); ++i) {
    EXPECT_NEAR(a_star.at<float>(0, int(i)), reference[i].a, 1e-3);
  }
}

// The cache returns exactly what AStarOf computes: colours that share a slot (a few
// thousand random ones fill most of the 65 536), the same colour again after another
// took its slot, and a change of gains (another photo's white balance).
TEST(Cielab, AStarCacheGivesExactlyAStarOf) {
  cv::RNG rng(3);
  AStarCache cache;
  std::vector<cv::Vec3b> colours;
  for (int i = 0; i < 200000; ++i) {
    colours.emplace_back(uchar(rng.uniform(0, 256)), uchar(rng.uniform(0, 256)), uchar(rng.uniform(0, 256)));
  }
  for (const std::array<double, 3>& gains : {std::array<double, 3>{1, 1, 1}, {1.3, 0.9, 1.1}, {1, 1, 1}}) {
    for (int pass = 0; pass < 2; ++pass) {  // the second pass finds some still cached
      for (const cv::Vec3b& p : colours) ASSERT_EQ(cache.Of(p, gains), AStarOf(p, gains)) << p << " " << pass;
    }
  }
}

// The cube root is computed without libm (bit guess + Halley steps): it must agree with the
// textbook formula far below anything a float map can show, over the whole range a
// white-balanced photo can reach (gains up to 4).
TEST(Cielab, MatchesTextbookFormulaToDoublePrecision) {
  auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
  double worst = 0;
  for (double r = 0; r <= 4.0; r += 0.0371) {
    for (double g = 0; g <= 4.0; g += 0.0437) {
      const double b = std::fmod(r * 7.3 + g * 3.1, 4.0);
      const double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047;
      const double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
      const double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883;
      const Lab lab = LinearRgbToLab(r, g, b);
      worst = std::max({worst, std::abs(lab.l - (116 * f(y) - 16)), std::abs(lab.a - 500 * (f(x) - f(y))),
                        std::abs(lab.b - 200 * (f(y) - f(z))), std::abs(LinearRgbToAStar(r, g, b) - lab.a)});
    }
  }
  EXPECT_LT(worst, 1e-9);
}

}  // namespace
}  // namespace needlescope::color
