#include "needlescope/detect/scale_space.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "needlescope/detect/point_grid.h"

namespace needlescope::detect {
namespace {

// FindSpotMaxima pre-selects maxima by column maxima row by row and skips unselected pixels eight at
// a time; it must find exactly what a plain scan of every pixel finds. With one scale the
// merge rule has nothing finer to look at, so the result is the plain scan's maxima at or
// above the threshold, refined by a parabola per axis, greedily suppressed within 1.5 px
// (the floor of the suppression radius; this scale's radius is below it), strongest first.
struct Peak {
  int px, py;
  double x, y, v;
};

double ParabolaOffset(double l, double c, double r) {
  const double denom = l - 2 * c + r;
  return denom < 0 ? std::clamp(0.5 * (l - r) / denom, -0.5, 0.5) : 0.0;
}

std::vector<Peak> PlainScan(const cv::Mat& r, double min_response) {
  std::vector<Peak> peaks;
  for (int y = 1; y < r.rows - 1; ++y) {
    for (int x = 1; x < r.cols - 1; ++x) {
      const float v = r.at<float>(y, x);
      if (v < min_response) continue;
      bool peak = true;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          if (dx == 0 && dy == 0) continue;
          const float u = r.at<float>(y + dy, x + dx);
          // Ties: the neighbour above or to the left wins, as in the detector.
          const bool before = dy < 0 || (dy == 0 && dx < 0);
          if (before ? u >= v : u > v) peak = false;
        }
      }
      if (!peak) continue;
      peaks.push_back({x, y, x + ParabolaOffset(r.at<float>(y, x - 1), v, r.at<float>(y, x + 1)),
                       y + ParabolaOffset(r.at<float>(y - 1, x), v, r.at<float>(y + 1, x)), v});
    }
  }
  std::stable_sort(peaks.begin(), peaks.end(), [](const Peak& a, const Peak& b) {
    return a.v != b.v ? a.v > b.v : (a.y != b.y ? a.y < b.y : a.x < b.x);
  });
  std::vector<Peak> kept;
  for (const Peak& p : peaks) {
    const bool suppressed = std::any_of(kept.begin(), kept.end(), [&](const Peak& k) {
      return std::hypot(k.x - p.x, k.y - p.y) < 1.5;
    });
    if (!suppressed) kept.push_back(p);
  }
  return kept;
}

void ExpectSameAsPlainScan(const cv::Mat& plane, double min_response) {
  const std::vector<double> sigmas = {1.0};
  ASSERT_LT(RadiusFromSigma(sigmas[0]), 1.5);
  const std::vector<SpotMaximum> found = FindSpotMaxima({plane}, sigmas, min_response, {0, 0});
  const std::vector<Peak> expected = PlainScan(plane, min_response);
  ASSERT_EQ(found.size(), expected.size()) << "threshold " << min_response;
  EXPECT_FALSE(found.empty() && plane.rows > 3) << "a test with nothing to find";
  for (size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(found[i].px, expected[i].px) << i;
    EXPECT_EQ(found[i].py, expected[i].py) << i;
    EXPECT_EQ(found[i].response, expected[i].v) << i;
  }
}

TEST(FindSpotMaxima, FindsWhatAPlainScanFindsWithTiesPlateausAndOddWidths) {
  cv::RNG rng(7);
  for (const cv::Size size : {cv::Size(37, 29), cv::Size(9, 5), cv::Size(3, 3), cv::Size(64, 16)}) {
    // Six levels only, so that ties and plateaus are everywhere.
    const float levels[] = {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    cv::Mat plane(size, CV_32F);
    for (int y = 0; y < size.height; ++y)
      for (int x = 0; x < size.width; ++x) plane.at<float>(y, x) = levels[rng.uniform(0, 6)];
    ExpectSameAsPlainScan(plane, 0.05);
    ExpectSameAsPlainScan(plane, 0.3);  // float(0.3) > 0.3: values of 0.3 pass
    // A threshold just above float(0.3) as a double: values of 0.3 must not pass.
    ExpectSameAsPlainScan(plane, std::nextafter(double(0.3f), 1.0));
  }
}

// FindSpotMaxima buckets its maxima in a BoundedPointGrid; its results are PointGrid's only
// if both visit the same neighbours in the same order. Points in a tile-like rectangle away
// from the origin, some on cell borders, queries at points and between them.
TEST(BoundedPointGrid, VisitsWhatPointGridVisitsInTheSameOrder) {
  cv::RNG rng(5);
  const double reach = 4.2, x0 = 1530, y0 = -20, x1 = 2106, y1 = 556;
  PointGrid grid(reach);
  std::vector<cv::Point2d> points;
  for (int i = 0; i < 20000; ++i) {  // as dense as a tile's maxima on noisy skin
    const bool on_border = i % 10 == 0;
    const cv::Point2d p = on_border ? cv::Point2d(std::ceil(x0 / reach + rng.uniform(0, 130)) * reach, rng.uniform(y0, y1))
                                    : cv::Point2d(rng.uniform(x0, x1), rng.uniform(y0, y1));
    points.push_back(p);
  }
  BoundedPointGrid bounded(reach, x0, y0, x1 + reach, y1, int(points.size()));
  std::vector<int> a, b;
  size_t visited = 0;
  for (int i = 0; i < int(points.size()); ++i) {
    grid.Add(i, points[size_t(i)].x, points[size_t(i)].y);
    bounded.Add(i, points[size_t(i)].x, points[size_t(i)].y);
    if (i % 7 != 0) continue;  // queries while the grids fill, as the suppression does
    const cv::Point2d q = i % 2 ? points[size_t(i)] : 0.5 * (points[size_t(i)] + points[size_t(i / 2)]);
    a.clear();
    b.clear();
    grid.ForEachNear(q.x, q.y, [&](int id) { a.push_back(id); });
    bounded.ForEachNear(q.x, q.y, [&](int id) { b.push_back(id); });
    ASSERT_EQ(a, b) << i;
    visited += a.size();
  }
  EXPECT_GT(visited, 10000u);  // the queries do find neighbours, several each
}

// A workspace's memory is reused from tile to tile without being cleared: the stack and
// maxima of a plane must not depend on what an earlier tile (larger, smaller, other data)
// left in it.
TEST(LogStack, GivesTheSameStackAndMaximaInAReusedWorkspace) {
  cv::RNG rng(13);
  const std::vector<double> sigmas = LogSigmas(1.0, 4.0, 7);
  TileWorkspace workspace;
  for (const cv::Size size : {cv::Size(96, 80), cv::Size(150, 121), cv::Size(33, 47), cv::Size(96, 80)}) {
    cv::Mat plane(size, CV_32F);
    rng.fill(plane, cv::RNG::UNIFORM, 0.0, 1.0);
    const std::vector<cv::Mat> fresh = LogStack(plane, sigmas);
    const std::vector<cv::Mat> reused = LogStack(plane, sigmas, &workspace);
    ASSERT_EQ(reused.size(), fresh.size());
    for (size_t k = 0; k < fresh.size(); ++k) {
      ASSERT_EQ(reused[k].size(), size);
      ASSERT_EQ(cv::norm(reused[k], fresh[k], cv::NORM_INF), 0.0) << size << " scale " << k;
    }
    const std::vector<SpotMaximum> a = FindSpotMaxima(fresh, sigmas, 0.05, {7, 9});
    const std::vector<SpotMaximum> b = FindSpotMaxima(reused, sigmas, 0.05, {7, 9});
    ASSERT_FALSE(a.empty());
    ASSERT_EQ(a.size(), b.size()) << size;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(std::tie(a[i].x, a[i].y, a[i].scale, a[i].response),
                std::tie(b[i].x, b[i].y, b[i].scale, b[i].response));
    }
  }
}

TEST(TileWorkspacePool, LendsEachWorkspaceToOneTileAtATime) {
  TileWorkspacePool pool;
  TileWorkspace* first = nullptr;
  {
    auto a = pool.Borrow();
    auto b = pool.Borrow();
    EXPECT_NE(&*a, &*b);  // two tiles running: two workspaces
    first = &*a;
  }
  auto c = pool.Borrow();  // both returned: one is lent again, not a new one
  auto d = pool.Borrow();
  EXPECT_TRUE(&*c == first || &*d == first);
}

}  // namespace
}  // namespace needlescope::detect
