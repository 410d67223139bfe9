// The report pages in a real browser (Debian's chromium, headless): each page is opened with
// a small test script appended that clicks what a person would click and writes what it saw
// into <body> attributes; chromium's --dump-dom then hands the page back after its scripts
// ran. Skipped, saying why, where chromium is not installed (tools/setup-deps.sh installs it).

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

using testing::ReadTextFile;
using testing::RunNeedlescope;

const std::string kSamples = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/";

std::string Chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// Chromium under a time limit: a page that never finishes loading fails its test instead of
// hanging the suite (exit code 124 from timeout).
testing::ProcessResult RunChromium(const std::string& args) {
  return testing::RunProgram("/usr/bin/timeout", "-k 5 60 '" + Chromium() + "'" + args);
}

#define SKIP_WITHOUT_CHROMIUM()                                                                       \
  if (Chromium().empty()) GTEST_SKIP() << "chromium is not installed (tools/setup-deps.sh installs the " \
                                          "Debian package chromium): the report's browser tests skip"

const std::string kChromiumFlags = " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --disable-extensions"
                                   " --no-first-run --window-size=1280,1400 ";

// The page with `script` appended before </body>, as a new file.
std::string WithScript(const std::string& page_path, const std::string& script, const std::string& out_path) {
  std::string html = ReadTextFile(page_path);
  const size_t end = html.rfind("</body>");
  EXPECT_NE(end, std::string::npos);
  html.insert(end, "<script>" + script + "</script>\n");
  std::ofstream(out_path, std::ios::binary) << html;
  return out_path;
}

// The DOM after the page's scripts ran.
std::string DumpDom(const std::string& page_path) {
  const auto r = RunChromium(kChromiumFlags + "--dump-dom 'file://" + page_path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// The value of attribute `name` on <body> in a dumped DOM ("" when absent).
std::string BodyAttribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  const std::regex body("<body([^>]*)>");
  if (!std::regex_search(dom, m, body)) return "";
  const std::string attributes = m[1];
  const std::regex attribute(" " + name + "=\"([^\"]*)\"");
  return std::regex_search(attributes, m, attribute) ? std::string(m[1]) : "";
}

class ReportBrowser : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

// The analysis page: loads with no script error, shows the JSON's puncture count and draws
// every puncture, the layer switches hide and show, and it fetched nothing.
TEST_F(ReportBrowser, AnalysisPageShowsTheJsonsFiguresAndItsLayersSwitch) {
  SKIP_WITHOUT_CHROMIUM();
  const auto r = RunNeedlescope("analyze " + kSamples + "skin-treated-101.jpg --mm-per-px 0.05 -q -o " + dir_.File("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(ReadTextFile(dir_.File("out/skin-treated-101.json")));
  const std::string probe = WithScript(dir_.File("out/skin-treated-101.report.html"), R"JS(
    (function () {
      var b = document.body, layer = document.getElementById("layer-punctures");
      b.setAttribute("data-count", document.getElementById("puncture-count").textContent);
      b.setAttribute("data-drawn", layer.getAttribute("data-drawn"));
      b.setAttribute("data-circles", String(layer.querySelectorAll("circle").length));
      var box = document.querySelector('input[data-layer="layer-punctures"]');
      b.setAttribute("data-before", getComputedStyle(layer).display);
      box.click();
      b.setAttribute("data-after-off", getComputedStyle(layer).display);
      box.click();
      b.setAttribute("data-after-on", getComputedStyle(layer).display);
      var heat = document.getElementById("layer-redness");
      b.setAttribute("data-heat-start", getComputedStyle(heat).display);
      document.querySelector('input[data-layer="layer-redness"]').click();
      b.setAttribute("data-heat-on", getComputedStyle(heat).display);
      var svg = document.querySelector(".viewer svg"), box0 = svg.getAttribute("viewBox");
      document.querySelector('button[data-zoom="in"]').click();
      b.setAttribute("data-zoomed", String(svg.getAttribute("viewBox") !== box0));
      b.setAttribute("data-resources", String(performance.getEntriesByType("resource").length));
    })();
  )JS", dir_.File("probe.html"));
  const std::string dom = DumpDom(probe);
  EXPECT_EQ(BodyAttribute(dom, "data-ready"), "1");
  EXPECT_EQ(BodyAttribute(dom, "data-script-error"), "");
  EXPECT_EQ(BodyAttribute(dom, "data-count"), std::to_string(doc["detection"]["count"].get<int>()));
  EXPECT_EQ(BodyAttribute(dom, "data-drawn"), std::to_string(doc["punctures"].size()));
  EXPECT_EQ(BodyAttribute(dom, "data-circles"), std::to_string(doc["punctures"].size()));
  EXPECT_GT(doc["punctures"].size(), 1000u);
  EXPECT_NE(BodyAttribute(dom, "data-before"), "none");
  EXPECT_EQ(BodyAttribute(dom, "data-after-off"), "none");
  EXPECT_NE(BodyAttribute(dom, "data-after-on"), "none");
  EXPECT_EQ(BodyAttribute(dom, "data-heat-start"), "none");  // off until asked
  EXPECT_NE(BodyAttribute(dom, "data-heat-on"), "none");
  EXPECT_EQ(BodyAttribute(dom, "data-zoomed"), "true");
  EXPECT_EQ(BodyAttribute(dom, "data-resources"), "0");
}

// A page fetches nothing even if something in it asked to: the Content-Security-Policy
// refuses it (an <img> with an http source is planted; the browser reports the refusal).
TEST_F(ReportBrowser, ThePageCannotReachTheNetwork) {
  SKIP_WITHOUT_CHROMIUM();
  ASSERT_EQ(RunNeedlescope("analyze " + kSamples + "substrate-104.jpg -q -o " + dir_.File("out")).exit_code, 0);
  const std::string probe = WithScript(dir_.File("out/substrate-104.report.html"), R"JS(
    document.addEventListener("securitypolicyviolation", function (e) {
      document.body.setAttribute("data-refused", e.blockedURI);
    });
    var img = document.createElement("img");
    img.src = "http://127.0.0.1:9/tracker.png";
    document.body.appendChild(img);
    var link = document.createElement("link");
    link.rel = "stylesheet"; link.href = "https://fonts.example.com/font.css";
    document.head.appendChild(link);
  )JS", dir_.File("probe.html"));
  const std::string dom = DumpDom(probe);
  EXPECT_EQ(BodyAttribute(dom, "data-ready"), "1");
  EXPECT_NE(BodyAttribute(dom, "data-refused").find("http"), std::string::npos) << dom.substr(0, 400);
  const std::string html = ReadTextFile(dir_.File("out/substrate-104.report.html"));
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(std::regex_search(html, std::regex("(src|href)=\"(https?:)?//")), false);
}

// A file name made to break out of the page is shown as text: no element is made from it.
TEST_F(ReportBrowser, AHostileFileNameIsShownAsText) {
  SKIP_WITHOUT_CHROMIUM();
  const std::string name = "x\"><img src=y onerror=alert(1)>.jpg";
  std::filesystem::copy_file(kSamples + "skin-treated-102.jpg", dir_.File(name));
  const auto r = RunNeedlescope("analyze '" + dir_.File(name) + "' -q -o " + dir_.File("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = dir_.File("out/x\"><img src=y onerror=alert(1)>.report.html");
  ASSERT_TRUE(std::filesystem::exists(page));
  const std::string probe = WithScript(page, R"JS(
    document.body.setAttribute("data-imgs", String(document.querySelectorAll("img").length));
    document.body.setAttribute("data-subtitle-ok",
        String(document.querySelector(".subtitle").textContent === 'x"><img src=y onerror=alert(1)>.jpg'));
  )JS", dir_.File("probe.html"));
  const std::string dom = DumpDom(probe);
  EXPECT_EQ(BodyAttribute(dom, "data-ready"), "1");
  EXPECT_EQ(BodyAttribute(dom, "data-imgs"), "0");
  EXPECT_EQ(BodyAttribute(dom, "data-subtitle-ok"), "true");
}

// The compare page: the slider moves the split between AFTER and BEFORE, and the healing
// figures shown are the JSON's.
TEST_F(ReportBrowser, ComparePageSliderMovesAndShowsTheJsonsHealing) {
  SKIP_WITHOUT_CHROMIUM();
  const auto r = RunNeedlescope("compare " + kSamples + "pair-103-before.jpg " + kSamples + "pair-103-after.jpg -q -o " +
                                dir_.File("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string base = dir_.File("out/pair-103-before_vs_pair-103-after");
  const auto doc = nlohmann::json::parse(ReadTextFile(base + ".json"));
  const std::string probe = WithScript(base + ".report.html", R"JS(
    var b = document.body, clip = document.querySelector("#after-clip rect"), slider = document.getElementById("slider");
    b.setAttribute("data-width-start", clip.getAttribute("width"));
    slider.value = 20;
    slider.dispatchEvent(new Event("input"));
    b.setAttribute("data-width-20", clip.getAttribute("width"));
    b.setAttribute("data-frame", document.querySelector(".viewer svg").viewBox.baseVal.width);
    b.setAttribute("data-text", document.querySelector("main").textContent.replace(/\s+/g, " "));
  )JS", dir_.File("probe.html"));
  const std::string dom = DumpDom(probe);
  EXPECT_EQ(BodyAttribute(dom, "data-ready"), "1");
  EXPECT_EQ(BodyAttribute(dom, "data-script-error"), "");
  const double frame = std::stod(BodyAttribute(dom, "data-frame"));
  EXPECT_NEAR(std::stod(BodyAttribute(dom, "data-width-start")), frame / 2, 1);
  EXPECT_NEAR(std::stod(BodyAttribute(dom, "data-width-20")), frame / 5, 1e-6);
  const std::string text = BodyAttribute(dom, "data-text");
  const auto percent = [](double share) {
    char out[32];
    std::snprintf(out, sizeof out, "%.0f %%", 100 * share);
    return std::string(out);
  };
  const auto& healing = doc["healing"];
  EXPECT_NE(text.find(percent(healing["redness_resolution"].get<double>()) + " (95 % interval " +
                      percent(healing["redness_resolution_ci95"][0].get<double>()).substr(0, 2)),
            std::string::npos)
      << text.substr(0, 600);
  EXPECT_NE(text.find(std::to_string(healing["punctures_persisting"].get<int>()) + " of " +
                      std::to_string(healing["punctures_compared"].get<int>())),
            std::string::npos);
}

// What a person sees is not blank: a screenshot of the analysis page has the photo's
// colours in it, not one background colour.
TEST_F(ReportBrowser, AScreenshotIsNotBlank) {
  SKIP_WITHOUT_CHROMIUM();
  ASSERT_EQ(RunNeedlescope("analyze " + kSamples + "skin-treated-101.jpg -q -o " + dir_.File("out")).exit_code, 0);
  const auto r = RunChromium(kChromiumFlags + "--screenshot='" + dir_.File("shot.png") + "' 'file://" +
                             dir_.File("out/skin-treated-101.report.html") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Mat shot = cv::imread(dir_.File("shot.png"));
  ASSERT_FALSE(shot.empty());
  EXPECT_EQ(shot.cols, 1280);
  cv::Mat grey;
  cv::cvtColor(shot, grey, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, sd;
  cv::meanStdDev(grey, mean, sd);
  EXPECT_GT(sd[0], 20.0);
  // Skin-coloured pixels (red above green above blue) cover a good part of it: the photo.
  int skin = 0;
  for (int y = 0; y < shot.rows; y += 4) {
    for (int x = 0; x < shot.cols; x += 4) {
      const cv::Vec3b p = shot.at<cv::Vec3b>(y, x);
      if (p[2] > p[1] + 15 && p[1] > p[0]) ++skin;
    }
  }
  EXPECT_GT(skin, (shot.rows / 4) * (shot.cols / 4) / 10);
}

// --pdf prints the page (A4) beside it; --anonymize names the photo by a salted hash, the
// same for the same salt, another for another, and the file name appears nowhere in the page.
TEST_F(ReportBrowser, PdfAndAnonymizedNames) {
  SKIP_WITHOUT_CHROMIUM();
  // A name with a space, '#', '?' and '%': the PDF's URL must still name the file.
  const std::string photo = dir_.File("Jane Doe #1 ?100%.jpg");
  std::filesystem::copy_file(kSamples + "skin-treated-102.jpg", photo);
  const auto run = [&](const std::string& out, const std::string& salt) {
    const auto r = RunNeedlescope("analyze '" + photo + "' -q --pdf --anonymize --salt " + salt + " -o " + dir_.File(out));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ReadTextFile(dir_.File(out + "/Jane Doe #1 ?100%.report.html"));
  };
  const std::string a = run("a", "s1"), b = run("b", "s1"), c = run("c", "s2");
  const std::string pdf = ReadTextFile(dir_.File("a/Jane Doe #1 ?100%.report.pdf"));
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_GT(pdf.size(), 10000u);
  // A4 by default (595 × 842 pt), Letter when asked (612 × 792 pt); the temporary copy is gone.
  const auto page_size = [](const std::string& pdf_bytes) {
    std::smatch m;
    const std::regex box(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])");
    return std::regex_search(pdf_bytes, m, box) ? std::pair{std::stod(m[1]), std::stod(m[2])} : std::pair{0.0, 0.0};
  };
  EXPECT_NEAR(page_size(pdf).first, 595.3, 1.0);
  EXPECT_NEAR(page_size(pdf).second, 841.9, 1.0);
  ASSERT_EQ(RunNeedlescope("analyze '" + photo + "' -q --pdf --paper letter -o " + dir_.File("letter")).exit_code, 0);
  const auto letter = page_size(ReadTextFile(dir_.File("letter/Jane Doe #1 ?100%.report.pdf")));
  EXPECT_NEAR(letter.first, 612, 1.0);
  EXPECT_NEAR(letter.second, 792, 1.0);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.File("letter"))) {
    EXPECT_EQ(entry.path().string().find(".print.html"), std::string::npos) << entry.path();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.File("a/Jane Doe #1 ?100%.report.pdf.partial")));
  for (const std::string* page : {&a, &b, &c}) EXPECT_EQ(page->find("Jane"), std::string::npos);
  const std::regex hashed("photo [0-9a-f]{12}");
  std::smatch ma, mb, mc;
  ASSERT_TRUE(std::regex_search(a, ma, hashed));
  ASSERT_TRUE(std::regex_search(b, mb, hashed));
  ASSERT_TRUE(std::regex_search(c, mc, hashed));
  EXPECT_EQ(ma.str(), mb.str());
  EXPECT_NE(ma.str(), mc.str());
  // Without a salt, --anonymize is refused (a bare hash of a name can be found by guessing).
  EXPECT_EQ(RunNeedlescope("analyze '" + photo + "' -q --anonymize -o " + dir_.File("d")).exit_code, 1);
}

}  // namespace
}  // namespace needlescope
