// Runs the built needlescope executable as a user would and checks exit codes, the one-line
// error contract, and the files written.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "needlescope/io/sha256.h"
#include "needlescope/version.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::Bytes;
using testing::RunNeedlescope;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  if (!std::filesystem::exists(dir)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

size_t CountLines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST(Cli, VersionAndHelp) {
  const auto version = RunNeedlescope("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("needlescope ") + kVersion + "\n");

  const auto help = RunNeedlescope("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("analyze"), std::string::npos);

  const auto analyze_help = RunNeedlescope("analyze --help");
  EXPECT_EQ(analyze_help.exit_code, 0);
  for (const char* option : {"--out", "--json", "--threads", "--tile-size", "--quiet",
                             "--verbose", "--max-megapixels", "(=512)", "(=250)"}) {
    EXPECT_NE(analyze_help.out.find(option), std::string::npos) << option;
  }
}

TEST(Cli, UsageErrorsExitOne) {
  testing::TempDir dir;
  const std::string out = " -o " + Quote(dir.File("out"));
  for (const std::string& args :
       {std::string(""), std::string("frobnicate"), std::string("analyze x.jpg"),
        "analyze x.jpg --threads -1" + out, "analyze x.jpg --tile-size 5" + out,
        "analyze x.jpg --max-megapixels 0" + out, "analyze x.jpg --no-such-option" + out,
        "analyze x.jpg --threads many" + out, "analyze x.jpg --radius-px 1-4" + out,
        "analyze x.jpg --radius-px 4:1" + out, "analyze x.jpg --radius-px 1:4x" + out,
        "analyze x.jpg --radius-mm 0.05:0.2" + out, "analyze x.jpg --pictures overlay,heatmap" + out,
        "analyze x.jpg --pictures ," + out, "analyze x.jpg --region-min-score 2" + out,
        "analyze x.jpg --region-min-score high" + out, "analyze x.jpg --stain-od 0.5,0.5,0.5" + out,
        "analyze x.jpg --radius-px 1:4 --radius-mm 0.05:0.2 --mm-per-px 0.05" + out}) {
    const auto r = RunNeedlescope(args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_NE(r.err.find("needlescope: error:"), std::string::npos) << args << ": " << r.err;
  }
}

TEST(Cli, AnalyzeWritesDocumentedJsonAndCsv) {
  testing::TempDir dir;
  const Bytes jpeg = testing::JpegWithOrientation(
      testing::Encode(testing::TexturedImage({120, 90}, /*seed=*/3), ".jpg"), 6);
  testing::WriteBytes(dir.File("cheek.jpg"), jpeg);

  const auto r = RunNeedlescope("analyze " + Quote(dir.File("cheek.jpg")) + " -o " +
                                Quote(dir.File("out")) + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(FilesIn(dir.File("out")),
            (std::vector<std::string>{"cheek.json", "cheek.punctures.csv", "cheek.report.html"}));

  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/cheek.json")));
  EXPECT_EQ(doc["schema"], "needlescope.analysis/1");
  EXPECT_EQ(doc["tool"]["version"], kVersion);
  EXPECT_EQ(doc["image"]["path"], dir.File("cheek.jpg"));
  EXPECT_EQ(doc["image"]["width"], 90);  // orientation 6 swaps the sides
  EXPECT_EQ(doc["image"]["height"], 120);
  EXPECT_EQ(doc["image"]["orientation_applied"], true);
  EXPECT_EQ(doc["image"]["sha256"], Sha256Hex(jpeg.data(), jpeg.size()));
  EXPECT_TRUE(doc["warnings"].is_array());
  EXPECT_TRUE(doc["punctures"].is_array());
  EXPECT_TRUE(doc.contains("redness"));
  EXPECT_TRUE(doc.contains("uniformity"));
  EXPECT_TRUE(doc["timing_ms"].contains("decode"));
  // The per-photo QC flags on batch's thresholds: no scale was given.
  EXPECT_NE(std::find(doc["qc"]["flags"].begin(), doc["qc"]["flags"].end(), "scale_unknown"), doc["qc"]["flags"].end())
      << doc["qc"];
  EXPECT_TRUE(doc["qc"]["measures"].contains("sharpness"));
  EXPECT_NE(testing::ReadTextFile(dir.File("out/cheek.report.html")).find("<b>scale_unknown</b>"), std::string::npos);
  EXPECT_EQ(testing::ReadTextFile(dir.File("out/cheek.punctures.csv")).substr(0, 29),
            "x,y,radius_px,score,contrast\n");

  // The default classifier, named and hashed, so a result says which model made it.
  const std::string model = testing::ReadTextFile(std::string(NEEDLESCOPE_SOURCE_DIR) + "/models/puncture-classifier.bin");
  EXPECT_EQ(doc["detection"]["classifier_sha256"],
            Sha256Hex(reinterpret_cast<const std::uint8_t*>(model.data()), model.size()));
  EXPECT_EQ(std::filesystem::path(doc["detection"]["classifier_file"].get<std::string>()).filename(),
            "puncture-classifier.bin");
}

// --pictures writes the PNGs asked for and nothing else changes: the JSON, CSV and report
// page are the same bytes (but the JSON's timings) with any pictures or none; --no-report
// leaves the page out.
TEST(Cli, PicturesOptionWritesOnlyThePicturesAskedFor) {
  testing::TempDir dir;
  testing::WriteBytes(dir.File("cheek.jpg"), testing::Encode(testing::TexturedImage({160, 120}, /*seed=*/5), ".jpg"));
  auto run = [&](const std::string& out, const std::string& extra) {
    const auto r = RunNeedlescope("analyze " + Quote(dir.File("cheek.jpg")) + " -o " + Quote(dir.File(out)) +
                                  " --quiet " + extra);
    EXPECT_EQ(r.exit_code, 0) << extra << ": " << r.err;
  };
  auto without_timing = [&](const std::string& json_file) {
    auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File(json_file)));
    doc.erase("timing_ms");
    return doc;
  };
  run("all", "--pictures overlay,redness,coverage");
  run("none", "");
  run("two", "--pictures coverage,overlay");
  run("bare", "--no-report");
  EXPECT_EQ(FilesIn(dir.File("none")), (std::vector<std::string>{"cheek.json", "cheek.punctures.csv", "cheek.report.html"}));
  EXPECT_EQ(FilesIn(dir.File("two")), (std::vector<std::string>{"cheek.coverage.png", "cheek.json", "cheek.overlay.png",
                                                                "cheek.punctures.csv", "cheek.report.html"}));
  EXPECT_EQ(FilesIn(dir.File("bare")), (std::vector<std::string>{"cheek.json", "cheek.punctures.csv"}));
  EXPECT_EQ(FilesIn(dir.File("all")).size(), 6u);
  for (const std::string out : {"none", "two", "bare"}) {
    EXPECT_EQ(without_timing(out + "/cheek.json"), without_timing("all/cheek.json")) << out;
    EXPECT_EQ(testing::ReadTextFile(dir.File(out + "/cheek.punctures.csv")),
              testing::ReadTextFile(dir.File("all/cheek.punctures.csv")));
  }
  for (const std::string out : {"none", "two"}) {
    EXPECT_EQ(testing::ReadTextFile(dir.File(out + "/cheek.report.html")),
              testing::ReadTextFile(dir.File("all/cheek.report.html"))) << out;
  }
  for (const std::string png : {"cheek.coverage.png", "cheek.overlay.png"}) {
    EXPECT_EQ(testing::ReadTextFile(dir.File("two/" + png)), testing::ReadTextFile(dir.File("all/" + png))) << png;
  }
}

// The report page is the same bytes for any thread count and tile size (its layers are made
// from deterministic maps; every encoder runs on one thread).
TEST(Cli, ReportPageIsTheSameForAnyThreadsAndTiles) {
  testing::TempDir dir;
  const std::string photo = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/skin-treated-102.jpg";
  ASSERT_EQ(RunNeedlescope("analyze " + photo + " -q -o " + Quote(dir.File("a"))).exit_code, 0);
  ASSERT_EQ(RunNeedlescope("analyze " + photo + " -q --threads 1 --tile-size 96 -o " + Quote(dir.File("b"))).exit_code, 0);
  const std::string a = testing::ReadTextFile(dir.File("a/skin-treated-102.report.html"));
  EXPECT_GT(a.size(), 100000u);
  EXPECT_TRUE(a == testing::ReadTextFile(dir.File("b/skin-treated-102.report.html")));
}

// Every rejection class: exit 2, exactly one stderr line naming the file, no output file.
TEST(Cli, BadInputsExitTwoWithOneLineAndNoOutput) {
  testing::TempDir dir;
  const Bytes good = testing::Encode(testing::TexturedImage({200, 160}, /*seed=*/4), ".jpg");
  Bytes corrupt_png = testing::Encode(testing::TexturedImage({200, 160}, /*seed=*/4), ".png");
  corrupt_png[corrupt_png.size() / 2] ^= 0x5A;
  const std::string text = "not an image";
  const std::vector<std::pair<std::string, Bytes>> bad_files = {
      {"empty.jpg", {}},
      {"text.jpg", Bytes(text.begin(), text.end())},
      {"truncated.jpg", Bytes(good.begin(), good.begin() + good.size() / 2)},
      {"corrupt.png", corrupt_png},
      {"tiny.png", testing::Encode(testing::TexturedImage({40, 40}, 5), ".png")},
  };
  for (const auto& [name, bytes] : bad_files) testing::WriteBytes(dir.File(name), bytes);
  std::filesystem::create_directory(dir.File("folder.jpg"));

  std::vector<std::string> cases = {"missing.jpg", "folder.jpg"};
  for (const auto& file : bad_files) cases.push_back(file.first);
  for (const std::string& name : cases) {
    const auto r = RunNeedlescope("analyze " + Quote(dir.File(name)) + " -o " +
                                  Quote(dir.File("out")));
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_EQ(CountLines(r.err), 1u) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("needlescope: error: " + dir.File(name) + ": ", 0), 0u) << r.err;
    EXPECT_TRUE(FilesIn(dir.File("out")).empty()) << name;
  }

  // The pixel cap, lowered so a small file trips it.
  testing::WriteBytes(dir.File("big.jpg"), good);
  const auto r = RunNeedlescope("analyze " + Quote(dir.File("big.jpg")) + " -o " +
                                Quote(dir.File("out")) + " --max-megapixels 0.01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "needlescope: error: " + dir.File("big.jpg") +
                       ": image is 200x160 px (0 MP), over the 0.01 MP limit (--max-megapixels)\n");
  EXPECT_TRUE(FilesIn(dir.File("out")).empty());
}

TEST(Cli, ABadClassifierFileExitsTwoNamingIt) {
  testing::TempDir dir;
  testing::WriteBytes(dir.File("cheek.jpg"), testing::Encode(testing::TexturedImage({120, 90}, 3), ".jpg"));
  const std::string text = "%YAML:1.0\nschema: \"other/1\"\n";
  testing::WriteBytes(dir.File("model.yml"), Bytes(text.begin(), text.end()));
  const std::string binary = "{\"schema\": \"needlescope.puncture-classifier/3\"\n";
  testing::WriteBytes(dir.File("model.bin"), Bytes(binary.begin(), binary.end()));
  for (const auto& [name, reason] : {std::pair<std::string, std::string>{"model.yml", "not a puncture classifier: a YAML model, which needlescope no longer reads "
                                                                                   "(convert it once: needlescope-train-classifier --convert MODEL -o NEW.bin)"},
                                     {"model.bin", "not a puncture classifier: the header line is not JSON"},
                                     {"missing.yml", "no such file"}}) {
    const auto r = RunNeedlescope("analyze " + Quote(dir.File("cheek.jpg")) + " -o " + Quote(dir.File("out")) +
                                  " --classifier " + Quote(dir.File(name)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "needlescope: error: " + dir.File(name) + ": " + reason + "\n");
    EXPECT_TRUE(FilesIn(dir.File("out")).empty());
  }
}

TEST(Cli, OneBadFileDoesNotStopTheBatch) {
  testing::TempDir dir;
  testing::WriteBytes(dir.File("a.png"), testing::Encode(testing::TexturedImage({100, 100}, 1), ".png"));
  testing::WriteBytes(dir.File("b.jpg"), {});
  testing::WriteBytes(dir.File("c.png"), testing::Encode(testing::TexturedImage({100, 100}, 2), ".png"));

  const auto r = RunNeedlescope("analyze " + Quote(dir.File("a.png")) + " " +
                                Quote(dir.File("b.jpg")) + " " + Quote(dir.File("c.png")) +
                                " -o " + Quote(dir.File("out")) + " --json - --quiet");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "needlescope: error: " + dir.File("b.jpg") + ": empty file (0 bytes)\n");
  EXPECT_EQ(FilesIn(dir.File("out")),
            (std::vector<std::string>{"a.json", "a.punctures.csv", "a.report.html", "c.json", "c.punctures.csv",
                                      "c.report.html"}));

  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["ok"], 2);
  EXPECT_EQ(summary["failed"], 1);
  ASSERT_EQ(summary["images"].size(), 3u);
  EXPECT_EQ(summary["images"][1]["status"], "error");
  EXPECT_EQ(summary["images"][2]["analysis"]["schema"], "needlescope.analysis/1");
}

// The outputs are written side by side; one that cannot be written (a folder stands at its
// name) fails that image alone, and takes back the files of it already written.
TEST(Cli, AnOutputThatCannotBeWrittenLeavesNoneOfThatImage) {
  testing::TempDir dir;
  testing::WriteBytes(dir.File("a.png"), testing::Encode(testing::TexturedImage({100, 100}, 1), ".png"));
  testing::WriteBytes(dir.File("b.png"), testing::Encode(testing::TexturedImage({100, 100}, 2), ".png"));
  for (const char* blocked : {"a.coverage.png", "a.redness.png"}) {
    std::filesystem::create_directories(dir.File("out/" + std::string(blocked)));
  }

  const auto r = RunNeedlescope("analyze " + Quote(dir.File("a.png")) + " " + Quote(dir.File("b.png")) +
                                " -o " + Quote(dir.File("out")) + " --quiet --pictures overlay,redness,coverage");
  EXPECT_EQ(r.exit_code, 2);
  // Two outputs fail; the one reported is the first in the documented order, whichever
  // task failed first.
  EXPECT_EQ(r.err.rfind("needlescope: error: " + dir.File("out/a.coverage.png") + ": cannot write output: ", 0), 0u)
      << r.err;
  EXPECT_EQ(CountLines(r.err), 1u) << r.err;
  EXPECT_EQ(FilesIn(dir.File("out")),
            (std::vector<std::string>{"a.coverage.png", "a.redness.png", "b.coverage.png", "b.json", "b.overlay.png",
                                      "b.punctures.csv", "b.redness.png", "b.report.html"}));
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("out/a.coverage.png")));
}

// A file name that is not UTF-8 (Linux allows any bytes) is analysed like any other; the
// JSON, which must be UTF-8, records it with U+FFFD for the bad byte. It used to end the
// whole run with an internal error and leave that image's PNGs and CSV behind.
TEST(Cli, AFileNameThatIsNotUtf8IsAnalysedAndRecordedReadably) {
  testing::TempDir dir;
  const std::string odd = dir.File("cheek\xff.png");
  testing::WriteBytes(odd, testing::Encode(testing::TexturedImage({100, 100}, 1), ".png"));
  testing::WriteBytes(dir.File("b.png"), testing::Encode(testing::TexturedImage({100, 100}, 2), ".png"));
  const auto r = RunNeedlescope("analyze " + Quote(odd) + " " + Quote(dir.File("b.png")) + " -o " +
                                Quote(dir.File("out")) + " --json - --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(FilesIn(dir.File("out")),
            (std::vector<std::string>{"b.json", "b.punctures.csv", "b.report.html", "cheek\xff.json",
                                      "cheek\xff.punctures.csv", "cheek\xff.report.html"}));
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/cheek\xff.json")));
  EXPECT_EQ(doc["image"]["path"], dir.File("cheek\xEF\xBF\xBD.png"));
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["ok"], 2);
}

TEST(Cli, RefusesTwoInputsWithTheSameOutputName) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("s1"));
  std::filesystem::create_directories(dir.File("s2"));
  const Bytes png = testing::Encode(testing::TexturedImage({100, 100}, 1), ".png");
  testing::WriteBytes(dir.File("s1/face.png"), png);
  testing::WriteBytes(dir.File("s2/face.png"), png);
  const auto r = RunNeedlescope("analyze " + Quote(dir.File("s1/face.png")) + " " +
                                Quote(dir.File("s2/face.png")) + " -o " + Quote(dir.File("out")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needlescope: error: " + dir.File("s2/face.png") + ": its output name"),
            std::string::npos) << r.err;
  EXPECT_EQ(FilesIn(dir.File("out")), (std::vector<std::string>{"face.json", "face.punctures.csv", "face.report.html"}));
}

}  // namespace
}  // namespace needlescope
