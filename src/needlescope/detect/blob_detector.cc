#include "needlescope/detect/blob_detector.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "needlescope/color/color_maps.h"
#include "needlescope/color/srgb.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::detect {
namespace {

constexpr double kLensSigmaPx = 0.7;  // typical optical blur assumed when mapping scale to radius

std::vector<double> Sigmas(const DetectOptions& o) {
  // A spot exp(-d^2/r^2) blurred by the lens is a Gaussian of sigma sqrt(r^2/2 + lens^2);
  // the scale-normalised LoG peaks at that sigma.
  const double lo = std::sqrt(o.min_radius_px * o.min_radius_px / 2 + kLensSigmaPx * kLensSigmaPx);
  const double hi = std::sqrt(o.max_radius_px * o.max_radius_px / 2 + kLensSigmaPx * kLensSigmaPx);
  std::vector<double> sigmas;
  for (int k = 0; k < o.scales; ++k) sigmas.push_back(lo * std::pow(hi / lo, double(k) / (o.scales - 1)));
  return sigmas;
}

double RadiusFromSigma(double sigma) {
  return std::sqrt(2.0 * std::max(sigma * sigma - kLensSigmaPx * kLensSigmaPx, 0.25));
}

// Mean OD (R, G, B) of `od` (CV_32FC3) within distance [r0, r1) of (x, y).
cv::Vec3d MeanOd(const cv::Mat& od, double x, double y, double r0, double r1) {
  cv::Vec3d sum(0, 0, 0);
  int n = 0;
  const int reach = int(std::ceil(r1));
  for (int j = int(std::floor(y)) - reach; j <= int(std::ceil(y)) + reach; ++j) {
    if (j < 0 || j >= od.rows) continue;
    for (int i = int(std::floor(x)) - reach; i <= int(std::ceil(x)) + reach; ++i) {
      if (i < 0 || i >= od.cols) continue;
      const double d = std::hypot(i - x, j - y);
      if (d < r0 || d >= r1) continue;
      const cv::Vec3f v = od.at<cv::Vec3f>(j, i);
      sum += cv::Vec3d(v[0], v[1], v[2]);
      ++n;
    }
  }
  return n ? sum * (1.0 / n) : sum;
}

std::vector<Candidate> DetectInTile(const cv::Mat& bgr, const Tile& tile, const DetectOptions& o,
                                    const std::vector<double>& sigmas, const color::Unmixer& unmixer) {
  const cv::Rect region = tile.padded;
  const auto& od_of_code = color::OpticalDensityTable();
  // OD of the padded region (R, G, B order) and green OD for the response.
  cv::Mat od(region.size(), CV_32FC3), green(region.size(), CV_32F);
  const int channel = o.target == Target::kStain ? 0 : 1;  // red for stain, green for blood
  const double min_response = o.target == Target::kStain ? o.min_stain_response : o.min_response;
  for (int y = 0; y < region.height; ++y) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(region.y + y) + region.x;
    cv::Vec3f* o3 = od.ptr<cv::Vec3f>(y);
    float* g = green.ptr<float>(y);
    for (int x = 0; x < region.width; ++x) {
      o3[x] = cv::Vec3f(float(od_of_code[p[x][2]]), float(od_of_code[p[x][1]]), float(od_of_code[p[x][0]]));
      g[x] = o3[x][channel];
    }
  }
  // Scale-normalised -LoG: bright where a dark (absorbing) spot of that scale is.
  std::vector<cv::Mat> response(sigmas.size());
  for (size_t k = 0; k < sigmas.size(); ++k) {
    cv::Mat blurred;
    cv::GaussianBlur(green, blurred, cv::Size(), sigmas[k], sigmas[k], cv::BORDER_REFLECT101);
    cv::Laplacian(blurred, response[k], CV_32F, /*ksize=*/1, /*scale=*/-sigmas[k] * sigmas[k]);
  }
  std::vector<Candidate> found;
  for (size_t k = 0; k < sigmas.size(); ++k) {
    const cv::Mat& r = response[k];
    for (int y = 1; y < r.rows - 1; ++y) {
      for (int x = 1; x < r.cols - 1; ++x) {
        const float v = r.at<float>(y, x);
        if (v < min_response) continue;
        // A spatial maximum at this scale. (Not a maximum across scales too: two spots two
        // radii apart have separate maxima only at their own scale, while their responses
        // keep growing into one merged blob at coarser scales.)
        bool peak = true;
        for (int dy = -1; dy <= 1 && peak; ++dy) {
          for (int dx = -1; dx <= 1 && peak; ++dx) {
            if (!dy && !dx) continue;
            const float w = r.at<float>(y + dy, x + dx);
            // Strict on one side of each tie so that plateaus give exactly one peak.
            if (w > v || (w == v && (dy < 0 || (dy == 0 && dx < 0)))) peak = false;
          }
        }
        if (!peak) continue;
        auto offset = [](double l, double c, double rr) {
          const double denom = l - 2 * c + rr;
          return denom < 0 ? std::clamp(0.5 * (l - rr) / denom, -0.5, 0.5) : 0.0;
        };
        Candidate c;
        c.x = region.x + x + offset(r.at<float>(y, x - 1), v, r.at<float>(y, x + 1));
        c.y = region.y + y + offset(r.at<float>(y - 1, x), v, r.at<float>(y + 1, x));
        c.radius_px = RadiusFromSigma(sigmas[k]);
        c.response = v;
        found.push_back(c);
      }
    }
  }
  // Two spots close together also make one maximum at a coarser scale, covering both. A
  // coarse maximum that contains two or more distinct finer maxima of substantial response
  // is that merge: drop it in their favour.
  std::vector<bool> merged(found.size(), false);
  for (size_t a = 0; a < found.size(); ++a) {
    std::vector<size_t> inner;
    for (size_t b = 0; b < found.size(); ++b) {
      if (found[b].radius_px >= found[a].radius_px || found[b].response < 0.3 * found[a].response) continue;
      if (std::hypot(found[b].x - found[a].x, found[b].y - found[a].y) > found[a].radius_px) continue;
      const bool distinct = std::all_of(inner.begin(), inner.end(), [&](size_t c) {
        return std::hypot(found[b].x - found[c].x, found[b].y - found[c].y) >=
               1.5 * std::min(found[b].radius_px, found[c].radius_px);
      });
      if (distinct) inner.push_back(b);
    }
    merged[a] = inner.size() >= 2;
  }
  std::vector<Candidate> unmerged;
  for (size_t a = 0; a < found.size(); ++a) {
    if (!merged[a]) unmerged.push_back(found[a]);
  }
  found.swap(unmerged);
  // One detection per spot: greedy by response, suppressing weaker maxima within the
  // stronger one's radius (truth spots are at least 1.5 radii apart).
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.response != b.response ? a.response > b.response : (a.y != b.y ? a.y < b.y : a.x < b.x);
  });
  std::vector<Candidate> kept;
  for (const Candidate& c : found) {
    const bool suppressed = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) {
      return std::hypot(k.x - c.x, k.y - c.y) < std::max(1.5, std::max(k.radius_px, c.radius_px));
    });
    if (suppressed) continue;
    kept.push_back(c);
  }
  // Colour decides: the spot against its ring, unmixed.
  for (Candidate& c : kept) {
    const double lx = c.x - region.x, ly = c.y - region.y;
    const double r = std::max(1.0, c.radius_px);
    const cv::Vec3d spot = MeanOd(od, lx, ly, 0.0, std::max(1.2, 0.8 * r));
    const cv::Vec3d ring = MeanOd(od, lx, ly, 2.0 * r + 1, 3.0 * r + 2);
    const cv::Vec3d d = unmixer.Unmix(spot[0] - ring[0], spot[1] - ring[1], spot[2] - ring[2]);
    c.delta_melanin = d[0];
    c.delta_hemoglobin = d[1];
    c.delta_shading = d[2];
    c.stain_contrast = (spot[0] - ring[0]) - (spot[2] - ring[2]);
    c.accepted = o.target == Target::kStain ? c.stain_contrast >= o.min_stain_contrast
                                            : d[1] >= o.min_hemoglobin;
  }
  return kept;
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
  else return tiling.Check();
  return m.str();
}

DetectResult DetectPunctures(const cv::Mat& bgr, const DetectOptions& options) {
  CV_Assert(bgr.type() == CV_8UC3);
  const std::vector<double> sigmas = Sigmas(options);
  const color::Unmixer unmixer(options.vectors);
  DetectResult result;
  // Halo: the largest Gaussian's support (4 sigma) + Laplacian and 3x3 maximum (2) + the
  // colour ring (3 r + 2) + room for suppression between neighbours (r).
  result.halo_px = int(std::ceil(4 * sigmas.back() + 2 + 4 * options.max_radius_px + 2));
  const TileGrid grid = MakeTileGrid(bgr.size(), options.tiling, result.halo_px);
  result.candidates = CollectTileFeatures<Candidate>(
      grid, [&](const Tile& tile) { return DetectInTile(bgr, tile, options, sigmas, unmixer); },
      ByRowThenColumn());
  for (const Candidate& c : result.candidates) {
    if (!c.accepted) continue;
    const double strength = options.target == Target::kStain ? c.stain_contrast : c.delta_hemoglobin;
    const double score = strength / (strength + 0.1);  // in (0, 1)
    result.punctures.push_back({c.x, c.y, c.radius_px, score});
  }
  return result;
}

}  // namespace needlescope::detect
