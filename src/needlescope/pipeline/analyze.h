#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/puncture.h"
#include "needlescope/pipeline/analysis_sections.h"
#include "needlescope/pipeline/colour_correction.h"
#include "needlescope/pipeline/pattern_uniformity.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/pooled_blood.h"
#include "needlescope/redness/puncture_region.h"
#include "needlescope/redness/redness.h"
#include "needlescope/report/display_layers.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope {

struct AnalyzeOptions {
  LoadOptions load;
  TilingOptions tiling;  // shared by every stage
  redness::RednessOptions redness;  // its tiling is overwritten by `tiling`
  detect::DetectOptions detect;     // its tiling and vectors are overwritten by the above
  uniformity::UniformityOptions uniformity;  // its mm_per_px is overwritten by mm_per_px
  redness::PunctureRegionOptions puncture_region;  // the treated region from the punctures
  double mm_per_px = 0;             // physical scale of the photo, mm; 0 = unknown
  ColourCorrectionOptions colour;   // a ColorChecker in the frame corrects the photo first
  // Make the PNG pictures (analysis_pictures.h) during the analysis, each as soon as what
  // it shows is measured, overlapping the later stages (the CLI does; results unchanged).
  bool encode_pictures = false;
  // Which of them (with encode_pictures): a batch that needs only the numbers skips the
  // full-size PNGs, about a third of the time of a 24 MP photo (docs/benchmarks.md).
  struct PictureChoice {
    bool overlay = true, redness = true, coverage = true;
  } pictures;
  // Make the report page's raster layers (report/display_layers.h: the photo and the
  // Δhemoglobin heat map at display size) during the analysis, while the full-size maps
  // are still there; WriteAnalysisOutputs then writes <stem>.report.html.
  bool make_report_layers = false;
  // Screen for pooled blood (qc/pooled_blood.h) on the Δhemoglobin map while it is there
  // (the pictures free it early, for memory): AnalysisResult::pooled_blood.
  bool measure_pooled_blood = false;
  // Measure the photo's quality (qc/photo_quality.h: sharpness, exposure, cast, hash) before
  // the analysis: AnalysisResult::photo_quality.
  bool measure_photo_quality = false;
  // Where detect.classifier came from, for the record (reported in the detection section
  // when set): the file as given and the SHA-256 of its bytes.
  std::string classifier_file, classifier_sha256;

  // Empty when valid, else the first field that breaks its rule.
  std::string Check() const;
};

// The PNG bytes of an analysis's pictures (empty when there is nothing to draw).
struct EncodedPictures {
  bool made = false;  // set when the analysis made them (AnalyzeOptions::encode_pictures)
  std::vector<std::uint8_t> overlay_png, redness_png, coverage_png;
};

// The report page's raster layers (with make_report_layers).
struct ReportLayers {
  bool made = false;
  std::vector<std::uint8_t> photo_jpeg;  // display size
  report::HeatLayer redness;             // Δhemoglobin, display size; empty when not measured
};

// Everything `needlescope analyze` reports about one image (see docs/output-format.md).
struct AnalysisResult {
  // Image facts (the pixels are not kept).
  std::string path, format, sha256;
  int width = 0, height = 0;  // px, oriented
  int exif_orientation = 1;
  bool orientation_applied = false;
  std::vector<std::string> warnings;

  std::vector<Puncture> punctures;      // canonical order: by y, then x
  std::vector<detect::Candidate> candidates;  // every scale-space maximum with its features
  ColourRecord colour;                         // whether a colour chart corrected the photo
  DetectionSection detection;                  // how the punctures were found, and their density
  // Redness (docs/redness.md): the measures with their maps (the maps are freed once drawn),
  // or none, and why in `redness_notes`.
  std::optional<redness::RednessResult> redness_maps;
  RednessNotes redness_notes;
  cv::Mat photo;  // the oriented photo the pictures are drawn over; not serialised
  // Uniformity (docs/uniformity.md): the pattern measured, or none, and why in the notes.
  std::optional<PatternUniformity> pattern;
  UniformityNotes uniformity_notes;
  EncodedPictures pictures;                     // with encode_pictures; not serialised
  ReportLayers report_layers;                   // with make_report_layers; not serialised
  std::optional<qc::PooledBlood> pooled_blood;  // with measure_pooled_blood, on skin
  std::optional<qc::PhotoQuality> photo_quality;  // with measure_photo_quality
  // The QC flags the caller judged (qc/qc_flags.h) and their measures: serialised as "qc"
  // when measured (the analysis does not judge: its thresholds are the caller's).
  struct Qc {
    bool measured = false;
    std::vector<std::string> flags;
    nlohmann::ordered_json measures = nullptr;
  } qc;

  // How the numbers were made.
  int threads = 0;       // TBB parallelism in force
  int tile_size_px = 0;  // as asked (0 = whole image)
  std::map<std::string, double> timing_ms;  // wall time per stage
};

// Runs every analysis stage that exists on a loaded image. Requires options.Check() empty.
// Throws redness::RegionError when a region is unusable or the photo has no skin.
AnalysisResult AnalyzeImage(const LoadedImage& image, const AnalyzeOptions& options);

// LoadImage + AnalyzeImage, with the decoding time recorded as timing_ms["decode"].
// Throws InputError for a file that cannot be loaded.
AnalysisResult AnalyzeFile(const std::string& path, const AnalyzeOptions& options);

}  // namespace needlescope
