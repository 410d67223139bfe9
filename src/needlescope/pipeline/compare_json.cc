#include "needlescope/pipeline/compare_json.h"

#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "needlescope/pipeline/json_or_null.h"
#include "needlescope/pipeline/redness_json.h"
#include "needlescope/report/puncture_overlay.h"
#include "needlescope/version.h"

namespace needlescope {
namespace {

nlohmann::ordered_json IntervalOrNull(const std::optional<std::pair<double, double>>& interval) {
  if (!interval) return nullptr;
  return {interval->first, interval->second};
}

}  // namespace


nlohmann::ordered_json CompareToJson(const healing::CompareResult& r,
                                     const std::string& before_path,
                                     const std::string& after_path) {
  using Json = nlohmann::ordered_json;
  Json rows = Json::array();
  for (int i = 0; i < 3; ++i)
    rows.push_back({r.registration.homography(i, 0), r.registration.homography(i, 1),
                    r.registration.homography(i, 2)});
  return {
      {"schema", kCompareSchema},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"before", before_path},
      {"after", after_path},
      {"registration",
       {{"homography", rows},
        {"inliers", r.registration.inliers},
        {"matches", r.registration.matches},
        {"rmse_px", r.registration.rmse_px},
        {"refined", r.registration.refined},
        {"method", r.registration.method}}},
      {"healing",
       {{"redness_resolution", JsonOrNull(r.redness_resolution)},
        {"redness_resolution_ci95", IntervalOrNull(r.redness_resolution_ci95)},
        {"redness_resolution_a_star", JsonOrNull(r.redness_resolution_a_star)},
        {"redness_against_before",
         r.against_before ? Json{{"delta_hemoglobin", r.against_before->delta_hemoglobin},
                                 {"delta_a_star", r.against_before->delta_a_star},
                                 {"why", r.before.baseline_source}}
                          : Json(nullptr)},
        {"puncture_persistence", JsonOrNull(r.puncture_persistence)},
        {"puncture_persistence_ci95", IntervalOrNull(r.puncture_persistence_ci95)},
        {"punctures_compared", r.compared},
        {"persistence_min_amplitude", r.persistence_min_amplitude},
        {"punctures_persisting", r.persisting},
        {"new_punctures", r.new_punctures},
        {"tone_evenness",
         {{"melanin_sd_before", r.tone.melanin_sd_before},
          {"melanin_sd_after", r.tone.melanin_sd_after},
          {"hemoglobin_sd_before", r.tone.hemoglobin_sd_before},
          {"hemoglobin_sd_after", r.tone.hemoglobin_sd_after}}},
        {"score", JsonOrNull(r.score)}}},
      {"punctures", {{"before", r.punctures_before.size()}, {"after", r.punctures_after.size()}}},
      {"redness_before", RednessToJson(r.before)},
      {"region_cue", r.region_cue},
      {"redness_after", RednessToJson(r.after)},
  };
}

std::string PersistenceToCsv(const healing::CompareResult& r) {
  std::string csv = "before_x,before_y,radius_px,after_x,after_y,after_amplitude,persists\n";
  char row[192];
  for (size_t b = 0; b < r.punctures_before.size(); ++b) {
    if (b >= r.after_amplitude.size() || std::isnan(r.after_amplitude[b])) continue;
    const Puncture& p = r.punctures_before[b];
    const cv::Vec3d m = r.registration.homography * cv::Vec3d(p.x, p.y, 1);
    std::snprintf(row, sizeof row, "%.3f,%.3f,%.3f,%.3f,%.3f,%.5f,%d\n", p.x, p.y, p.radius_px,
                  m[0] / m[2], m[1] / m[2], r.after_amplitude[b],
                  r.after_amplitude[b] >= r.persistence_min_amplitude ? 1 : 0);
    csv += row;
  }
  return csv;
}

cv::Mat RenderSideBySide(const cv::Mat& before_bgr, const healing::CompareResult& r) {
  // AFTER's punctures in BEFORE's frame.
  const cv::Matx33d to_before = r.registration.homography.inv();
  std::vector<Puncture> after_in_before;
  for (Puncture p : r.punctures_after) {
    const cv::Vec3d v = to_before * cv::Vec3d(p.x, p.y, 1);
    p.x = v[0] / v[2];
    p.y = v[1] / v[2];
    after_in_before.push_back(p);
  }
  cv::Mat out;
  cv::hconcat(report::RenderPunctureOverlay(before_bgr, r.punctures_before),
              report::RenderPunctureOverlay(r.after_aligned, after_in_before), out);
  for (const auto& [text, x] :
       {std::pair<std::string, int>{"BEFORE", 8}, {"AFTER (aligned)", before_bgr.cols + 8}}) {
    cv::putText(out, text, cv::Point(x, before_bgr.rows - 12), cv::FONT_HERSHEY_SIMPLEX, 0.8,
                cv::Scalar(255, 255, 255), 2, cv::LINE_AA);
  }
  return out;
}

cv::Mat RenderHemoglobinDifference(const cv::Mat& before_bgr, const healing::CompareResult& r) {
  cv::Mat after_hb;
  cv::warpPerspective(r.after.hemoglobin_map, after_hb, cv::Mat(r.registration.homography),
                      before_bgr.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                      cv::BORDER_CONSTANT, std::nan(""));
  // Smoothed (sigma 3 px, normalised over the overlap) so that regional change reads
  // through per-pixel noise.
  // Each photo against its own baseline, as the metrics are, so a lamp change is not shown.
  cv::Mat raw = (after_hb - r.after.baseline.hemoglobin) -
                (r.before.hemoglobin_map - r.before.baseline.hemoglobin);
  cv::Mat valid = (raw == raw);  // false where NaN (outside the overlap)
  raw.setTo(0, ~valid);
  cv::Mat weight, diff;
  valid.convertTo(weight, CV_32F, 1.0 / 255);
  cv::GaussianBlur(raw, diff, cv::Size(), 3);
  cv::GaussianBlur(weight, weight, cv::Size(), 3);
  diff = diff / weight;
  diff.setTo(std::nan(""), ~valid);
  // Diverging map over ±0.3 OD: blue where redness went down, red where it went up.
  cv::Mat out = before_bgr * 0.5;
  for (int y = 0; y < diff.rows; ++y) {
    for (int x = 0; x < diff.cols; ++x) {
      const float d = diff.at<float>(y, x);
      if (!std::isfinite(d)) continue;
      const double t = std::clamp(d / 0.3, -1.0, 1.0);
      const cv::Vec3d colour = t < 0 ? cv::Vec3d(255, 255 * (1 + t), 255 * (1 + t))
                                     : cv::Vec3d(255 * (1 - t), 255 * (1 - t), 255);
      out.at<cv::Vec3b>(y, x) =
          cv::Vec3b(cv::saturate_cast<uchar>(colour[0]), cv::saturate_cast<uchar>(colour[1]),
                    cv::saturate_cast<uchar>(colour[2]));
    }
  }
  const char* legend = "change in hemoglobin over baseline: blue -0.3, white 0, red +0.3 OD";
  cv::putText(out, legend, cv::Point(8, 24), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(0, 0, 0), 3,
              cv::LINE_AA);
  cv::putText(out, legend, cv::Point(8, 24), cv::FONT_HERSHEY_SIMPLEX, 0.6,
              cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  return out;
}

}  // namespace needlescope
