#include "needlescope/detect/code_histogram.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "needlescope/color/srgb.h"

namespace needlescope::detect {
namespace {

// What MeasureCandidate computed before the histogram: selection over the values.
std::pair<float, float> BySelection(std::vector<float> v) {
  if (v.empty()) return {0.f, 0.f};
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  const float median = v[v.size() / 2];
  for (float& x : v) x = std::abs(x - median);
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return {median, v[v.size() / 2]};
}

std::array<float, 256> OdFloats() {
  std::array<float, 256> f{};
  for (size_t c = 0; c < f.size(); ++c) f[c] = float(color::OpticalDensityTable()[c]);
  return f;
}

// Rings of every size a candidate has (and the degenerate ones), codes spread narrowly (a
// flat background), widely, and in two clusters (a ring crossing an edge), must give
// exactly the floats selection gives, for the decreasing OD table and a table with ties
// and no order.
TEST(CodeHistogram, GivesExactlyTheMedianAndMadThatSelectionGives) {
  std::array<float, 256> scrambled{};
  std::mt19937 rng(7);
  for (float& v : scrambled) v = float(std::uniform_int_distribution<int>(0, 40)(rng)) * 0.37f;
  for (const auto& table : {OdFloats(), scrambled}) {
    CodeHistogram histogram(table);
    for (int trial = 0; trial < 3000; ++trial) {
      const int n = trial < 4 ? trial : std::uniform_int_distribution<int>(1, 420)(rng);
      const int centre = std::uniform_int_distribution<int>(0, 255)(rng);
      const int width = std::vector<int>{0, 2, 12, 128}[size_t(trial % 4)];
      std::vector<float> values;
      for (int i = 0; i < n; ++i) {
        int code = centre + std::uniform_int_distribution<int>(-width, width)(rng);
        if (trial % 7 == 0 && i % 3 == 0) code = 255 - code;  // a second cluster
        code = std::clamp(code, 0, 255);
        histogram.Add(std::uint8_t(code));
        values.push_back(table[size_t(code)]);
      }
      ASSERT_EQ(histogram.size(), n);
      const auto expected = BySelection(values);
      const auto got = histogram.TakeMedianAndMad();
      ASSERT_EQ(got.first, expected.first) << "trial " << trial << ", n " << n;
      ASSERT_EQ(got.second, expected.second) << "trial " << trial << ", n " << n;
      ASSERT_EQ(histogram.size(), 0);  // taken: the next ring starts empty
    }
  }
}

TEST(CodeHistogram, SmallCasesByHand) {
  std::array<float, 256> identity{};
  for (size_t c = 0; c < identity.size(); ++c) identity[c] = float(c);
  CodeHistogram h(identity);
  EXPECT_EQ(h.TakeMedianAndMad(), std::make_pair(0.f, 0.f));  // empty
  for (int c : {10, 20}) h.Add(std::uint8_t(c));
  EXPECT_EQ(h.TakeMedianAndMad(), std::make_pair(20.f, 10.f));  // upper median; |dev| {10, 0}
  for (int c : {1, 2, 3, 4, 100}) h.Add(std::uint8_t(c));
  EXPECT_EQ(h.TakeMedianAndMad(), std::make_pair(3.f, 1.f));  // deviations 2 1 0 1 97
}

}  // namespace
}  // namespace needlescope::detect
