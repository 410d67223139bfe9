// Uniformity statistics against R's spatstat (tests/data/spatstat: a copy of
// ../shared/reference/spatstat, whose README gives every definition and tolerance used here).

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "needlescope/uniformity/pattern_statistics.h"
#include "needlescope/uniformity/voronoi.h"
#include "needlescope/uniformity/window.h"

namespace needlescope::uniformity {
namespace {

const std::string kDir = std::string(NEEDLESCOPE_TEST_DATA_DIR) + "/spatstat/";

std::vector<cv::Point2d> ReadXy(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header x,y
  std::vector<cv::Point2d> points;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream row(line);
    cv::Point2d p;
    if (row >> p.x >> p.y) points.push_back(p);
  }
  return points;
}

const nlohmann::json& Reference() {
  static const nlohmann::json doc = nlohmann::json::parse(std::ifstream(kDir + "reference.json"));
  return doc;
}

class Spatstat : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const auto& p : Reference()["patterns"]) {
      if (p["name"] == GetParam()) ref_ = p;
    }
    ASSERT_FALSE(ref_.is_null());
    points_ = ReadXy(kDir + ref_["files"]["points"].get<std::string>());
    window_ = Window::FromPolygon(ReadXy(kDir + ref_["files"]["window"].get<std::string>()));
  }
  nlohmann::json ref_;
  std::vector<cv::Point2d> points_;
  Window window_ = Window::Rectangle(0, 0, 1, 1);
};

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_NEAR(actual, expected, (rel)*std::abs(double(expected)))

TEST_P(Spatstat, WindowAndNearestNeighbours) {
  EXPECT_EQ(int(points_.size()), ref_["n"].get<int>());
  EXPECT_REL(window_.area(), ref_["area"].get<double>(), 1e-12);
  EXPECT_EQ(window_.is_rectangle(), ref_["window"]["type"] == "rectangle");
  const Summary nn = Summarise(NearestNeighbourDistances(points_));
  const auto& r = ref_["nndist"];
  EXPECT_REL(nn.mean, r["mean"].get<double>(), 1e-9);
  EXPECT_REL(nn.sd, r["sd"].get<double>(), 1e-9);
  EXPECT_REL(nn.cv, r["cv"].get<double>(), 1e-9);
  EXPECT_REL(nn.min, r["min"].get<double>(), 1e-9);
  EXPECT_REL(nn.median, r["median"].get<double>(), 1e-9);
  EXPECT_REL(nn.max, r["max"].get<double>(), 1e-9);
}

TEST_P(Spatstat, ClarkEvans) {
  const ClarkEvans ce = ComputeClarkEvans(points_, NearestNeighbourDistances(points_), window_);
  const auto& r = ref_["clark_evans"];
  EXPECT_REL(ce.naive, r["naive"].get<double>(), 1e-9);
  if (r["donnelly"].is_null()) {
    EXPECT_FALSE(ce.donnelly.has_value());
  } else {
    ASSERT_TRUE(ce.donnelly.has_value());
    EXPECT_REL(*ce.donnelly, r["donnelly"].get<double>(), 1e-9);
  }
  if (r["cdf"].is_null()) {
    EXPECT_FALSE(ce.cdf.has_value());
    EXPECT_FALSE(ce.cdf_note.empty());
  } else {
    ASSERT_TRUE(ce.cdf.has_value());
    EXPECT_REL(*ce.cdf, r["cdf"].get<double>(), 3e-3);
  }
  EXPECT_REL(ce.z, r["ztest"]["Z"].get<double>(), 1e-9);
  const double p = r["ztest"]["p_two_sided"].get<double>();
  EXPECT_NEAR(ce.p_two_sided, p, std::max(1e-6 * p, 1e-12));
}

TEST_P(Spatstat, Quadrats) {
  for (int k : {4, 8}) {
    const auto& r = ref_["quadrats"]["k" + std::to_string(k)];
    const Quadrats q = ComputeQuadrats(points_, window_, k);
    const double tol = window_.is_rectangle() ? 1e-9 : 1e-6;
    for (int iy = 0; iy < k; ++iy) {
      for (int ix = 0; ix < k; ++ix) {
        const auto& c = r["counts"][iy][ix];
        EXPECT_EQ(q.counts[iy][ix], c.is_null() ? -1 : c.get<int>()) << k << " " << iy << "," << ix;
      }
    }
    EXPECT_EQ(q.cells_used, r["n_cells_used"].get<int>());
    EXPECT_EQ(q.df, r["df"].get<int>());
    EXPECT_REL(q.chi2, r["chi2"].get<double>(), tol);
    EXPECT_REL(q.cv, r["cv_count"].get<double>(), tol);
    for (const auto& [mine, key] : {std::pair{q.p_two_sided, "p_two_sided"},
                                    {q.p_clustered, "p_upper_clustered"},
                                    {q.p_regular, "p_lower_regular"}}) {
      const double p = r[key].get<double>();
      EXPECT_NEAR(mine, p, std::max(window_.is_rectangle() ? 1e-6 * p : 1e-6 * p, 1e-12))
          << key << " k" << k;
    }
  }
}

TEST_P(Spatstat, DirichletTilesCoverageAndLargestEmptyCircle) {
  const std::vector<Polygon> tiles = DirichletTiles(points_, window_);
  std::vector<double> areas;
  for (const Polygon& t : tiles) areas.push_back(std::abs(SignedArea(t)));
  const Summary s = Summarise(areas);
  const auto& d = ref_["dirichlet"];
  EXPECT_REL(s.mean, d["mean"].get<double>(), 1e-6);
  EXPECT_REL(s.cv, d["cv"].get<double>(), 1e-6);
  EXPECT_REL(s.min, d["min"].get<double>(), 1e-6);
  EXPECT_REL(s.max, d["max"].get<double>(), 1e-6);
  for (const auto& [key, r] : ref_["coverage"].items()) {
    if (!r.is_object()) continue;
    EXPECT_NEAR(CoverageFraction(points_, tiles, window_, r["r"].get<double>()),
                r["value"].get<double>(), 2e-5)
        << key;
  }
  const EmptyCircle lec = LargestEmptyCircle(points_, tiles, window_);
  EXPECT_NEAR(lec.radius, ref_["largest_empty_circle"]["exact"].get<double>(), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(
    References,
    Spatstat,
    ::testing::Values(
        "csr_n50", "csr_n400", "hex_jitter", "ssi_r28", "thomas", "gap", "poly_L_csr", "edge_n2"));

}  // namespace
}  // namespace needlescope::uniformity
