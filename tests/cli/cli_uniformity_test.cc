// `needlescope uniformity` as a lab runs it on its own annotated points.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/uniformity/window.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::RunNeedlescope;

const std::string kPatterns = std::string(NEEDLESCOPE_TEST_DATA_DIR) + "/spatstat/patterns/";

TEST(CliUniformity, JsonMatchesSpatstatForThePolygonPattern) {
  const auto r = RunNeedlescope("uniformity --points " + kPatterns + "poly_L_csr.csv --window " +
                                kPatterns + "poly_L_csr.window.csv --effect-radius 10 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto ref = nlohmann::json::parse(
      std::ifstream(std::string(NEEDLESCOPE_TEST_DATA_DIR) + "/spatstat/reference.json"));
  nlohmann::json expected;
  for (const auto& p : ref["patterns"]) {
    if (p["name"] == "poly_L_csr") expected = p;
  }
  EXPECT_EQ(doc["n"], 300);
  EXPECT_EQ(doc["window"]["type"], "polygon");
  EXPECT_NEAR(doc["clark_evans"]["naive"].get<double>(),
              expected["clark_evans"]["naive"].get<double>(), 1e-9);
  EXPECT_TRUE(doc["clark_evans"]["donnelly"].is_null());  // rectangles only
  EXPECT_NEAR(doc["quadrats"]["k4"]["chi2"].get<double>(),
              expected["quadrats"]["k4"]["chi2"].get<double>(), 1e-4);
  EXPECT_NEAR(doc["coverage"][0]["fraction"].get<double>(),
              expected["coverage"]["r10"]["value"].get<double>(), 2e-5);
  EXPECT_TRUE(doc["intensity_per_cm2"].is_null());  // no scale given
  for (const char* key :
       {"nn", "voronoi", "largest_empty_circle", "gaps", "hotspots", "score", "verdict"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
}

TEST(CliUniformity, BadInputsAreOneLineWithExitCode) {
  testing::TempDir dir;
  const std::string text = "x,y\n10,10\n2000,10\n";
  testing::WriteBytes(dir.File("outside.csv"), testing::Bytes(text.begin(), text.end()));
  const std::string twisted = "x,y\n0,0\n10,10\n10,0\n0,10\n";
  testing::WriteBytes(dir.File("twisted.csv"), testing::Bytes(twisted.begin(), twisted.end()));
  struct Case {
    std::string args;
    int exit_code;
    std::string err;
  };
  const std::vector<Case> cases = {
      {"--points " + dir.File("outside.csv") + " --rect 0,0,100,100", 2,
       "needlescope: error: " + dir.File("outside.csv") +
           ": point (2000, 10) is outside the window\n"},
      {"--points " + dir.File("outside.csv") + " --window " + dir.File("twisted.csv"), 2,
       "needlescope: error: " + dir.File("twisted.csv") +
           ": the window polygon intersects itself (edges 0 and 2)\n"},
      {"--points " + dir.File("missing.csv") + " --rect 0,0,100,100", 2,
       "needlescope: error: " + dir.File("missing.csv") + ": no such file\n"},
      {"--points " + dir.File("outside.csv") + " --rect 0,0,0,100", 1,
       "needlescope: error: --rect = 0,0,0,100: the window has zero area (see 'needlescope "
       "uniformity --help')\n"},
      {"--points " + dir.File("outside.csv"), 1,
       "needlescope: error: give exactly one of --rect and --window (see 'needlescope uniformity "
       "--help')\n"},
  };
  for (const Case& c : cases) {
    const auto r = RunNeedlescope("uniformity " + c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args;
    EXPECT_EQ(r.err, c.err) << c.args;
  }
}

TEST(CliUniformity, FewerThanTwoPointsGiveNullsWithAReason) {
  testing::TempDir dir;
  const std::string text = "id,x,y\n1,10,10\n";
  testing::WriteBytes(dir.File("one.csv"), testing::Bytes(text.begin(), text.end()));
  const auto r =
      RunNeedlescope("uniformity --points " + dir.File("one.csv") + " --rect 0,0,100,100 --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["nn"].is_null());
  EXPECT_TRUE(doc["clark_evans"].is_null());
  EXPECT_TRUE(doc["score"].is_null());
  EXPECT_EQ(doc["verdict"], "sparse");
  EXPECT_NE(doc["undefined"].get<std::string>().find("fewer than 2 points"), std::string::npos);
}

// analyze on a sample photo whose estimated treated region is deeply concave: the uniformity
// section is there, the largest empty circle is centred inside the window it reports (a bug
// once put it in a notch, outside), and the coverage picture is written.
TEST(CliUniformity, AnalyzeReportsUniformityOverTheTreatedRegion) {
  testing::TempDir dir;
  const std::string src = NEEDLESCOPE_SOURCE_DIR;
  // Analyses the sample into DIR/<out> and returns its JSON document.
  auto analyze = [&](const std::string& out, const std::string& extra) {
    const auto r = RunNeedlescope("analyze " + src + "/sample_images/skin-treated-102.jpg -o " +
                                  dir.File(out) + " -q --chromophores " + src +
                                  "/models/chromophores-synth-camera.json --effect-radius 0.3mm"
                                  " --mm-per-px 0.07 --pictures coverage" + extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(testing::ReadTextFile(dir.File(out + "/skin-treated-102.json")));
  };
  const auto doc = analyze("out", "");
  const auto& u = doc["uniformity"];
  // The punctures' own area (its outline has a narrow neck, which the tracer opens).
  EXPECT_EQ(doc["redness"]["roi_source"], "estimated from the punctures' density");
  EXPECT_EQ(u["window_source"].get<std::string>().rfind("estimated treated region outline", 0), 0u);
  EXPECT_GT(u["n"].get<int>(), 100);
  EXPECT_LE(u["n"].get<size_t>(), doc["punctures"].size());
  EXPECT_NEAR(u["coverage"][0]["radius_px"].get<double>(), 0.3 / 0.07, 1e-9);
  EXPECT_FALSE(u["intensity_per_cm2"].is_null());
  uniformity::Polygon vertices;
  for (const auto& v : u["window"]["vertices"])
    vertices.emplace_back(v[0].get<double>(), v[1].get<double>());
  const auto window = uniformity::Window::FromPolygon(vertices);
  const cv::Point2d centre(u["largest_empty_circle"]["x"].get<double>(),
                           u["largest_empty_circle"]["y"].get<double>());
  EXPECT_TRUE(window.Contains(centre) || window.DistanceToBoundary(centre) < 1e-6);
  EXPECT_TRUE(std::filesystem::exists(dir.File("out/skin-treated-102.coverage.png")));

  // The same section for another thread count and tile size.
  EXPECT_EQ(analyze("again", " --threads 1 --tile-size 96")["uniformity"], u);
}

// A mask --roi is the window as drawn (not cut down to the skin mask).
TEST(CliUniformity, MaskRoiIsTheWindow) {
  testing::TempDir dir;
  const std::string src = NEEDLESCOPE_SOURCE_DIR;
  cv::Mat mask = cv::Mat::zeros(768, 1024, CV_8U);
  cv::rectangle(mask, cv::Rect(200, 150, 500, 400), 255, cv::FILLED);
  testing::WriteBytes(dir.File("roi.png"), testing::Encode(mask, ".png"));
  const auto r = RunNeedlescope("analyze " + src + "/sample_images/skin-treated-101.jpg -o " +
                                dir.File("out") + " -q --roi " + dir.File("roi.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto u = nlohmann::json::parse(
      testing::ReadTextFile(dir.File("out/skin-treated-101.json")))["uniformity"];
  EXPECT_NE(u["window_source"].get<std::string>().find("treated region outline"),
            std::string::npos);
  // The outline runs through the border pixels' centres: 499 x 399 px.
  EXPECT_NEAR(u["window_area_px"].get<double>(), 499.0 * 399.0, 1.0);
}

}  // namespace
}  // namespace needlescope
