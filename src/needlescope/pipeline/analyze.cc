#include "needlescope/pipeline/analyze.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

#include <tbb/global_control.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_group.h>
#include <tbb/task_arena.h>

#include "needlescope/io/input_error.h"
#include "needlescope/pipeline/analysis_pictures.h"
#include "needlescope/redness/puncture_region.h"
#include "needlescope/tiling/cancellation.h"

namespace needlescope {
namespace {

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

std::string AnalyzeOptions::Check() const {
  if (std::string error = load.Check(); !error.empty()) return error;
  if (std::string error = tiling.Check(); !error.empty()) return error;
  if (std::string error = redness.Check(); !error.empty()) return error;
  if (std::string error = puncture_region.Check(); !error.empty()) return error;
  if (std::string error = colour.chart.Check(); colour.use_chart && !error.empty()) return error;
  if (!(mm_per_px >= 0) || !std::isfinite(mm_per_px)) {
    return "analyze.mm_per_px = " + std::to_string(mm_per_px) + ": must be finite and >= 0 (0: unknown)";
  }
  uniformity::UniformityOptions u = uniformity;
  u.mm_per_px = mm_per_px;
  if (std::string error = u.Check(); !error.empty()) return error;
  return detect.Check();
}

AnalysisResult AnalyzeImage(const LoadedImage& image, const AnalyzeOptions& options) {
  AnalysisResult result;
  // Every stage measures the photo as corrected by a colour chart in its frame, if any.
  const auto colour_start = std::chrono::steady_clock::now();
  const cv::Mat bgr = CorrectedForChart(image.bgr, options.colour, options.tiling, &result.colour);
  result.timing_ms["colour_chart"] = MillisecondsSince(colour_start);
  if (options.measure_photo_quality) {
    // First, alone: its full-size planes are gone before the analysis peaks (run beside the
    // last stages it added 70 MB to a 24 MP run's peak).
    const auto quality_start = std::chrono::steady_clock::now();
    result.photo_quality = qc::MeasurePhotoQuality(bgr);
    result.timing_ms["photo_quality"] = MillisecondsSince(quality_start);
  }
  result.path = image.path;
  result.format = image.format;
  result.sha256 = image.sha256;
  result.width = bgr.cols;
  result.height = bgr.rows;
  result.exif_orientation = image.exif_orientation;
  result.orientation_applied = image.orientation_applied;
  result.warnings = image.warnings;
  // The limit in force, capped by what the arena can really run (a limit above the core
  // count does not add threads).
  result.threads = std::min(
      static_cast<int>(
          tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)),
      tbb::this_task_arena::max_concurrency());
  result.tile_size_px = options.tiling.tile_size_px;
  result.photo = bgr;
  // Redness and detection do not depend on each other: they run as two tasks at once, so
  // that the serial parts of one (its statistics, merges, sorts) overlap the parallel
  // parts of the other. Each is computed exactly as alone; their times overlap.
  detect::DetectOptions detect_options = options.detect;
  detect_options.tiling = options.tiling;
  detect_options.vectors = options.redness.vectors;
  detect::DetectResult detected;
  double detect_ms = 0;
  // Each task is isolated: a thread waiting inside one task's parallel loops helps only
  // that task, so on one thread they run one after the other rather than interleaved.
  tbb::parallel_invoke(
      [&] { tbb::this_task_arena::isolate([&] {
        const auto start = std::chrono::steady_clock::now();
        detected = detect::DetectPunctures(bgr, detect_options);
        detect_ms = MillisecondsSince(start);
      }); },
      [&] { tbb::this_task_arena::isolate([&] {
        const auto start = std::chrono::steady_clock::now();
        redness::RednessOptions redness_options = options.redness;
        redness_options.tiling = options.tiling;
        try {
          result.redness_maps = redness::MeasureRedness(bgr, redness_options);
        } catch (const redness::NoBaselineError& e) {
          // A close-up of the treated area: redness has nothing to be measured against, even
          // in a region the user named, but the punctures are still counted.
          result.redness_notes.not_measured = e.what();
          result.redness_notes.untreated_skin_in_frame = false;
          result.warnings.push_back(std::string("redness not measured: ") + e.what());
        } catch (const redness::NoSkinError& e) {
          // A validation film has no skin; its punctures are still worth counting. Only when
          // the user asked for redness by naming a region is this an error for the whole image.
          if (options.redness.roi || options.redness.reference) throw;
          result.redness_notes.not_measured = e.what();
          result.warnings.push_back(std::string("redness not measured: ") + e.what());
        }
        result.timing_ms["redness"] = MillisecondsSince(start);
      }); });
  ThrowIfCancelled();
  result.timing_ms["detect"] = detect_ms;
  // The treated region from every cue (docs/redness.md, "Treated region"): unless the user
  // gave one, the punctures' own area decides where redness's estimate found none or one
  // that disagrees with it. Only then is redness measured a second time.
  if (!options.redness.roi && result.redness_maps && detected.target == detect::Target::kBlood) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<cv::Point2d> points = redness::RegionPoints(
        detected.candidates, detected.classifier_scored, options.puncture_region);
    redness::RednessOptions redness_options = options.redness;
    redness_options.tiling = options.tiling;
    std::string cue;
    result.redness_maps = redness::WithPunctureRegion(bgr, redness_options, std::move(*result.redness_maps),
                                                      points, options.puncture_region, &cue);
    ThrowIfCancelled();
    result.redness_notes.region_cue = cue;
    if (options.puncture_region.min_candidate_score && detected.classifier_scored) {
      // The cue's "punctures" are then every candidate scored this high (--region-min-score).
      result.redness_notes.region_points_min_score = *options.puncture_region.min_candidate_score;
    }
    result.timing_ms["redness"] += MillisecondsSince(start);
  }
  result.punctures = std::move(detected.punctures);
  result.candidates = std::move(detected.candidates);
  const bool stain = detected.target == detect::Target::kStain;
  DetectionSection& d = result.detection;
  d.count = result.punctures.size();
  d.candidates = result.candidates.size();
  d.megapixels = double(bgr.total()) / 1e6;
  d.mm_per_px = options.mm_per_px;
  d.target = detected.target;
  d.target_asked = detect_options.target;
  d.min_radius_px = detect_options.min_radius_px;
  d.max_radius_px = detect_options.max_radius_px;
  d.plane = stain ? "red_od"
                  : detect::PlaneName(detect_options.classifier ? detect_options.classifier->plane() : detect_options.plane);
  d.decision = detected.decision;
  d.vectors = detect_options.vectors.source;
  d.min_response = stain                       ? detect_options.min_stain_response
                   : detect_options.classifier ? detect_options.classifier->min_response()
                                               : detect_options.min_response;
  if (stain) {
    d.min_stain_contrast = detect_options.min_stain_contrast;
    d.min_stain_roundness = detect_options.min_stain_roundness;
  } else if (detect_options.classifier) {
    d.classifier_threshold = detect_options.classifier->threshold();
    d.classifier_file = options.classifier_file;
    d.classifier_sha256 = options.classifier_sha256;
  } else {
    d.min_hemoglobin = detect_options.min_hemoglobin;
  }
  d.stain = detected.stain;
  d.stain_od_given = detect_options.stain_od;
  d.target_decision = detected.target_decision;
  // PNG encoding is single-threaded: the heat map (it needs nothing more) is encoded while
  // uniformity is measured; after it the overlay, and the coverage map once the heat map is
  // done too, so that no core waits alone on one picture at the end. The order also keeps
  // the peak memory down: the heat map is drawn (on every core) before uniformity starts,
  // and the Δhemoglobin map freed then - drawn beside uniformity, it met uniformity's
  // gap and hotspot rasters once uniformity became quick (434-460 MB at 24 MP); the region
  // masks are freed once both their readers are done, before the coverage map's canvas is
  // made. The tasks only read what uniformity does not write.
  if (options.measure_pooled_blood && detected.target == detect::Target::kBlood && result.redness_maps) {
    const auto start = std::chrono::steady_clock::now();
    result.pooled_blood = qc::MeasurePooledBlood(result.redness_maps->delta_hemoglobin_map, result.punctures);
    ThrowIfCancelled();
    result.timing_ms["pooled_blood"] = MillisecondsSince(start);
  }
  tbb::task_group pictures;
  const bool make = options.encode_pictures;
  const bool layers = options.make_report_layers;

  // The report's layers' own times (each written by one task only).
  double photo_layer_ms = 0, heat_layer_ms = 0;
  if (layers) {
    // The photo's JPEG beside everything below; the heat layer now, while the map is here.
    const cv::Size display = report::DisplaySize(bgr.size());
    pictures.run([&, display] {
      const auto layer_start = std::chrono::steady_clock::now();
      result.report_layers.photo_jpeg = report::DisplayJpeg(bgr, display);
      photo_layer_ms = MillisecondsSince(layer_start);
    });
    if (result.redness_maps && result.redness_maps->treated_found) {
      const auto layer_start = std::chrono::steady_clock::now();
      const redness::RednessResult& maps = *result.redness_maps;
      result.report_layers.redness = report::MakeHeatLayer(maps.delta_hemoglobin_map, maps.treated_mask,
                                                           report::DisplaySize(display, report::kHeatLayerLongSide));
      heat_layer_ms = MillisecondsSince(layer_start);
    }
  }
  const AnalyzeOptions::PictureChoice& chosen = options.pictures;
  // Unless the full-size heat map is to be drawn, the Δhemoglobin map's readers (the
  // bleeding screen and the heat layer) are done: its 4 bytes a pixel go now rather than
  // meet uniformity's rasters and the photo's display JPEG at the peak.
  const bool draw_heat_map = make && chosen.redness;
  if (!draw_heat_map && result.redness_maps) result.redness_maps->delta_hemoglobin_map.release();
  std::atomic<int> coverage_waits_for{draw_heat_map ? 2 : 1};  // heat map, uniformity
  auto start_coverage_when_ready = [&] {
    if (--coverage_waits_for > 0) return;
    if (result.redness_maps) {
      result.redness_maps->treated_mask.release();
      result.redness_maps->baseline_mask.release();
    }
    if (chosen.coverage) pictures.run([&] { result.pictures.coverage_png = CoveragePng(result); });
  };
  double drawing_ms = 0;  // the heat map's, before uniformity: counted with the pictures
  if (draw_heat_map) {
    const auto drawing_start = std::chrono::steady_clock::now();
    const cv::Mat heat_map = RednessPicture(result);
    if (result.redness_maps) result.redness_maps->delta_hemoglobin_map.release();
    drawing_ms = MillisecondsSince(drawing_start);
    pictures.run([&, heat_map] {
      result.pictures.redness_png = EncodePng(heat_map);
      start_coverage_when_ready();
    });
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    uniformity::UniformityOptions uniformity_options = options.uniformity;
    uniformity_options.mm_per_px = options.mm_per_px;
    try {
      result.pattern = MeasurePatternUniformity(result.punctures, bgr.size(), options.redness.roi,
                                                result.redness_maps ? &*result.redness_maps : nullptr,
                                                uniformity_options);
      result.uniformity_notes.options = uniformity_options;
    } catch (const uniformity::WindowError& e) {
      // A user's polygon that is no window is their error; an estimated outline that is not a
      // simple polygon is reported and the rest of the analysis stands.
      if (options.redness.roi && options.redness.roi->mask.empty()) throw redness::RegionError(std::string("--roi: ") + e.what());
      result.uniformity_notes.not_measured = e.what();
      result.warnings.push_back(std::string("uniformity not measured: ") + e.what());
    }
  } catch (...) {
    pictures.cancel();
    try {
      pictures.wait();
    } catch (...) {  // the analysis's own error is the one to report
    }
    throw;
  }
  result.timing_ms["uniformity"] = MillisecondsSince(start);
  ThrowIfCancelled();  // before the pictures read what uniformity made
  if (!make && result.redness_maps) {  // uniformity was the masks' last reader
    result.redness_maps->treated_mask.release();
    result.redness_maps->baseline_mask.release();
  }
  if (layers && !make) {
    const auto wait_start = std::chrono::steady_clock::now();
    pictures.wait();
    ThrowIfCancelled();
    result.report_layers.made = true;
    // The heat layer's time, and what waiting for the photo's adds after uniformity.
    result.timing_ms["report_layers"] = heat_layer_ms + MillisecondsSince(wait_start);
  }
  if (make) {
    // "pictures": what they add after uniformity (they started before it).
    const auto pictures_start = std::chrono::steady_clock::now();
    if (chosen.overlay) pictures.run([&] { result.pictures.overlay_png = OverlayPng(result); });
    start_coverage_when_ready();
    pictures.wait();
    ThrowIfCancelled();
    result.pictures.made = true;
    result.report_layers.made = layers;
    if (layers) result.timing_ms["report_layers"] = heat_layer_ms + photo_layer_ms;  // within "pictures"
    result.timing_ms["pictures"] = drawing_ms + MillisecondsSince(pictures_start);
  }
  return result;
}

AnalysisResult AnalyzeFile(const std::string& path, const AnalyzeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedImage image = LoadImage(path, options.load);
  const double decode_ms = MillisecondsSince(start);
  AnalysisResult result;
  try {
    result = AnalyzeImage(image, options);
  } catch (const redness::RegionError& e) {
    throw InputError(path, e.what());
  }
  result.timing_ms["decode"] = decode_ms;
  result.timing_ms["total"] = MillisecondsSince(start);
  return result;
}

}  // namespace needlescope
