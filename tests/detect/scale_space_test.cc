#include "needlescope/detect/scale_space.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace needlescope::detect {
namespace {

// FindSpotMaxima pre-selects maxima with dilate/compare and skips unselected pixels eight at
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

}  // namespace
}  // namespace needlescope::detect
