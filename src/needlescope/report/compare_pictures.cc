#include "needlescope/report/compare_pictures.h"

#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "needlescope/report/puncture_overlay.h"

namespace needlescope::report {

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
  cv::hconcat(RenderPunctureOverlay(before_bgr, r.punctures_before),
              RenderPunctureOverlay(r.after_aligned, after_in_before), out);
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

}  // namespace needlescope::report
