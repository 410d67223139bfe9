// The bad-input table of docs/reliability.md, one row per case: each runs the built
// executable and checks the documented exit code, the single stderr line naming the file and
// the reason, and that no output file was written for the input. Rows that are not errors
// (odd but valid names, unusual but readable formats) check that the photo was analysed.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;

struct Row {
  std::string name;
  std::string args;         // {dir} = the test's folder, {out} = the output folder
  int exit_code;            // README's codes: 1 usage, 2 an input could not be processed
  std::string named_file;   // the file the error line names (under {dir}); "" for usage errors
  std::string reason;       // a part of the reason
};

std::string Expand(std::string text, const testing::TempDir& dir) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{out}", dir.File("out")}, {"{dir}", dir.path()}}) {
    for (size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), "'" + value + "'");
  }
  return text;
}

void WriteText(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  testing::WriteBytes(dir.File(name), Bytes(text.begin(), text.end()));
}

size_t FilesUnder(const std::string& folder) {
  if (!fs::exists(folder)) return 0;
  return static_cast<size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

class BadInputTable : public ::testing::Test {
 protected:
  void SetUp() override {
    const cv::Mat photo = testing::TexturedImage({200, 160}, 11);
    testing::WriteBytes(dir_.File("photo.jpg"), testing::Encode(photo, ".jpg"));
    testing::WriteBytes(dir_.File("progressive.jpg"), testing::Encode(photo, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    std::vector<cv::Mat> two_pages = {photo, testing::TexturedImage({200, 160}, 12)};
    ASSERT_TRUE(cv::imwritemulti(dir_.File("two-pages.tif"), two_pages));
    testing::WriteBytes(dir_.File("small-mask.png"), testing::Encode(cv::Mat(40, 50, CV_8UC1, cv::Scalar(255)), ".png"));
    testing::WriteBytes(dir_.File("animated.webp"), testing::AnimatedWebp({photo, testing::TexturedImage({200, 160}, 13)}));
    WriteText(dir_, "animated.gif", std::string("GIF89a\x02\x00\x02\x00\x80\x00\x00", 13) + "NETSCAPE2.0");
    WriteText(dir_, "roi-nan.csv", "x,y\n10,10\nnan,20\n30,40\n");
    WriteText(dir_, "roi-inf.csv", "x,y\n10,10\ninf,20\n30,40\n");
    WriteText(dir_, "roi-two.csv", "x,y\n10,10\n20,20\n");
    WriteText(dir_, "roi-bowtie.csv", "x,y\n20,20\n150,120\n150,20\n20,120\n");
    WriteText(dir_, "roi-repeat.csv", "x,y\n20,20\n20,20\n150,120\n");
    WriteText(dir_, "points-none.csv", "x,y\n");
    WriteText(dir_, "points-one.csv", "x,y\n5,5\n");
    WriteText(dir_, "points-same.csv", "x,y\n5,5\n5,5\n9,9\n");
    WriteText(dir_, "points-outside.csv", "x,y\n5,5\n500,9\n");
    WriteText(dir_, "points-nan.csv", "x,y\n5,5\nnan,9\n");
    fs::create_directory(dir_.File("folder.jpg"));
    fs::create_directory(dir_.File("folder.csv"));
  }
  testing::TempDir dir_;
};

TEST_F(BadInputTable, EveryRowGivesItsExitCodeOneLineAndNoOutput) {
  const std::string analyze = "analyze {dir}/photo.jpg -o {out} --no-report --quiet ";
  const std::string uniformity = "uniformity --rect 0,0,100,100 --points ";
  const std::vector<Row> rows = {
      // analyze's side inputs
      {"roi vertex NaN", analyze + "--roi {dir}/roi-nan.csv", 2, "roi-nan.csv", "line 3 is not \"x,y\" numbers"},
      {"roi vertex inf", analyze + "--roi {dir}/roi-inf.csv", 2, "roi-inf.csv", "line 3 is not \"x,y\" numbers"},
      {"roi too few points", analyze + "--roi {dir}/roi-two.csv", 2, "roi-two.csv", "at least 3 vertices"},
      {"roi self-intersecting", analyze + "--roi {dir}/roi-bowtie.csv", 2, "roi-bowtie.csv", "intersects itself"},
      {"roi repeated vertex", analyze + "--roi {dir}/roi-repeat.csv", 2, "roi-repeat.csv", "repeats a vertex"},
      {"roi mask of another size", analyze + "--roi {dir}/small-mask.png", 2, "photo.jpg", "50x40"},
      {"roi missing", analyze + "--roi {dir}/no-such.csv", 2, "no-such.csv", "no such file"},
      {"roi a folder", analyze + "--roi {dir}/folder.csv", 2, "folder.csv", "directory"},
      {"image a folder", "analyze {dir}/folder.jpg -o {out} --quiet", 2, "folder.jpg", "directory"},
      {"GIF", "analyze {dir}/animated.gif -o {out} --quiet", 2, "animated.gif", "unsupported image format (GIF)"},
      {"multi-page TIFF", "analyze {dir}/two-pages.tif -o {out} --quiet", 2, "two-pages.tif", "2 pages"},
      {"animated WebP", "analyze {dir}/animated.webp -o {out} --quiet", 2, "animated.webp", "animated WebP"},
      // option values
      {"--mm-per-px negative", analyze + "--mm-per-px -1", 1, "", "mm_per_px"},
      {"--mm-per-px NaN", analyze + "--mm-per-px nan", 1, "", "mm_per_px"},
      {"--mm-per-px inf", analyze + "--mm-per-px inf", 1, "", "mm_per_px"},
      {"--threads negative", analyze + "--threads -1", 1, "", "--threads"},
      {"--radius-px reversed", analyze + "--radius-px 4:1", 1, "", "radius"},
      {"a leading dash without --", "analyze -photo.jpg -o {out}", 1, "", "-photo.jpg"},
      // uniformity's points
      {"uniformity duplicate points", uniformity + "{dir}/points-same.csv", 2, "points-same.csv", "coincide"},
      {"uniformity point outside", uniformity + "{dir}/points-outside.csv", 2, "points-outside.csv", "outside the window"},
      {"uniformity NaN point", uniformity + "{dir}/points-nan.csv", 2, "points-nan.csv", "line 3"},
      // train: a model name it will not write is refused before any training
      {"train -o a YAML name", "train --image {dir}/photo.jpg --points {dir}/points-one.csv -o {dir}/model.yml", 2,
       "model.yml", "written as schema /3 (binary) only"},
  };
  for (const Row& row : rows) {
    fs::remove_all(dir_.File("out"));
    const auto r = testing::RunNeedlescope(Expand(row.args, dir_));
    EXPECT_EQ(r.exit_code, row.exit_code) << row.name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << row.name << ": " << r.err;
    const std::string prefix = "needlescope: error: " + (row.named_file.empty() ? "" : dir_.File(row.named_file) + ": ");
    EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << row.name << ": " << r.err;
    EXPECT_NE(r.err.find(row.reason), std::string::npos) << row.name << ": " << r.err;
    EXPECT_EQ(FilesUnder(dir_.File("out")), 0u) << row.name;
  }
}

// Not errors: fewer than two points have no pattern (said, exit 0), a progressive JPEG is a
// JPEG, and names with spaces, quotes, commas, a newline, non-ASCII letters or a leading dash
// (after --) are names like any other, recorded as given.
TEST_F(BadInputTable, ValidButUnusualInputsAreAnalysed) {
  for (const std::string points : {"points-none.csv", "points-one.csv"}) {
    const auto r = testing::RunNeedlescope(Expand("uniformity --rect 0,0,100,100 --points {dir}/" + points, dir_));
    EXPECT_EQ(r.exit_code, 0) << points << ": " << r.err;
    EXPECT_NE(r.out.find("fewer than 2 points"), std::string::npos) << r.out;
  }
  const auto progressive = testing::RunNeedlescope(Expand("analyze {dir}/progressive.jpg -o {out} --no-report --quiet", dir_));
  EXPECT_EQ(progressive.exit_code, 0) << progressive.err;
  EXPECT_TRUE(fs::exists(dir_.File("out/progressive.json")));

  const std::vector<std::string> names = {"a b.jpg", "it's.jpg", "q\"uote.jpg", "c,omma.jpg", "new\nline.jpg",
                                          "\xC3\xBCn\xC3\xAF.jpg", "-dash.jpg"};
  std::string args = "analyze -o {out} --no-report --quiet --";
  for (const std::string& name : names) {
    fs::copy_file(dir_.File("photo.jpg"), dir_.File(name));
    std::string quoted;
    for (char c : dir_.File(name)) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    args += " '" + quoted + "'";
  }
  const auto r = testing::RunNeedlescope(Expand(args, dir_));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& name : names) {
    const std::string json = dir_.File("out/" + name.substr(0, name.size() - 4) + ".json");
    ASSERT_TRUE(fs::exists(json)) << name;
    EXPECT_EQ(nlohmann::json::parse(testing::ReadTextFile(json))["image"]["path"], dir_.File(name));
  }
}

// An output never replaces an input: b.jpg's redness picture would be b.redness.png, another
// input of the same run, so b.jpg is refused (its outputs not written) and b.redness.png is
// analysed from its own, unchanged bytes.
TEST_F(BadInputTable, AnOutputThatWouldReplaceAnInputIsRefused) {
  const Bytes png = testing::Encode(testing::TexturedImage({200, 160}, 13), ".png");
  testing::WriteBytes(dir_.File("b.redness.png"), png);
  fs::copy_file(dir_.File("photo.jpg"), dir_.File("b.jpg"));
  const auto r = testing::RunNeedlescope(
      Expand("analyze {dir}/b.jpg {dir}/b.redness.png -o {dir} --pictures redness --no-report --quiet", dir_));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("needlescope: error: " + dir_.File("b.jpg") + ": an output, ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("would replace an input of this run"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.File("b.json")));
  EXPECT_EQ(testing::ReadBytes(dir_.File("b.redness.png")), png);
  EXPECT_TRUE(fs::exists(dir_.File("b.redness.json")));
}

}  // namespace
}  // namespace needlescope
