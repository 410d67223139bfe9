#include "needlescope/detect/blob_detector.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <tbb/task_arena.h>

#include "needlescope/color/srgb.h"
#include "needlescope/detect/candidate_features.h"
#include "needlescope/detect/scale_space.h"
#include "needlescope/detect/tile_workspace.h"
#include "needlescope/tiling/cancellation.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::detect {
namespace {

bool UsesClassifier(const DetectOptions& o) { return o.target == Target::kBlood && o.classifier; }

double CandidateMinResponse(const DetectOptions& o) {
  if (o.target == Target::kStain) return o.min_stain_response;
  return o.classifier ? o.classifier->min_response() : o.min_response;
}

Plane EffectivePlane(const DetectOptions& o) { return o.classifier ? o.classifier->plane() : o.plane; }

StainWeights StainWeightsOf(const DetectOptions& o) {
  return o.stain_od ? CustomStainWeights(*o.stain_od) : BlueStainWeights();
}

std::vector<Candidate> DetectInTile(const cv::Mat& bgr, const Tile& tile, const DetectOptions& o,
                                    const std::vector<double>& sigmas, const color::Unmixer& unmixer,
                                    TileWorkspace& workspace) {
  const cv::Rect region = tile.padded;
  const auto& od = color::OpticalDensityFloatTable();
  const auto& linear = color::SrgbToLinearTable();
  // The detection plane: for blood green OD (or, to compare, luminance OD or the unmixed
  // hemoglobin), for stain red OD (methylene and trypan blue absorb red most), or a custom
  // stain's projection (stain_direction.h).
  TilePlanes t;
  t.origin = region.tl();
  t.bgr = bgr(region);
  t.plane = workspace.Plane(TileWorkspace::kPlane, region.size(), CV_32F);
  const Plane kind = EffectivePlane(o);
  const bool stain = o.target == Target::kStain;
  const StainWeights weights = StainWeightsOf(o);
  t.plane_channel = stain ? (o.stain_od ? -1 : 2) : kind == Plane::kGreenOd ? 1 : -1;
  for (int y = 0; y < region.height; ++y) {
    const cv::Vec3b* p = t.bgr.ptr<cv::Vec3b>(y);
    float* g = t.plane.ptr<float>(y);
    if (stain && o.stain_od) {
      const color::Rgb& w = weights.plane;
      for (int x = 0; x < region.width; ++x) {
        g[x] = float(w[0] * od[p[x][2]] + w[1] * od[p[x][1]] + w[2] * od[p[x][0]]);
      }
    } else if (t.plane_channel >= 0) {
      for (int x = 0; x < region.width; ++x) g[x] = od[p[x][t.plane_channel]];
    } else if (kind == Plane::kLuminanceOd) {
      for (int x = 0; x < region.width; ++x) {
        const double y_linear = 0.2126 * linear[p[x][2]] + 0.7152 * linear[p[x][1]] + 0.0722 * linear[p[x][0]];
        g[x] = float(-std::log10(std::max(y_linear, color::kLinearFloor)));
      }
    } else {
      for (int x = 0; x < region.width; ++x) g[x] = float(unmixer.Unmix(od[p[x][2]], od[p[x][1]], od[p[x][0]])[1]);
    }
  }
  const std::vector<cv::Mat> stack = LogStack(t.plane, sigmas, &workspace);
  ThrowIfCancelled();  // a photo past its time cap stops here, not after measuring this tile
  std::vector<Candidate> found;
  for (const SpotMaximum& spot :
       FindSpotMaxima(stack, sigmas, CandidateMinResponse(o), region.tl())) {
    Candidate c = MeasureCandidate(spot, t, stack, unmixer);
    if (stain) c.stain_contrast_wide = WideStainContrast(c, t, weights.contrast);
    found.push_back(c);
  }
  return found;
}

// Every tile's candidates, measured. The workspaces are freed on return, before scoring.
std::vector<Candidate> FindCandidates(const cv::Mat& bgr, const TileGrid& grid, const DetectOptions& o,
                                      const std::vector<double>& sigmas, const color::Unmixer& unmixer) {
  TileWorkspacePool workspaces;
  return CollectTileFeatures<Candidate>(
      grid,
      [&](const Tile& tile) {
        // Isolated: a thread waiting inside OpenCV's parallel loops does not start another
        // tile meanwhile, which would hold a third workspace at once.
        return tbb::this_task_arena::isolate([&] {
          auto workspace = workspaces.Borrow();
          return DetectInTile(bgr, tile, o, sigmas, unmixer, *workspace);
        });
      },
      ByRowThenColumn());
}

// The decision without a classifier: a threshold on the colour measurement (and, for
// stain, on roundness).
void DecideByThresholds(const DetectOptions& o, Candidate* c) {
  const bool stain = o.target == Target::kStain;
  const double strength = stain ? c->stain_contrast_wide : c->delta_hemoglobin;
  c->accepted = stain ? strength >= o.min_stain_contrast && c->roundness >= o.min_stain_roundness
                      : strength >= o.min_hemoglobin;
  c->score = std::max(0.0, strength) / (std::max(0.0, strength) + 0.1);  // in [0, 1)
}

}  // namespace

std::string DetectOptions::Check() const {
  std::ostringstream m;
  if (!(min_radius_px > 0)) m << "detect.min_radius_px = " << min_radius_px << ": must be > 0";
  else if (!(max_radius_px >= min_radius_px && max_radius_px <= 12))
    m << "detect.max_radius_px = " << max_radius_px << ": must be in [min_radius_px, 12]";
  else if (scales < 2) m << "detect.scales = " << scales << ": must be >= 2";
  else if (!(min_response > 0)) m << "detect.min_response = " << min_response << ": must be > 0";
  else if (!(min_stain_response > 0))
    m << "detect.min_stain_response = " << min_stain_response << ": must be > 0";
  else if (!(min_stain_roundness >= 0 && min_stain_roundness <= 1))
    m << "detect.min_stain_roundness = " << min_stain_roundness << ": must be in [0, 1]";
  else if (std::string e = target_decision.Check(); !e.empty()) return e;
  else if (std::string e = stain_od ? CheckStainOd(*stain_od) : ""; !e.empty()) return "detect." + e;
  else return tiling.Check();
  return m.str();
}

const char* TargetName(Target target) {
  switch (target) {
    case Target::kAuto: return "auto";
    case Target::kBlood: return "blood";
    case Target::kStain: return "stain";
  }
  return "?";
}

DetectResult DetectPunctures(const cv::Mat& bgr, const DetectOptions& options) {
  CV_Assert(bgr.type() == CV_8UC3);
  if (options.target == Target::kAuto) {
    // Blood first, as most photos are skin; its candidates decide, and a stained substrate
    // is then detected again on red OD.
    DetectOptions as_blood = options;
    as_blood.target = Target::kBlood;
    DetectResult result = DetectPunctures(bgr, as_blood);
    const TargetDecision decision =
        DecideTarget(result.candidates, options.target_decision, options.vectors, options.stain_od);
    if (decision.stain) {
      DetectOptions as_stain = options;
      as_stain.target = Target::kStain;
      result = DetectPunctures(bgr, as_stain);
    }
    result.target_decision = decision;
    return result;
  }
  const std::vector<double> sigmas = LogSigmas(options.min_radius_px, options.max_radius_px, options.scales);
  const color::Unmixer unmixer(options.vectors);
  DetectResult result;
  // Halo: the largest Gaussian's support (4 sigma) + Laplacian and 3x3 maximum (2) + the
  // colour ring (3 r + 2) + room for suppression between neighbours (r).
  result.halo_px = int(std::ceil(4 * sigmas.back() + 2 + 4 * options.max_radius_px + 2));
  const TileGrid grid = MakeTileGrid(bgr.size(), options.tiling, result.halo_px);
  result.target = options.target;
  result.candidates = FindCandidates(bgr, grid, options, sigmas, unmixer);
  if (UsesClassifier(options)) {
    result.decision = "classifier: " + options.classifier->description();
    result.classifier_scored = true;
    const std::vector<double> scores = options.classifier->Score(result.candidates);
    for (size_t i = 0; i < scores.size(); ++i) {
      result.candidates[i].score = scores[i];
      result.candidates[i].accepted = scores[i] >= options.classifier->threshold();
    }
  } else {
    result.decision = "thresholds";
    for (Candidate& c : result.candidates) DecideByThresholds(options, &c);
  }
  std::vector<Candidate> accepted;
  for (const Candidate& c : result.candidates) {
    if (!c.accepted) continue;
    result.punctures.push_back({c.x, c.y, c.radius_px, c.score, c.contrast});
    accepted.push_back(c);
  }
  if (options.target == Target::kStain) result.stain = IdentifyStain(accepted, options.vectors, options.stain_od);
  return result;
}

}  // namespace needlescope::detect
