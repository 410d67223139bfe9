#include "needlescope/uniformity/uniformity.h"
#include "needlescope/uniformity/voronoi.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <chrono>

namespace needlescope::uniformity {
namespace {

const Window kWindow = Window::Rectangle(0, 0, 1200, 800);

// A square lattice of `pitch` px with a little jitter, inside kWindow.
std::vector<cv::Point2d> Lattice(double pitch, std::uint64_t seed) {
  cv::RNG rng(seed);
  std::vector<cv::Point2d> points;
  for (double y = pitch / 2; y < 800; y += pitch) {
    for (double x = pitch / 2; x < 1200; x += pitch)
      points.emplace_back(x + rng.gaussian(1.0), y + rng.gaussian(1.0));
  }
  return points;
}

std::vector<cv::Point2d> Poisson(int n, std::uint64_t seed) {
  cv::RNG rng(seed);
  std::vector<cv::Point2d> points;
  for (int i = 0; i < n; ++i)
    points.emplace_back(rng.uniform(0.0, 1200.0), rng.uniform(0.0, 800.0));
  return points;
}

cv::Point2d Centroid(const Polygon& p) {
  cv::Point2d c(0, 0);
  for (const auto& v : p) c += v;
  return c * (1.0 / p.size());
}

TEST(Uniformity, RegularLatticeIsEven) {
  const UniformityResult r = MeasureUniformity(Lattice(30, 1), kWindow, UniformityOptions{});
  EXPECT_EQ(r.verdict, "even");
  EXPECT_GT(*r.score, 90);
  EXPECT_EQ(r.gap_fraction, 0);
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_TRUE(r.hotspots.empty());
}

TEST(Uniformity, PoissonPatternsAreRandom) {
  int random = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const UniformityResult r = MeasureUniformity(Poisson(600, seed), kWindow, UniformityOptions{});
    random += r.verdict == "random";
    EXPECT_NEAR(*r.score, 50, 10);
  }
  EXPECT_EQ(random, 10);
}

TEST(Uniformity, CutOutGapIsFlaggedWhereItIs) {
  std::vector<cv::Point2d> points;
  for (const cv::Point2d& p : Lattice(30, 2)) {
    if (cv::norm(p - cv::Point2d(700, 380)) > 200) points.push_back(p);
  }
  const UniformityResult r = MeasureUniformity(points, kWindow, UniformityOptions{});
  EXPECT_EQ(r.verdict, "gaps");
  ASSERT_FALSE(r.gaps.empty());
  EXPECT_LT(cv::norm(Centroid(r.gaps[0].outline) - cv::Point2d(700, 380)), 20);
  EXPECT_LT(cv::norm(r.largest_empty_circle->centre - cv::Point2d(700, 380)), 20);
  EXPECT_NEAR(r.largest_empty_circle->radius, 200, 20);
  EXPECT_LT(*r.score, 80);
}

TEST(Uniformity, DensePatchIsAHotspotWhereItIs) {
  std::vector<cv::Point2d> points = Lattice(30, 3);
  cv::RNG rng(4);
  for (int i = 0; i < 150; ++i) {
    const double a = rng.uniform(0.0, 2 * CV_PI), d = 60 * std::sqrt(rng.uniform(0.0, 1.0));
    points.emplace_back(300 + d * std::cos(a), 300 + d * std::sin(a));
  }
  const UniformityResult r = MeasureUniformity(points, kWindow, UniformityOptions{});
  EXPECT_EQ(r.verdict, "clustered");
  ASSERT_FALSE(r.hotspots.empty());
  EXPECT_LT(cv::norm(Centroid(r.hotspots[0].outline) - cv::Point2d(300, 300)), 20);
}

TEST(Uniformity, UndefinedMetricsAreAbsentWithAReason) {
  const UniformityResult r = MeasureUniformity({{10, 10}}, kWindow, UniformityOptions{});
  EXPECT_EQ(r.n, 1);
  EXPECT_FALSE(r.nn.has_value());
  EXPECT_FALSE(r.clark_evans.has_value());
  EXPECT_FALSE(r.score.has_value());
  EXPECT_NE(r.undefined.find("fewer than 2 points"), std::string::npos);
  EXPECT_EQ(r.verdict, "sparse");
}

TEST(Uniformity, RefusesBadWindowsAndPointsOutside) {
  auto message = [](auto&& fn) {
    try {
      fn();
    } catch (const WindowError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message([] {
              Window::FromPolygon({{0, 0}, {10, 10}, {10, 0}, {0, 10}});
            }),
            "the window polygon intersects itself (edges 0 and 2)");
  EXPECT_EQ(message([] {
              Window::FromPolygon({{0, 0}, {10, 0}, {20, 0}});
            }),
            "the window has zero area");
  EXPECT_EQ(message([] {
              Window::FromPolygon({{0, 0}, {10, 0}});
            }),
            "a window needs at least 3 vertices, got 2");
  EXPECT_EQ(message([] {
              MeasureUniformity({{5, 5}, {1300, 5}}, kWindow, UniformityOptions{});
            }),
            "point (1300, 5) is outside the window");
  UniformityOptions o;
  o.quadrat_k = {0};
  EXPECT_EQ(o.Check(), "uniformity.quadrat_k = 0: must be in [1, 64]");
}

// The issue asks for 100 000 points well under a second; the time is printed here and
// measured properly by the benchmark harness. The tiles must partition the window.
TEST(Uniformity, HundredThousandPointsTilesPartitionTheWindow) {
  const auto points = Poisson(100000, 9);
  const auto start = std::chrono::steady_clock::now();
  const UniformityResult r = MeasureUniformity(points, kWindow, UniformityOptions{});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "100000 points: " << seconds << " s\n";
  EXPECT_NEAR(r.voronoi->mean * r.n, kWindow.area(), 1e-6 * kWindow.area());
  EXPECT_EQ(r.n, 100000);
}

}  // namespace
}  // namespace needlescope::uniformity

namespace needlescope::uniformity {
namespace {

// A U-shaped window: clipping tiles to it leaves bridges across the notch; the largest empty
// circle must still be centred in the window, and agree with a brute-force search.
TEST(Uniformity, LargestEmptyCircleInAConcaveWindowIsCentredInside) {
  const Window u = Window::FromPolygon(
      {{0, 0}, {300, 0}, {300, 300}, {200, 300}, {200, 100}, {100, 100}, {100, 300}, {0, 300}});
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    cv::RNG rng(seed);
    std::vector<cv::Point2d> points;
    // Most points in the base, a few in each arm: tiles of base points reach up across the
    // notch, where cutting their bridges leaves vertices outside the window.
    while (points.size() < 12) points.emplace_back(rng.uniform(0.0, 300.0), rng.uniform(0.0, 60.0));
    for (int k = 0; k < 2; ++k) {
      points.emplace_back(rng.uniform(0.0, 100.0), rng.uniform(100.0, 300.0));
      points.emplace_back(rng.uniform(200.0, 300.0), rng.uniform(100.0, 300.0));
    }
    const EmptyCircle lec = LargestEmptyCircle(points, DirichletTiles(points, u), u);
    EXPECT_TRUE(u.Contains(lec.centre) || u.DistanceToBoundary(lec.centre) < 1e-6) << seed;
    double brute = 0;
    for (double y = 0; y <= 300; y += 0.5) {
      for (double x = 0; x <= 300; x += 0.5) {
        if (!u.Contains({x, y})) continue;
        double nearest = 1e9;
        for (const auto& p : points) nearest = std::min(nearest, cv::norm(p - cv::Point2d(x, y)));
        brute = std::max(brute, nearest);
      }
    }
    EXPECT_GE(lec.radius, brute - 1e-9) << seed;        // the grid never beats the exact maximum
    EXPECT_LE(lec.radius, brute + 0.5 * 0.71) << seed;  // and is within half a grid diagonal of it
  }
}

}  // namespace
}  // namespace needlescope::uniformity

namespace needlescope::uniformity {
namespace {

// A closed wiggly curve of n vertices, r = 100 + 10 sin(40 t): a simple polygon.
std::vector<cv::Point2d> Wiggle(int n) {
  std::vector<cv::Point2d> v;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * CV_PI * i / n, r = 100 + 10 * std::sin(40 * t);
    v.push_back({200 + r * std::cos(t), 200 + r * std::sin(t)});
  }
  return v;
}

// The test's own oracle: every pair of non-adjacent edges, in order.
std::string FirstCrossingByEveryPair(const std::vector<cv::Point2d>& v) {
  const size_t n = v.size();
  auto orient = [](cv::Point2d a, cv::Point2d b, cv::Point2d c) {
    const double d = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    return (d > 0) - (d < 0);
  };
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;
      const cv::Point2d a = v[i], b = v[(i + 1) % n], c = v[j], d = v[(j + 1) % n];
      if (orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0)
        return "the window polygon intersects itself (edges " + std::to_string(i) + " and " + std::to_string(j) + ")";
    }
  }
  return "accepted";
}

std::string Verdict(const std::vector<cv::Point2d>& v) {
  try {
    Window::FromPolygon(v);
  } catch (const WindowError& e) {
    return e.what();
  }
  return "accepted";
}

// A mask's outline at 24 MP can have 10^5 vertices; comparing every pair of edges is
// n^2 / 2 segment tests (2 x 10^10 here). The bucketed check must accept it and report the
// same first crossing as comparing every pair does.
TEST(Window, LargeOutlinesAreCheckedAndCrossingsFoundAsByEveryPair) {
  const Window big = Window::FromPolygon(Wiggle(200000));
  EXPECT_NEAR(big.area(), CV_PI * (100 * 100 + 10 * 10 / 2.0), 1.0);
  cv::RNG rng(3);
  int crossed = 0;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<cv::Point2d> v = Wiggle(1500);
    for (int k = 0; k < 1 + trial % 3; ++k) v[size_t(rng.uniform(0, 1500))] = {rng.uniform(90.0, 310.0), rng.uniform(90.0, 310.0)};
    const std::string expected = FirstCrossingByEveryPair(v);
    EXPECT_EQ(Verdict(v), expected) << trial;
    crossed += expected != "accepted";
  }
  EXPECT_GE(crossed, 15);  // the trials do test crossings
}

// A traced outline as analyze makes one (findContours, then approxPolyDP to 1 px): integer
// vertices, staircase runs of horizontal and vertical edges, a few thousand of them.
Window TracedOutline() {
  cv::Mat mask = cv::Mat::zeros(900, 900, CV_8U);
  std::vector<cv::Point> blob;
  for (int i = 0; i < 3000; ++i) {
    const double t = 2 * CV_PI * i / 3000;
    const double r = 300 + 60 * std::sin(7 * t) + 25 * std::sin(31 * t) + 5 * std::sin(151 * t) + 3 * std::sin(433 * t);
    blob.emplace_back(int(450 + r * std::cos(t)), int(450 + r * std::sin(t)));
  }
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{blob}, 255);
  cv::rectangle(mask, {400, 400}, {500, 880}, 0, cv::FILLED);  // a notch cut from the middle out
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  std::vector<cv::Point> outline;
  cv::approxPolyDP(contours.at(0), outline, 1.0, true);
  std::vector<cv::Point2d> v(outline.begin(), outline.end());
  return Window::FromPolygon(v);
}

// Contains and DistanceToBoundary look edges up on a grid for a window of many edges; the
// answers must be exactly those of the pass over every edge - on random points, on every
// vertex and edge midpoint, a hair either side of each edge, and on the horizontal lines
// through the vertices (where a ray cast meets vertices and horizontal edges).
TEST(Window, GridLookupsEqualThePassOverEveryEdge) {
  const Window w = TracedOutline();
  const Polygon& v = w.vertices();
  ASSERT_GT(v.size(), 500u);
  std::vector<cv::Point2d> probes;
  cv::RNG rng(17);
  const cv::Rect2d b = w.bounds();
  for (int i = 0; i < 20000; ++i) {
    probes.emplace_back(rng.uniform(b.x - 50, b.br().x + 50), rng.uniform(b.y - 50, b.br().y + 50));
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const cv::Point2d a = v[i], c = v[(i + 1) % v.size()], mid = 0.5 * (a + c);
    const cv::Point2d normal = cv::Point2d(c.y - a.y, a.x - c.x) * (1 / cv::norm(c - a));
    probes.insert(probes.end(), {a, mid, mid + 1e-9 * normal, mid - 1e-9 * normal, mid + 0.5 * normal,
                                 {rng.uniform(b.x, b.br().x), a.y}, {std::round(rng.uniform(b.x, b.br().x)), a.y}});
  }
  int inside = 0;
  for (const cv::Point2d& p : probes) {
    ASSERT_EQ(w.Contains(p), w.ContainsByEveryEdge(p)) << p;
    ASSERT_EQ(w.DistanceToBoundary(p), w.DistanceToBoundaryByEveryEdge(p)) << p;
    inside += w.Contains(p);
  }
  EXPECT_GT(inside, int(probes.size()) / 4);  // both answers are exercised
  EXPECT_LT(inside, int(probes.size()) * 3 / 4);
  const std::vector<char> each = w.ContainsEach(probes);
  const std::vector<double> distances = w.DistancesToBoundary(probes);
  for (size_t i = 0; i < probes.size(); ++i) {
    ASSERT_EQ(bool(each[i]), w.ContainsByEveryEdge(probes[i]));
    ASSERT_EQ(distances[i], w.DistanceToBoundaryByEveryEdge(probes[i]));
  }
}

// A box the grid calls interior must hold no boundary point: every probe in it is inside,
// off the boundary, and no vertex of the outline lies in it. Both answers are exercised.
TEST(Window, InteriorBoxesHoldNoBoundaryPoint) {
  const Window w = TracedOutline();
  const cv::Rect2d b = w.bounds();
  cv::RNG rng(19);
  int interior = 0, tried = 0;
  for (; tried < 4000; ++tried) {
    const double side = rng.uniform(0.5, 90.0);
    const cv::Point2d lo(rng.uniform(b.x - 20, b.br().x), rng.uniform(b.y - 20, b.br().y));
    const cv::Point2d hi = lo + cv::Point2d(side, rng.uniform(0.5, 90.0));
    if (!w.InteriorContainsBox(lo, hi)) continue;
    ++interior;
    for (int i = 0; i <= 4; ++i) {
      for (int j = 0; j <= 4; ++j) {
        const cv::Point2d p(lo.x + (hi.x - lo.x) * i / 4, lo.y + (hi.y - lo.y) * j / 4);
        ASSERT_TRUE(w.ContainsByEveryEdge(p)) << p;
        ASSERT_GT(w.DistanceToBoundaryByEveryEdge(p), 0) << p;
      }
    }
    for (const cv::Point2d& v : w.vertices()) {
      ASSERT_FALSE(v.x >= lo.x && v.x <= hi.x && v.y >= lo.y && v.y <= hi.y) << v;
    }
  }
  EXPECT_GT(interior, tried / 10);
  EXPECT_LT(interior, tried * 9 / 10);
}

// In a traced outline (hundreds of edges, a notch) a tile is the Voronoi cell clipped to the
// window: a cell wholly inside is kept as it is, the others clipped. Either way its area is
// that of the window clipped to the cell, and the tiles partition the window.
TEST(Voronoi, TilesInATracedOutlineAreTheCellsClippedToIt) {
  const Window w = TracedOutline();
  const cv::Rect2d b = w.bounds();
  std::vector<cv::Point2d> points;
  cv::RNG rng(23);
  while (points.size() < 3000) {
    const cv::Point2d p(rng.uniform(b.x, b.br().x), rng.uniform(b.y, b.br().y));
    if (w.Contains(p)) points.push_back(p);
  }
  const std::vector<Polygon> tiles = DirichletTiles(points, w);
  const std::vector<Polygon> cells = DirichletTiles(points, Window::Rectangle(b.x, b.y, b.br().x, b.br().y));
  double total = 0;
  int kept = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double area = std::abs(SignedArea(tiles[i]));
    const double clipped = std::abs(SignedArea(ClipToConvex(w.vertices(), cells[i])));
    ASSERT_NEAR(area, clipped, 1e-9 * clipped) << i;
    kept += tiles[i] == cells[i];
    total += area;
  }
  EXPECT_NEAR(total, w.area(), 1e-9 * w.area());
  EXPECT_GT(kept, 1500);  // most cells lie inside: the shortcut is taken
  EXPECT_LT(kept, 3000);  // and those along the outline are clipped
}

}  // namespace
}  // namespace needlescope::uniformity
