#include "needlescope/redness/kth_smallest.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace needlescope::redness {
namespace {

std::optional<float> KthOf(const std::vector<float>& values, size_t (*rank_of)(size_t)) {
  return KthSmallest([&](auto fn) { for (float v : values) fn(v); }, rank_of);
}

TEST(KthSmallest, EqualsSortingEveryValue) {
  std::mt19937 rng(11);
  std::normal_distribution<float> wide(0.0f, 3.0f), narrow(0.12f, 1e-4f);
  std::vector<float> values;
  for (int i = 0; i < 20000; ++i) values.push_back(wide(rng));
  for (int i = 0; i < 20000; ++i) values.push_back(narrow(rng));  // many share one histogram bin
  for (int i = 0; i < 500; ++i) values.push_back(0.25f);           // ties
  values.push_back(-0.0f);
  values.push_back(0.0f);
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (size_t k : {size_t(0), size_t(1), size_t(777), sorted.size() / 2, sorted.size() * 99 / 100, sorted.size() - 1}) {
    const std::optional<float> got = KthSmallest([&](auto fn) { for (float v : values) fn(v); },
                                                 [k](size_t) { return k; });
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, sorted[k]) << "k = " << k;
  }
}

TEST(KthSmallest, GivesTheRankForTheNumberOfValuesAndNoneForNoValues) {
  const std::vector<float> values = {5, -1, 3, 2, 4};
  EXPECT_EQ(KthOf(values, [](size_t n) { return n - 1; }), 5.0f);
  EXPECT_EQ(KthOf(values, [](size_t n) { return n / 2; }), 3.0f);
  EXPECT_EQ(KthOf({}, [](size_t) { return size_t(0); }), std::nullopt);
}

}  // namespace
}  // namespace needlescope::redness
