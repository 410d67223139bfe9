#include "needlescope/color/cielab.h"

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

}  // namespace
}  // namespace needlescope::color
