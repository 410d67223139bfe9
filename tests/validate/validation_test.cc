// Stamp finding and per-needle penetration on hole sets with known truth: rotated stamps,
// needles that never penetrate, one that does half the time, dye specks, a stamp cut by the
// edge and two that overlap.

#include "needlescope/validate/validation.h"

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "needlescope/uniformity/wilson.h"

namespace needlescope::validate {
namespace {

std::string GridJson(int side, double pitch_mm) {
  std::string needles;
  for (int j = 0; j < side; ++j) {
    for (int i = 0; i < side; ++i) {
      needles += (needles.empty() ? "" : ",") + std::string("[") + std::to_string(i * pitch_mm) + "," +
                 std::to_string(j * pitch_mm) + "]";
    }
  }
  return R"({"schema": "needlescope.cartridge/1", "name": "grid", "needles_mm": [)" + needles + "]}";
}

TEST(Cartridge, EveryShippedLayoutLoadsWithItsGeometry) {
  // name -> needles, rotational symmetries
  const std::map<std::string, std::pair<size_t, size_t>> expected = {
      {"grid9", {9, 4}},  {"circle12", {12, 12}}, {"grid16", {16, 4}},  {"round24", {24, 8}},
      {"grid36", {36, 4}}, {"round42", {42, 6}},   {"nano100", {100, 4}}};
  for (const auto& [name, counts] : expected) {
    std::ifstream in(std::string(NEEDLESCOPE_MODELS_DIR) + "/cartridges/" + name + ".json");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const CartridgeLayout layout = ParseCartridgeLayout(text);
    EXPECT_EQ(layout.name, name);
    EXPECT_EQ(layout.needles_mm.size(), counts.first) << name;
    EXPECT_EQ(layout.symmetry_deg.size(), counts.second) << name;
    EXPECT_GT(layout.pitch_mm, 0.2) << name;
  }
}

TEST(Wilson, MatchesPublishedIntervals) {
  // Brown, Cai & DasGupta (2001) / any statistics package: 0 of 10, 9 of 10, 50 of 100.
  EXPECT_NEAR(uniformity::WilsonInterval(0, 10).first, 0.0, 1e-4);
  EXPECT_NEAR(uniformity::WilsonInterval(0, 10).second, 0.2775, 1e-4);
  EXPECT_NEAR(uniformity::WilsonInterval(9, 10).first, 0.5958, 1e-4);
  EXPECT_NEAR(uniformity::WilsonInterval(9, 10).second, 0.9821, 1e-4);
  EXPECT_NEAR(uniformity::WilsonInterval(50, 100).first, 0.4038, 1e-4);
  EXPECT_NEAR(uniformity::WilsonInterval(50, 100).second, 0.5962, 1e-4);
  EXPECT_EQ(uniformity::WilsonInterval(0, 0), std::make_pair(0.0, 1.0));
}

TEST(Cartridge, ParsesCentresAndFindsTheSymmetries) {
  const CartridgeLayout grid = ParseCartridgeLayout(GridJson(3, 0.5));
  EXPECT_EQ(grid.needles_mm.size(), 9u);
  EXPECT_NEAR(grid.pitch_mm, 0.5, 1e-9);
  EXPECT_NEAR(grid.needles_mm[4].x, 0, 1e-9);  // centred on the middle needle
  EXPECT_EQ(grid.symmetry_deg, (std::vector<double>{0, 90, 180, 270}));
  EXPECT_EQ(grid.symmetry_permutation[1][0], 2);  // a corner turns into the next corner
  const CartridgeLayout odd = ParseCartridgeLayout(
      R"({"schema": "needlescope.cartridge/1", "name": "l", "needles_mm": [[0,0],[1,0],[2,0],[0,1]]})");
  EXPECT_EQ(odd.symmetry_deg, std::vector<double>{0});
  for (const char* bad : {R"({"name": "x", "needles_mm": [[0,0],[1,0],[2,0]]})",
                          R"({"schema": "needlescope.cartridge/1", "name": "x", "needles_mm": [[0,0],[1,0]]})",
                          R"({"schema": "needlescope.cartridge/1", "name": "x", "needles_mm": [[0,0],[0,0.01],[1,0]]})",
                          R"({"schema": "needlescope.cartridge/1", "name": "x", "needles_mm": [[0,"a"],[1,0],[2,0]]})",
                          "not json"}) {
    EXPECT_THROW(ParseCartridgeLayout(bad), std::invalid_argument) << bad;
  }
}

struct Planted {
  std::vector<cv::Point2d> holes;
  int hits = 0, trials = 0;
};

// Stamps of `layout` at `centres`, each turned by its own angle; needles in `never` never
// penetrate, `half` penetrates in every other stamp; positions jittered by 0.3 px.
Planted Plant(const CartridgeLayout& layout, double px_per_mm, const std::vector<cv::Point2d>& centres,
              const std::set<int>& never, int half, cv::RNG& rng) {
  Planted p;
  for (size_t s = 0; s < centres.size(); ++s) {
    const double a = rng.uniform(0.0, 2 * CV_PI), c = std::cos(a), sn = std::sin(a);
    for (int n = 0; n < int(layout.needles_mm.size()); ++n) {
      ++p.trials;
      if (never.count(n) || (n == half && s % 2)) continue;
      const cv::Point2d q = layout.needles_mm[n] * px_per_mm;
      p.holes.emplace_back(centres[s].x + q.x * c - q.y * sn + rng.gaussian(0.3),
                           centres[s].y + q.x * sn + q.y * c + rng.gaussian(0.3));
      ++p.hits;
    }
  }
  return p;
}

// Our needle index i is truth's permutation[k][i] for one symmetry k of the layout.
std::set<int> Mapped(const CartridgeLayout& layout, size_t k, const std::set<int>& indices) {
  std::set<int> out;
  for (int i : indices) out.insert(layout.symmetry_permutation[k][i]);
  return out;
}

TEST(Validate, FindsEveryStampAndTheNeedlesThatNeverPenetrate) {
  const CartridgeLayout layout = ParseCartridgeLayout(GridJson(6, 1.0));
  cv::RNG rng(11);
  std::vector<cv::Point2d> centres;
  for (int row = 0; row < 2; ++row) {
    for (int col = 0; col < 4; ++col) centres.emplace_back(150 + 200 * col, 150 + 200 * row);
  }
  const std::set<int> never = {5, 17};
  Planted p = Plant(layout, 18.0, centres, never, 20, rng);
  for (int k = 0; k < 6; ++k) p.holes.emplace_back(rng.uniform(20.0, 880.0), rng.uniform(380.0, 480.0));  // specks
  const ValidationResult r = Validate(p.holes, {900, 500}, layout, ValidateOptions{});
  ASSERT_EQ(r.stamps.size(), 8u);
  EXPECT_EQ(r.stamps_cut_by_edge + r.stamps_overlapping + r.stamps_unfitted, 0);
  EXPECT_EQ(r.holes_outside_stamps, 6);
  EXPECT_NEAR(r.px_per_mm, 18.0, 0.2);
  for (const StampResult& s : r.stamps) EXPECT_LT(s.fit.residual_px, 1.0);
  EXPECT_EQ(r.hits, p.hits);
  EXPECT_EQ(r.trials, p.trials);
  std::set<int> never_found, failing;
  for (const NeedleResult& n : r.needles) {
    if (n.hits == 0) never_found.insert(n.index);
    if (n.failing) failing.insert(n.index);
  }
  // The indices are right up to the grid's quarter turns, the same turn for every needle.
  bool some_turn = false;
  for (size_t k = 0; k < layout.symmetry_deg.size(); ++k) some_turn |= Mapped(layout, k, never_found) == never;
  EXPECT_TRUE(some_turn);
  EXPECT_EQ(failing.size(), 3u);  // the two that never penetrate, and 4 of 8 (upper bound 0.82)
  EXPECT_TRUE(r.orientation_resolved);
  EXPECT_NEAR(r.rate, double(p.hits) / p.trials, 1e-12);
}

TEST(Validate, AStampCutByTheEdgeAndTwoThatOverlapAreCountedNotRated) {
  const CartridgeLayout layout = ParseCartridgeLayout(GridJson(3, 1.0));
  cv::RNG rng(5);
  const std::vector<cv::Point2d> centres = {{100, 100}, {300, 100}, {500, 100}, {8, 300}, {300, 300}, {318, 306}};
  const Planted p = Plant(layout, 20.0, centres, {}, -1, rng);
  const ValidationResult r = Validate(p.holes, {600, 400}, layout, ValidateOptions{});
  EXPECT_EQ(r.stamps_cut_by_edge, 1);
  EXPECT_EQ(r.stamps_overlapping, 1);
  EXPECT_EQ(r.trials, 3 * 9);
  EXPECT_EQ(r.hits, 3 * 9);
  for (const NeedleResult& n : r.needles) EXPECT_FALSE(n.failing);
}

TEST(Validate, ARoundLayoutTurnsItsIndicesToTheConsensus) {
  std::string needles;
  for (int k = 0; k < 12; ++k) {
    needles += (k ? "," : "") + std::string("[") + std::to_string(2 * std::cos(2 * CV_PI * k / 12)) + "," +
               std::to_string(2 * std::sin(2 * CV_PI * k / 12)) + "]";
  }
  const CartridgeLayout ring = ParseCartridgeLayout(R"({"schema": "needlescope.cartridge/1", "name": "ring", "needles_mm": [)" +
                                                    needles + "]}");
  ASSERT_EQ(ring.symmetry_deg.size(), 12u);
  cv::RNG rng(3);
  std::vector<cv::Point2d> centres;
  for (int s = 0; s < 6; ++s) centres.emplace_back(120 + 180 * (s % 3), 120 + 180 * (s / 3));
  const Planted p = Plant(ring, 15.0, centres, {4}, -1, rng);
  const ValidationResult r = Validate(p.holes, {600, 420}, ring, ValidateOptions{});
  ASSERT_EQ(r.stamps.size(), 6u);
  int never = 0;
  for (const NeedleResult& n : r.needles) never += n.hits == 0;
  EXPECT_EQ(never, 1);  // one index misses in all six stamps, whatever way each was turned
  for (const NeedleResult& n : r.needles) EXPECT_TRUE(n.hits == 0 || n.hits == 6) << n.index;

  // Two needles out leave two arcs, two pitches apart: still one stamp each.
  const Planted arcs = Plant(ring, 15.0, centres, {2, 9}, -1, rng);
  const ValidationResult split = Validate(arcs.holes, {600, 420}, ring, ValidateOptions{});
  ASSERT_EQ(split.stamps.size(), 6u);
  EXPECT_EQ(split.stamps_overlapping, 0);
  EXPECT_EQ(split.hits, arcs.hits);
  int never_split = 0;
  for (const NeedleResult& n : split.needles) never_split += n.hits == 0;
  EXPECT_EQ(never_split, 2);
}

}  // namespace
}  // namespace needlescope::validate

#include <opencv2/imgproc.hpp>

#include "needlescope/validate/stain_at.h"

namespace needlescope::validate {
namespace {

TEST(StainAt, ReadsTheSpotsODAboveItsRing) {
  cv::Mat film(60, 60, CV_8UC3, cv::Scalar(230, 230, 230));
  cv::circle(film, {30, 30}, 3, cv::Scalar(200, 180, 115), cv::FILLED);  // red at half the film's: OD 0.301 more
  const color::Rgb red{1, 0, 0};
  EXPECT_NEAR(StainContrastAt(film, {30, 30}, 2.5, red), std::log10(230.0 / 115.0), 0.01);
  EXPECT_NEAR(StainContrastAt(film, {12, 12}, 2.5, red), 0.0, 1e-12);  // nothing there
  EXPECT_EQ(StainContrastAt(film, {2, 2}, 2.5, red), 0.0);             // its ring leaves the photo
}

TEST(StainAt, APlaceHoldsAHoleAgainstThePhotosOwnHoles) {
  cv::Mat film(80, 200, CV_8UC3, cv::Scalar(230, 230, 230));
  std::vector<Puncture> detected;
  for (int k = 0; k < 5; ++k) {  // detected holes: red OD 0.30 above the film
    cv::circle(film, {20 + 30 * k, 20}, 2, cv::Scalar(200, 180, 115), cv::FILLED);
    detected.push_back({20.0 + 30 * k, 20.0, 2.0, 1.0, 0.3});
  }
  cv::circle(film, {50, 60}, 2, cv::Scalar(225, 220, 188), cv::FILLED);  // a faint one: OD 0.087, 0.29 of them
  const color::Rgb red{1, 0, 0};
  const PlaceCheck loose = MakePlaceTest(film, detected, red, 0.12), strict = MakePlaceTest(film, detected, red, 0.5);
  ASSERT_TRUE(loose && strict);
  EXPECT_TRUE(loose({50, 60}));
  EXPECT_FALSE(strict({50, 60}));
  EXPECT_FALSE(loose({150, 60}));  // nothing there
  EXPECT_FALSE(MakePlaceTest(film, {}, red, 0.12));  // no holes to compare with
  EXPECT_FALSE(MakePlaceTest(film, detected, red, 0));
}

TEST(Validate, ANeedleWithoutADetectedHoleHitsWhenItsPlaceIsConfirmed) {
  const CartridgeLayout layout = ParseCartridgeLayout(GridJson(3, 1.0));
  cv::RNG rng(9);
  const std::vector<cv::Point2d> centres = {{100, 100}, {300, 100}, {500, 100}, {100, 300}};
  const Planted p = Plant(layout, 20.0, centres, {4}, -1, rng);  // the centre needle: no detected hole
  const PlaceCheck all = [](const cv::Point2d&) { return true; };
  const ValidationResult r = Validate(p.holes, {600, 400}, layout, ValidateOptions{}, all);
  ASSERT_EQ(r.stamps.size(), 4u);
  EXPECT_EQ(r.hits, 36);
  for (const StampResult& s : r.stamps) EXPECT_EQ(s.confirmed_at_place, 1);
  const ValidationResult none = Validate(p.holes, {600, 400}, layout, ValidateOptions{});
  EXPECT_EQ(none.hits, 32);
}

}  // namespace
}  // namespace needlescope::validate

#include "needlescope/validate/infer_layout.h"

namespace needlescope::validate {
namespace {

CartridgeLayout Ring12() {
  std::string needles;
  for (int k = 0; k < 12; ++k) {
    needles += (k ? "," : "") + std::string("[") + std::to_string(2 * std::cos(2 * CV_PI * k / 12)) + "," +
               std::to_string(2 * std::sin(2 * CV_PI * k / 12)) + "]";
  }
  return ParseCartridgeLayout(R"({"schema": "needlescope.cartridge/1", "name": "ring12", "needles_mm": [)" + needles + "]}");
}

TEST(InferLayout, FindsTheLayoutAndTheNeedlesNoStampShowsInAGridAndARing) {
  const CartridgeLayout grid = ParseCartridgeLayout(GridJson(6, 1.0)), ring = Ring12();
  std::vector<CartridgeLayout> known = {ParseCartridgeLayout(GridJson(3, 1.0)), grid, ring};
  known[0].name = "grid9";
  known[1].name = "grid36";
  cv::RNG rng(21);
  std::vector<cv::Point2d> centres;
  for (int s = 0; s < 6; ++s) centres.emplace_back(150 + 200 * (s % 3), 150 + 200 * (s / 3));
  const Planted on_grid = Plant(grid, 18.0, centres, {14, 27}, -1, rng);  // two inner needles never
  const InferredLayout g = InferLayout(on_grid.holes, 0, known);
  ASSERT_TRUE(g.found) << g.why_not;
  EXPECT_EQ(g.layout.needles_mm.size(), 36u);
  EXPECT_EQ(g.lattice_gaps_filled, 2);
  EXPECT_EQ(g.stamps_used, 6);
  EXPECT_EQ(g.matches.front().name, "grid36");
  EXPECT_EQ(g.matches.front().matched, 36);
  EXPECT_NEAR(g.layout.pitch_mm, 1.0, 0.02);  // in pitches: the scale is unknown

  const Planted on_ring = Plant(ring, 15.0, centres, {2, 9}, -1, rng);
  const InferredLayout r = InferLayout(on_ring.holes, 1 / 0.05, known);  // 20 px per mm given
  ASSERT_TRUE(r.found) << r.why_not;
  EXPECT_EQ(r.layout.needles_mm.size(), 12u);
  EXPECT_EQ(r.lattice_gaps_filled, 2);
  EXPECT_EQ(r.matches.front().name, "ring12");
  EXPECT_NEAR(r.layout.pitch_mm, ring.pitch_mm * 15.0 / 20.0, 0.03);  // mm, from the given scale
}

}  // namespace
}  // namespace needlescope::validate
