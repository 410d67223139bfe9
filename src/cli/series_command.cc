// needlescope series IMAGE... -o DIR: one treated area over time, every photo aligned to the
// first; redness and puncture counts per time point and an exponential recovery fit
// (docs/compare.md, "Series").

#include <cmath>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/compare_options.h"
#include "cli/exit_codes.h"
#include "needlescope/healing/compare_pair.h"
#include "needlescope/healing/recovery_fit.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/csv_field.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/version.h"
#include "needlescope/io/json_text.h"
#include "needlescope/pipeline/json_or_null.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope series IMAGE... -o DIR [--times D0,D1,...] [options]\n"
    "Three or more photos of one treated area in time order. Every photo is aligned to the\n"
    "first; redness (against each photo's own baseline) and punctures are measured per time\n"
    "point, and excess redness is fitted with exp(-k t): half-life and goodness of fit. Without\n"
    "untreated skin in the first photo, the redness lost since it is fitted, a (1 - exp(-k t)).\n"
    "Times: --times in days, else each photo's EXIF DateTimeOriginal. Writes DIR/series.csv,\n"
    "DIR/series.json and DIR/series.png. A photo that cannot be aligned is reported and left\n"
    "out (exit code 2).";

// Days since the epoch of an EXIF "YYYY:MM:DD HH:MM:SS", or NaN.
double ExifDays(const std::string& when) {
  std::tm tm{};
  std::istringstream in(when);
  in >> std::get_time(&tm, "%Y:%m:%d %H:%M:%S");
  if (in.fail()) return std::nan("");
  return double(timegm(&tm)) / 86400.0;
}

// Measured against untreated skin (the excess and the resolution) or, without any in the
// first photo, against the first photo (the change since it): the others stay absent.
struct TimePoint {
  std::string path;
  double day = 0;
  std::optional<double> excess_hemoglobin, excess_a_star;
  std::optional<double> hemoglobin_change, a_star_change;  // since the first photo
  size_t punctures = 0;
  std::optional<double> redness_resolution;
};

// What is plotted and fitted: the excess over untreated skin, or the redness lost since the
// first photo.
double Followed(const TimePoint& p) { return p.excess_hemoglobin ? *p.excess_hemoglobin : -*p.hemoglobin_change; }

cv::Mat Plot(const std::vector<TimePoint>& points, const std::optional<healing::RecoveryFit>& fit,
             bool against_first) {
  const cv::Size size(720, 440);
  const cv::Rect area(70, 30, 610, 340);
  cv::Mat out(size, CV_8UC3, cv::Scalar(255, 255, 255));
  double t_max = 0, y_max = 1e-6;
  for (const auto& p : points)
    t_max = std::max(t_max, p.day), y_max = std::max(y_max, Followed(p));
  if (fit) y_max = std::max(y_max, fit->initial_excess);
  t_max = std::max(t_max, 1e-6) * 1.05;
  y_max *= 1.15;
  auto at = [&](double t, double y) {
    return cv::Point(area.x + int(area.width * t / t_max),
                     area.y + area.height - int(area.height * std::max(y, 0.0) / y_max));
  };
  cv::rectangle(out, area, cv::Scalar(0, 0, 0), 1);
  if (fit) {
    std::vector<cv::Point> curve;
    for (int i = 0; i <= 200; ++i) {
      const double t = t_max * i / 200;
      const double decay = std::exp(-fit->rate_per_day * t);
      curve.push_back(at(t, fit->initial_excess * (against_first ? 1 - decay : decay)));
    }
    cv::polylines(out, curve, false, cv::Scalar(200, 120, 0), 2, cv::LINE_AA);
  }
  for (const auto& p : points)
    cv::circle(out, at(p.day, Followed(p)), 5, cv::Scalar(0, 0, 200), cv::FILLED,
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

}  // namespace

int RunSeries(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> images;
  std::string times;
  CompareArgs compare_args;
  po::options_description desc("series options");
  desc.add_options()("image", po::value(&images)->multitoken()->required(),
                     "photos in time order (3 or more)")(
      "times", po::value(&times)->default_value(""), "days since the first photo, comma-separated");
  AddCompareOptions(desc, compare_args, "the first photo");
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  if (images.size() < 3) throw UsageError("series needs 3 or more photos");
  std::vector<double> days;
  if (!times.empty()) {
    days = ParseNumberList(times, "--times", ',');
    if (days.size() != images.size()) throw UsageError("--times needs one value per photo");
  }

  const healing::CompareOptions options = MakeCompareOptions(compare_args, common);
  const ThreadLimit thread_limit(common.threads);

  const LoadedImage first = LoadImage(images[0], LoadOptions{});
  if (days.empty()) {
    const double t0 = ExifDays(first.exif_datetime);
    if (std::isnan(t0)) throw InputError(images[0], "no EXIF capture time: give --times");
    days.push_back(0);
  }
  // The first photo is every comparison's BEFORE: measured once. Without a treated region
  // nothing can be compared: one error for the series, not one per photo.
  healing::Reference reference;
  try {
    reference = healing::MeasureReference(first.bgr, options);
  } catch (const redness::RegionError& e) {
    throw InputError(images[0], e.what());
  }
  // The recovery curve is of excess redness over untreated skin; without any in the first
  // photo there is no excess to follow, only the redness each later photo has lost since
  // the first (as compare measures such a pair against BEFORE).
  const bool against_first = !reference.redness.baseline_found;
  TimePoint first_point;
  first_point.path = images[0];
  first_point.day = days[0];
  first_point.punctures = reference.punctures.size();
  if (against_first) {
    first_point.hemoglobin_change = 0.0;
    first_point.a_star_change = 0.0;
  } else {
    first_point.excess_hemoglobin = reference.redness.delta_hemoglobin.mean;
    first_point.excess_a_star = reference.redness.delta_a_star.mean;
    first_point.redness_resolution = 0.0;
  }
  std::vector<TimePoint> points = {first_point};
  int failed = 0;
  for (size_t i = 1; i < images.size(); ++i) {
    try {
      const LoadedImage later = LoadImage(images[i], LoadOptions{});
      if (days.size() < images.size()) {
        const double t = ExifDays(later.exif_datetime);
        if (std::isnan(t)) throw InputError(images[i], "no EXIF capture time: give --times");
        days.push_back(t - ExifDays(first.exif_datetime));
      }
      healing::CompareResult r;
      try {
        r = healing::CompareWithReference(first.bgr, reference, later.bgr, options);
      } catch (const registration::RegistrationError& e) {
        throw InputError(images[i],
                         std::string("cannot be aligned onto ") + images[0] + ": " + e.what());
      } catch (const redness::RegionError& e) {
        throw InputError(images[i], e.what());
      }
      TimePoint point;
      point.path = images[i];
      point.day = days[i];
      point.punctures = r.punctures_after.size();
      if (r.against_before) {
        point.hemoglobin_change = r.against_before->delta_hemoglobin;
        point.a_star_change = r.against_before->delta_a_star;
      } else {
        point.excess_hemoglobin = r.after.delta_hemoglobin.mean;
        point.excess_a_star = r.after.delta_a_star.mean;
        point.redness_resolution = r.redness_resolution;
      }
      points.push_back(point);
      if (!common.quiet)
        std::cerr << "[" << i + 1 << "/" << images.size() << "] " << images[i] << ": aligned, "
                  << r.registration.inliers << " inliers\n";
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
      if (days.size() < i + 1) days.push_back(std::nan(""));
    }
  }
  std::vector<double> t, y;
  for (const auto& p : points) t.push_back(p.day), y.push_back(Followed(p));
  std::string why;
  const auto fit = against_first ? healing::FitRecoveryFromFirst(t, y, &why) : healing::FitExponentialRecovery(t, y, &why);

  CreateOutputDirectory(common.out_dir);
  const std::filesystem::path dir(common.out_dir);
  std::ostringstream csv;
  csv << "day,image,excess_delta_hemoglobin,excess_delta_a_star,punctures,redness_resolution,"
         "hemoglobin_change_since_first,a_star_change_since_first\n";
  auto cell = [](const std::optional<double>& v) {
    std::ostringstream out;
    if (v) out << *v;
    return out.str();
  };
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& p : points) {
    csv << p.day << "," << CsvField(p.path) << "," << cell(p.excess_hemoglobin) << "," << cell(p.excess_a_star)
        << "," << p.punctures << "," << cell(p.redness_resolution) << "," << cell(p.hemoglobin_change) << ","
        << cell(p.a_star_change) << "\n";
    rows.push_back({{"day", p.day},
                    {"image", p.path},
                    {"excess_delta_hemoglobin", JsonOrNull(p.excess_hemoglobin)},
                    {"excess_delta_a_star", JsonOrNull(p.excess_a_star)},
                    {"punctures", p.punctures},
                    {"redness_resolution", JsonOrNull(p.redness_resolution)},
                    {"hemoglobin_change_since_first", JsonOrNull(p.hemoglobin_change)},
                    {"a_star_change_since_first", JsonOrNull(p.a_star_change)}});
  }
  nlohmann::ordered_json fit_json = nullptr;
  if (fit) {
    fit_json = {
        {"model", against_first ? "lost since the first photo(t) = a (1 - exp(-k t))" : "excess(t) = a exp(-k t)"},
        {"a", fit->initial_excess},
        {"k_per_day", fit->rate_per_day},
        {"half_life_days", fit->rate_per_day > 0 ? nlohmann::ordered_json(fit->half_life_days)
                                                 : nlohmann::ordered_json(nullptr)},
        {"r_squared", fit->r_squared},
        {"rmse", fit->rmse},
        {"points", fit->points}};
  }
  const nlohmann::ordered_json doc = {
      {"schema", "needlescope.series/1"},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"redness_against", against_first ? "the first photo" : "untreated skin"},
      {"redness_against_why", against_first ? nlohmann::ordered_json("no untreated skin in the first photo (baseline " +
                                                                       reference.redness.baseline_source + ")")
                                            : nlohmann::ordered_json(nullptr)},
      {"points", rows},
      {"recovery_fit", fit_json},
      {"fit_note", fit ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(why)},
      {"failed", failed}};
  std::vector<std::uint8_t> png;
  cv::imencode(".png", Plot(points, fit, against_first), png);
  WriteFileAtomically((dir / "series.png").string(), std::string(png.begin(), png.end()));
  WriteFileAtomically((dir / "series.csv").string(), csv.str());
  WriteFileAtomically((dir / "series.json").string(), JsonText(doc));
  if (!common.json_path.empty()) WriteJsonOutput(common.json_path, JsonText(doc));
  return failed > 0 ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
