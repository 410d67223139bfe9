#include "needlescope/report/coverage_map.h"

#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "needlescope/tiling/tiled_run.h"

namespace needlescope::report {
namespace {

constexpr int kShift = 4;  // sub-pixel drawing precision
const cv::Scalar kWhite(255, 255, 255), kGreen(80, 220, 80), kOrange(0, 140, 255),
    kMagenta(255, 0, 255), kCyan(255, 255, 0);

cv::Point Fixed(cv::Point2d p) {
  return {int(std::lround(p.x * (1 << kShift))), int(std::lround(p.y * (1 << kShift)))};
}

void Outline(cv::Mat& image,
             const uniformity::Polygon& polygon,
             const cv::Scalar& colour,
             int thickness) {
  std::vector<cv::Point> points;
  for (const cv::Point2d& p : polygon) points.push_back(Fixed(p));
  cv::polylines(image, std::vector<std::vector<cv::Point>>{points}, /*isClosed=*/true, colour,
                thickness, cv::LINE_AA, kShift);
}

}  // namespace

// Tile by tile: each tile draws the discs that reach its core onto a copy of its padded
// area, made from the photo, not from `out` (which other tiles are writing), and blends
// its core. The halo holds every such disc whole, and drawing is the same at any whole-pixel
// offset, so each pixel is what one whole-picture copy gives; that copy was 72 MB at 24 MP
// and stood at the run's peak memory.
void BlendEffectDiscs(const cv::Mat& bgr, const std::vector<cv::Point2d>& punctures, double r, cv::Mat& out) {
  // OpenCV's anti-aliased disc (shift 4) touches pixels up to 2.2 px beyond its radius
  // (Chebyshev distance, measured over 20,000 random centres and radii 0.5-60 px), so a
  // disc that far outside a tile's core can still change its edge pixels.
  const int reach = int(std::ceil(r)) + 3;
  ForEachTile(MakeTileGrid(bgr.size(), TilingOptions{}, 2 * reach), [&](const Tile& tile) {
    cv::Mat discs = bgr(tile.padded) * 0.4;
    const cv::Point origin(tile.padded.x << kShift, tile.padded.y << kShift);
    for (const cv::Point2d& p : punctures) {
      if (p.x + reach < tile.core.x || p.x - reach >= tile.core.br().x || p.y + reach < tile.core.y ||
          p.y - reach >= tile.core.br().y)
        continue;
      cv::circle(discs, Fixed(p) - origin, int(std::lround(r * (1 << kShift))), kGreen, cv::FILLED,
                 cv::LINE_AA, kShift);
    }
    cv::Mat out_core = out(tile.core);
    cv::addWeighted(out_core, 0.5, discs(cv::Rect(tile.core.tl() - tile.padded.tl(), tile.core.size())), 0.5, 0,
                    out_core);
  });
}

cv::Mat RenderCoverageMap(const cv::Mat& bgr,
                          const std::vector<cv::Point2d>& punctures,
                          const uniformity::Window& window,
                          const uniformity::UniformityResult& result) {
  cv::Mat out = bgr * 0.4;
  const int thick = std::max(1, int(std::lround(std::max(bgr.cols, bgr.rows) / 800.0)));
  if (!result.coverage.empty()) BlendEffectDiscs(bgr, punctures, result.coverage.front().first, out);
  for (const cv::Point2d& p : punctures)
    cv::circle(out, Fixed(p), 2 << kShift, kGreen, cv::FILLED, cv::LINE_AA, kShift);
  Outline(out, window.vertices(), kWhite, thick);
  for (const auto& g : result.gaps) Outline(out, g.outline, kOrange, 2 * thick);
  for (const auto& h : result.hotspots) Outline(out, h.outline, kMagenta, 2 * thick);
  if (result.largest_empty_circle) {
    const auto& lec = *result.largest_empty_circle;
    cv::circle(out, Fixed(lec.centre), int(std::lround(lec.radius * (1 << kShift))), kCyan,
               2 * thick, cv::LINE_AA, kShift);
    cv::drawMarker(out, cv::Point(int(lec.centre.x), int(lec.centre.y)), kCyan, cv::MARKER_CROSS,
                   6 * thick, thick);
  }
  // Legend, top left, on a dark box.
  char score[96];
  if (result.score) {
    std::snprintf(score, sizeof score, "uniformity %d/100: %s (n = %d)",
                  int(std::lround(*result.score)), result.verdict.c_str(), result.n);
  } else {
    std::snprintf(score, sizeof score, "uniformity undefined: %s (n = %d)", result.verdict.c_str(),
                  result.n);
  }
  const std::vector<std::pair<std::string, cv::Scalar>> lines = {
      {score, kWhite},
      {"green: punctures / effect discs", kGreen},
      {"orange: gaps", kOrange},
      {"magenta: hotspots", kMagenta},
      {"cyan: largest empty circle", kCyan},
      {"white: window", kWhite}};
  const double font = 0.45 * thick;
  const int line_height = int(18 * thick);
  cv::rectangle(out, cv::Rect(0, 0, int(300 * thick), line_height * int(lines.size()) + 8),
                cv::Scalar(0, 0, 0), cv::FILLED);
  for (size_t i = 0; i < lines.size(); ++i) {
    cv::putText(out, lines[i].first, cv::Point(6, line_height * int(i + 1)),
                cv::FONT_HERSHEY_SIMPLEX, font, lines[i].second, thick, cv::LINE_AA);
  }
  return out;
}

}  // namespace needlescope::report
