#include "needlescope/qc/qc_flags.h"

#include <cmath>
#include <sstream>

namespace needlescope::qc {
std::string QcOptions::Check() const {
  std::ostringstream error;
  auto need = [&](bool ok, const char* field, double value, const char* rule) {
    if (!ok && error.tellp() == 0) error << "qc." << field << " = " << value << ": " << rule;
  };
  need(min_sharpness >= 0 && min_sharpness < 10, "min_sharpness", min_sharpness, "must be in [0, 10)");
  need(min_p99_max_channel >= 0 && min_p99_max_channel <= 255, "min_p99_max_channel", min_p99_max_channel,
       "must be in [0, 255]");
  need(max_dark_fraction >= 0 && max_dark_fraction <= 1, "max_dark_fraction", max_dark_fraction, "must be in [0, 1]");
  need(max_clipped_fraction >= 0 && max_clipped_fraction <= 1, "max_clipped_fraction", max_clipped_fraction,
       "must be in [0, 1]");
  need(cast_tolerance >= 0 && cast_tolerance <= 1, "cast_tolerance", cast_tolerance, "must be in [0, 1]");
  need(max_gap_fraction >= 0 && max_gap_fraction <= 1, "max_gap_fraction", max_gap_fraction, "must be in [0, 1]");
  need(max_delta_a_star > 0, "max_delta_a_star", max_delta_a_star, "must be > 0");
  need(max_pool_punctures > 0, "max_pool_punctures", max_pool_punctures, "must be > 0");
  need(near_duplicate_bits >= 0 && near_duplicate_bits <= 64, "near_duplicate_bits", near_duplicate_bits,
       "must be in [0, 64]");
  return error.str();
}

std::vector<std::string> PhotoFlags(const PhotoQuality& q, const PooledBlood& blood, const AnalysisResult& analysis,
                                    const QcOptions& o) {
  std::vector<std::string> flags;
  if (q.sharpness < o.min_sharpness) flags.push_back("blurred");
  if (q.p99_max_channel < o.min_p99_max_channel || q.dark_fraction > o.max_dark_fraction) {
    flags.push_back("underexposed");
  }
  const bool on_skin = analysis.detection.target == detect::Target::kBlood;
  // A white validation film often clips by design (our substrates: up to 85 % of the frame)
  // and its dark stain spots cannot: clipping is a fault on skin only.
  if (on_skin && q.clipped_fraction > o.max_clipped_fraction) flags.push_back("overexposed");
  if (q.log_blue_green > o.cast_tolerance || q.log_red_green < -o.cast_tolerance) flags.push_back("colour_cast");

  if (!(analysis.detection.mm_per_px > 0)) flags.push_back("scale_unknown");
  if (on_skin) {  // a validation film's stamps leave gaps by design, and it has no redness
    if (analysis.pattern) {
      const uniformity::UniformityResult& pattern = analysis.pattern->result;
      if (pattern.density_in_target == false) flags.push_back("density_out_of_protocol");
      if (pattern.gap_fraction >= o.max_gap_fraction) flags.push_back("coverage_gaps");
    }
    const std::optional<redness::RednessResult>& redness = analysis.redness_maps;
    const bool deltas = redness && redness->treated_found && redness->baseline_found;
    if (deltas && redness->delta_a_star.p50 > o.max_delta_a_star) flags.push_back("excess_redness");
    if (blood.measured && blood.largest_area_px > o.max_pool_punctures * blood.puncture_area_px) {
      flags.push_back("possible_bleeding");
    }
    // Not found; or not measured for another reason than a frame that is all treated skin.
    const bool not_found = redness ? !redness->treated_found : analysis.redness_notes.untreated_skin_in_frame;
    if (not_found) flags.push_back("no_treated_region");
  }
  return flags;
}

void JudgeQc(const QcOptions& options, AnalysisResult* analysis) {
  CV_Assert(analysis->photo_quality.has_value());
  const PooledBlood blood = analysis->pooled_blood.value_or(PooledBlood{});
  analysis->qc = {true, PhotoFlags(*analysis->photo_quality, blood, *analysis, options),
                  QcMeasuresJson(*analysis->photo_quality, blood)};
}

nlohmann::ordered_json QcMeasuresJson(const PhotoQuality& q, const PooledBlood& blood) {
  using Json = nlohmann::ordered_json;
  Json measures = {{"sharpness", q.sharpness},         {"p99_max_channel", q.p99_max_channel},
                   {"dark_fraction", q.dark_fraction}, {"clipped_fraction", q.clipped_fraction},
                   {"log_red_green", q.log_red_green}, {"log_blue_green", q.log_blue_green},
                   {"perceptual_hash", HashHex(q.perceptual_hash)}};
  measures["pooled_blood"] = blood.measured ? Json{{"blood_level", blood.blood_level},
                                                   {"puncture_area_px", blood.puncture_area_px},
                                                   {"largest_area_px", blood.largest_area_px},
                                                   {"in_punctures", blood.largest_area_px / blood.puncture_area_px},
                                                   {"largest_at", {blood.largest_centre.x, blood.largest_centre.y}}}
                                            : Json(nullptr);
  return measures;
}

}  // namespace needlescope::qc
