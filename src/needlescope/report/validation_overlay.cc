#include "needlescope/report/validation_overlay.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include <opencv2/imgproc.hpp>

namespace needlescope::report {

using validate::CartridgeLayout;
using validate::NeedleResult;
using validate::StampResult;
using validate::ValidationResult;

cv::Mat DrawValidationOverlay(const cv::Mat& bgr, const ValidationResult& r, const CartridgeLayout& layout) {
  cv::Mat out = bgr.clone();
  const double pitch = std::max(4.0, r.pitch_px);
  const int ring = std::max(2, static_cast<int>(0.3 * pitch));
  const double font = std::max(0.3, pitch / 40.0);
  const int thick = std::max(1, static_cast<int>(pitch / 20));
  for (size_t s = 0; s < r.stamps.size(); ++s) {
    const StampResult& stamp = r.stamps[s];
    for (size_t i = 0; i < stamp.fit.needles_px.size(); ++i) {
      const cv::Point c(cvRound(stamp.fit.needles_px[i].x), cvRound(stamp.fit.needles_px[i].y));
      const cv::Scalar colour = stamp.excluded ? cv::Scalar(160, 160, 160)
                                : stamp.hit[i]  ? cv::Scalar(40, 200, 40)
                                                : cv::Scalar(30, 30, 230);
      if (stamp.excluded || stamp.hit[i]) {
        cv::circle(out, c, ring, colour, thick, cv::LINE_AA);
      } else {
        cv::line(out, c + cv::Point(-ring, -ring), c + cv::Point(ring, ring), colour, thick + 1, cv::LINE_AA);
        cv::line(out, c + cv::Point(-ring, ring), c + cv::Point(ring, -ring), colour, thick + 1, cv::LINE_AA);
      }
      cv::putText(out, std::to_string(i), c + cv::Point(ring + 1, -ring), cv::FONT_HERSHEY_PLAIN, font, colour, 1,
                  cv::LINE_AA);
    }
    const std::string label = "S" + std::to_string(s) + (stamp.excluded ? " excluded: " + stamp.excluded_because : "");
    cv::putText(out, label, cv::Point(cvRound(stamp.fit.x), cvRound(stamp.fit.y)), cv::FONT_HERSHEY_SIMPLEX,
                font * 1.2, stamp.excluded ? cv::Scalar(160, 160, 160) : cv::Scalar(230, 120, 0), thick, cv::LINE_AA);
  }
  std::string failing;
  for (const NeedleResult& n : r.needles) {
    if (n.failing) failing += (failing.empty() ? "" : ", ") + std::to_string(n.index);
  }
  char legend[256];
  std::snprintf(legend, sizeof legend, "%s: %d stamps counted, penetration %.1f %% [%.1f, %.1f]; failing: %s",
                layout.name.c_str(), static_cast<int>(r.stamps.size()) - r.stamps_cut_by_edge - r.stamps_overlapping,
                100 * r.rate, 100 * r.ci_low, 100 * r.ci_high, failing.empty() ? "none" : failing.c_str());
  const double legend_scale = std::max(0.5, out.cols / 1600.0);
  cv::putText(out, legend, cv::Point(10, cvRound(30 * legend_scale)), cv::FONT_HERSHEY_SIMPLEX, legend_scale,
              cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
  cv::putText(out, legend, cv::Point(10, cvRound(30 * legend_scale)), cv::FONT_HERSHEY_SIMPLEX, legend_scale,
              cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  return out;
}

}  // namespace needlescope::report
