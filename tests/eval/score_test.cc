#include "needlescope/eval/score.h"

#include <gtest/gtest.h>

#include "testing/synth_photos.h"

#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"

namespace needlescope::eval {
namespace {

TruthImage Hand(std::vector<TruthPoint> points, std::vector<bool> faint) {
  TruthImage t;
  t.name = "hand";
  t.width = 1000;
  t.height = 500;  // 0.5 MP
  t.kind = "skin-treated";
  t.points = std::move(points);
  t.faint = std::move(faint);
  return t;
}

TEST(Score, TruthAgainstItselfIsPerfect) {
  synth::SceneOptions o = testing::SmallScene();
  for (auto kind : {synth::SceneKind::kSkinTreated, synth::SceneKind::kSubstrate}) {
    const auto image = synth::RenderScene(kind, 4, o)[0];
    const nlohmann::json doc = nlohmann::json::parse(synth::TruthToJson(image.truth, "x.jpg").dump());
    const TruthImage truth = TruthFromJson(doc);
    std::vector<DetectedPoint> detections;
    for (const auto& p : image.truth.punctures) {
      if (p.visible) detections.push_back({p.x, p.y});
    }
    const auto report = EvalReportJson({ScoreImage(truth, detections)});
    EXPECT_GT(report["tp"].get<int>(), 10);
    EXPECT_EQ(report["fp"], 0);
    EXPECT_EQ(report["fn"], 0);
    EXPECT_EQ(report["f1"], 1.0);
    EXPECT_EQ(report["loc_error_median_px"], 0.0);
  }
}

TEST(Score, CountsAMissingPointAndAnExtraPoint) {
  const TruthImage truth = Hand({{10, 10, 2, true}, {50, 10, 2, true}, {90, 10, 2, true}},
                                {false, false, false});
  const ImageScore s = ScoreImage(truth, {{10.5, 10}, {50, 11}, {300, 300}});
  EXPECT_EQ(s.counts.tp, 2);
  EXPECT_EQ(s.counts.fn, 1);  // (90, 10) missed
  EXPECT_EQ(s.counts.fp, 1);  // (300, 300) extra
  const auto j = CountsJson(s.counts);
  EXPECT_DOUBLE_EQ(j["precision"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(j["recall"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(j["f1"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(j["fp_per_mp"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["loc_error_median_px"].get<double>(), 0.75);
}

TEST(Score, InvisibleAndFaintPointsCountNeitherWay) {
  // required, faint (visible), invisible
  const TruthImage truth = Hand({{10, 10, 2, true}, {50, 10, 2, false}, {90, 10, 2, false}},
                                {false, true, false});
  const ImageScore found_all = ScoreImage(truth, {{10, 10}, {50, 10}, {90, 10}});
  EXPECT_EQ(found_all.counts.tp, 1);
  EXPECT_EQ(found_all.counts.fp, 0);
  EXPECT_EQ(found_all.counts.faint_found, 1);
  EXPECT_EQ(found_all.counts.faint_total, 1);
  const ImageScore found_none = ScoreImage(truth, {});
  EXPECT_EQ(found_none.counts.fn, 1);  // only the required one is missed
  EXPECT_EQ(found_none.counts.faint_found, 0);
}

// The per-point CSV says what the counts say: a row per truth point in order, its match or
// -1, then the unmatched detections; optional points matched are neither hit nor extra.
TEST(Score, MatchesCsvGivesEveryPointsFate) {
  TruthImage missing_and_extra = Hand({{10, 10, 2, true}, {50, 10, 2, true}, {90, 10, 2, true}},
                                      {false, false, false});
  missing_and_extra.name = "a,\"b\"";  // quoted as CSV wants
  const ImageScore one = ScoreImage(missing_and_extra, {{300, 300}, {50, 11}, {10.5, 10}});
  const TruthImage optional = Hand({{10, 10, 2, true}, {50, 10, 2, false}, {90, 10, 2, false}}, {false, true, false});
  const ImageScore two = ScoreImage(optional, {{90, 10}, {10, 10}, {50, 10}});
  EXPECT_EQ(MatchesCsv({one, two}),
            "name,truth,detection,distance_px,required,faint\n"
            "\"a,\"\"b\"\"\",0,2,0.5000,1,0\n"
            "\"a,\"\"b\"\"\",1,1,1.0000,1,0\n"
            "\"a,\"\"b\"\"\",2,-1,,1,0\n"
            "\"a,\"\"b\"\"\",-1,0,,0,0\n"
            "hand,0,1,0.0000,1,0\n"
            "hand,1,2,0.0000,0,1\n"
            "hand,2,0,0.0000,0,0\n");
  EXPECT_EQ(MatchesCsv({}), "name,truth,detection,distance_px,required,faint\n");
}

TEST(Score, UndefinedRatiosAreNull) {
  const auto j = CountsJson(ScoreImage(Hand({}, {}), {}).counts);
  EXPECT_TRUE(j["precision"].is_null());
  EXPECT_TRUE(j["recall"].is_null());
  EXPECT_TRUE(j["f1"].is_null());
  EXPECT_DOUBLE_EQ(j["fp_per_mp"].get<double>(), 0.0);
}

TEST(Score, PercentileInterpolatesLikeNumpy) {
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile({4, 1, 3, 2}, 90), 3.7);
  EXPECT_DOUBLE_EQ(Percentile({7}, 90), 7);
}

TEST(Score, GroupsBySkinTypeAndQuality) {
  TruthImage a = Hand({{10, 10, 2, true}}, {false}), b = a;
  a.fitzpatrick = 2;
  a.jpeg_quality = 70;
  b.fitzpatrick = 6;
  b.jpeg_quality = 95;
  const auto report = EvalReportJson({ScoreImage(a, {{10, 10}}), ScoreImage(b, {})});
  EXPECT_EQ(report["groups"]["fitzpatrick"]["2"]["tp"], 1);
  EXPECT_EQ(report["groups"]["fitzpatrick"]["6"]["fn"], 1);
  EXPECT_EQ(report["groups"]["jpeg_quality"]["95"]["recall"], 0.0);
  EXPECT_EQ(report["images"].size(), 2u);
}

// The interval is over scenes: identical scenes give a zero-width interval at their F1, and
// a pair's two photos are drawn together as one scene.
TEST(Score, BootstrapIntervalOverScenes) {
  TruthImage a = Hand({{10, 10, 2, true}, {40, 40, 2, true}}, {false, false});
  a.name = "skin-treated-1";
  TruthImage b = a;
  b.name = "skin-treated-2";
  const ImageScore sa = ScoreImage(a, {{10, 10}}), sb = ScoreImage(b, {{10, 10}});
  const F1Interval same = BootstrapF1({&sa, &sb});
  EXPECT_EQ(same.scenes, 2);
  ASSERT_TRUE(same.low.has_value());
  EXPECT_DOUBLE_EQ(*same.low, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*same.high, 2.0 / 3);
  // One perfect and one empty-handed scene: the interval spans both.
  const ImageScore perfect = ScoreImage(a, {{10, 10}, {40, 40}}), none = ScoreImage(b, {});
  const F1Interval spread = BootstrapF1({&perfect, &none});
  EXPECT_DOUBLE_EQ(*spread.low, 0.0);
  EXPECT_DOUBLE_EQ(*spread.high, 1.0);
  // A pair is one scene.
  TruthImage before = a, after = a;
  before.name = "pair-7-before";
  after.name = "pair-7-after";
  const ImageScore pb = ScoreImage(before, {}), pa = ScoreImage(after, {});
  EXPECT_EQ(BootstrapF1({&pb, &pa}).scenes, 1);
  const auto report = EvalReportJson({perfect, none});
  EXPECT_EQ(report["scenes"], 2);
  EXPECT_FALSE(report["enough_scenes"].get<bool>());
  EXPECT_EQ(report["f1_ci95"].size(), 2u);
}

// The decided rule: where the truth carries d', it decides (>= 5 required, 3-5 faint).
TEST(Score, RequiredByTheObserversDPrime) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"schema": "needlescope.truth/1",
      "scene": {"name": "x", "width": 100, "height": 100, "kind": "skin-treated", "fitzpatrick": 3},
      "camera": {"jpeg_quality": 80},
      "punctures": [{"x": 10, "y": 10, "radius_px": 2, "d_prime": 7, "visible": false, "faint": true},
                    {"x": 20, "y": 20, "radius_px": 2, "d_prime": 4, "visible": true, "faint": false},
                    {"x": 30, "y": 30, "radius_px": 2, "d_prime": 1, "visible": true, "faint": false}]})");
  const TruthImage t = TruthFromJson(doc);
  EXPECT_TRUE(t.points[0].required);
  EXPECT_FALSE(t.points[1].required);
  EXPECT_TRUE(t.faint[1]);
  EXPECT_FALSE(t.points[2].required);
  EXPECT_FALSE(t.faint[2]);
}

}  // namespace
}  // namespace needlescope::eval
