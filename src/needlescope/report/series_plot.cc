#include "needlescope/report/series_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace needlescope::report {

SeriesRange SeriesPlotRange(const healing::SeriesResult& series) {
  double t_max = 0, y_max = 1e-6;
  for (const healing::TimePoint& p : series.points) {
    t_max = std::max(t_max, p.day);
    y_max = std::max(y_max, healing::Followed(p));
  }
  if (series.fit) y_max = std::max(y_max, series.fit->initial_excess);
  return {std::max(t_max, 1e-6) * 1.05, y_max * 1.15};
}

cv::Mat RenderSeriesPlot(const healing::SeriesResult& series) {
  const std::vector<healing::TimePoint>& points = series.points;
  const std::optional<healing::RecoveryFit>& fit = series.fit;
  const bool against_first = series.against_first;
  const cv::Size size(720, 440);
  const cv::Rect area(70, 30, 610, 340);
  cv::Mat out(size, CV_8UC3, cv::Scalar(255, 255, 255));
  const SeriesRange range = SeriesPlotRange(series);
  const double t_max = range.days, y_max = range.level;
  auto at = [&](double t, double y) {
    return cv::Point(area.x + int(area.width * t / t_max),
                     area.y + area.height - int(area.height * std::max(y, 0.0) / y_max));
  };
  cv::rectangle(out, area, cv::Scalar(0, 0, 0), 1);
  if (fit) {
    std::vector<cv::Point> curve;
    for (int i = 0; i <= 200; ++i) {
      const double t = t_max * i / 200;
      curve.push_back(at(t, healing::FittedAt(series, t)));
    }
    cv::polylines(out, curve, false, cv::Scalar(200, 120, 0), 2, cv::LINE_AA);
  }
  for (const auto& p : points)
    cv::circle(out, at(p.day, healing::Followed(p)), 5, cv::Scalar(0, 0, 200), cv::FILLED,
               cv::LINE_AA);
  char text[160];
  cv::putText(out,
              against_first ? "redness lost since the first photo (hemoglobin, OD) vs days"
                            : "excess redness (delta hemoglobin, OD) vs days",
              cv::Point(70, 20),
              cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
  std::snprintf(text, sizeof text, "0 .. %.1f days; 0 .. %.3f OD", t_max, y_max);
  cv::putText(out, text, cv::Point(70, 395), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 1,
              cv::LINE_AA);
  if (fit && fit->rate_per_day > 0) {
    std::snprintf(text, sizeof text, "fit %s: half-life %.2f days, R^2 %.3f",
                  against_first ? "a (1 - exp(-k t))" : "a exp(-k t)", fit->half_life_days, fit->r_squared);
  } else {
    std::snprintf(text, sizeof text, "no recovery fit");
  }
  cv::putText(out, text, cv::Point(70, 420), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(200, 120, 0),
              1, cv::LINE_AA);
  return out;
}

}  // namespace needlescope::report
