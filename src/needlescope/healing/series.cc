#include "needlescope/healing/series.h"

#include <cmath>

namespace needlescope::healing {

double Followed(const TimePoint& p) { return p.excess_hemoglobin ? *p.excess_hemoglobin : -*p.hemoglobin_change; }

double FittedAt(const SeriesResult& s, double day) {
  const double decay = std::exp(-s.fit->rate_per_day * day);
  return s.fit->initial_excess * (s.against_first ? 1 - decay : decay);
}

Series::Series(const std::string& first_path, const cv::Mat& first_bgr, const CompareOptions& options)
    : first_(first_bgr), options_(options), reference_(MeasureReference(first_bgr, options)) {
  // The recovery curve is of excess redness over untreated skin; without any in the first
  // photo there is no excess to follow, only the redness each later photo has lost since
  // the first (as compare measures such a pair against BEFORE).
  result_.against_first = !reference_.redness.baseline_found;
  if (result_.against_first) {
    result_.against_first_why = "no untreated skin in the first photo (baseline " + reference_.redness.baseline_source + ")";
  }
  TimePoint first;
  first.path = first_path;
  first.day = 0;
  first.punctures = reference_.punctures.size();
  first.pixels = double(first_bgr.total());
  if (result_.against_first) {
    first.hemoglobin_change = 0.0;
    first.a_star_change = 0.0;
  } else {
    first.excess_hemoglobin = reference_.redness.delta_hemoglobin.mean;
    first.excess_a_star = reference_.redness.delta_a_star.mean;
    first.redness_resolution = 0.0;
  }
  result_.points.push_back(first);
}

registration::Registration Series::Add(const std::string& path, const cv::Mat& bgr, double day) {
  const CompareResult r = CompareWithReference(first_, reference_, bgr, options_);
  TimePoint point;
  point.path = path;
  point.day = day;
  point.punctures = r.punctures_after.size();
  point.pixels = double(bgr.total());
  if (r.against_before) {
    point.hemoglobin_change = r.against_before->delta_hemoglobin;
    point.a_star_change = r.against_before->delta_a_star;
  } else {
    point.excess_hemoglobin = r.after.delta_hemoglobin.mean;
    point.excess_a_star = r.after.delta_a_star.mean;
    point.redness_resolution = r.redness_resolution;
  }
  result_.points.push_back(point);
  return r.registration;
}

SeriesResult Series::Finish() const {
  SeriesResult result = result_;
  std::vector<double> t, y;
  for (const TimePoint& p : result.points) t.push_back(p.day), y.push_back(Followed(p));
  result.fit = result.against_first ? FitRecoveryFromFirst(t, y, &result.fit_note)
                                    : FitExponentialRecovery(t, y, &result.fit_note);
  if (result.fit) result.fit_note.clear();
  return result;
}

}  // namespace needlescope::healing
