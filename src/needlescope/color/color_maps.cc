#include "needlescope/color/color_maps.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/color/cielab.h"
#include "needlescope/color/srgb.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::color {
namespace {

constexpr int kLocalBoxRadius = 15;  // 31 x 31 neighbourhood of the skin mask's rule (2)

}  // namespace

int SkinMaskLuminance(const cv::Vec3b& p) {
  const auto& lut = SrgbToLinearTable();
  const double steps = (0.212671 * lut[p[2]] + 0.715160 * lut[p[1]] + 0.072169 * lut[p[0]]) * 65535.0;
  // std::lround of a value in [0, 65536) without libm's call (1.5 % of a 24 MP run, one
  // per pixel): steps - whole is exact there, so the half is judged as lround judges it.
  const int whole = int(steps);
  return whole + (steps - whole >= 0.5 ? 1 : 0);
}

cv::Mat ComputeSkinMask(const cv::Mat& bgr, const TilingOptions& tiling) {
  CV_Assert(bgr.type() == CV_8UC3);
  cv::Mat skin(bgr.size(), CV_8U);
  const TileGrid grid = MakeTileGrid(bgr.size(), tiling, kLocalBoxRadius);
  ForEachTile(grid, [&](const Tile& tile) {
    // Luminance in 1/65535 steps, so box sums are exact integers.
    cv::Mat luminance(tile.padded.size(), CV_32S);
    for (int y = 0; y < tile.padded.height; ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(tile.padded.y + y) + tile.padded.x;
      int* l = luminance.ptr<int>(y);
      for (int x = 0; x < tile.padded.width; ++x) l[x] = SkinMaskLuminance(p[x]);
    }
    cv::Mat sums;
    cv::boxFilter(luminance, sums, CV_32S, cv::Size(2 * kLocalBoxRadius + 1, 2 * kLocalBoxRadius + 1),
                  cv::Point(-1, -1), /*normalize=*/false, cv::BORDER_REFLECT101);
    const cv::Rect core = tile.core - tile.padded.tl();
    const long long area = (2 * kLocalBoxRadius + 1) * (2 * kLocalBoxRadius + 1);
    for (int y = 0; y < core.height; ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(tile.core.y + y) + tile.core.x;
      const int* l = luminance.ptr<int>(core.y + y) + core.x;
      const int* s = sums.ptr<int>(core.y + y) + core.x;
      std::uint8_t* out = skin.ptr<std::uint8_t>(tile.core.y + y) + tile.core.x;
      for (int x = 0; x < core.width; ++x) {
        const bool clipped = std::max({p[x][0], p[x][1], p[x][2]}) >= 250;
        const bool dark = 100LL * l[x] * area < 35LL * s[x];
        const bool not_reddish = p[x][2] < p[x][1];
        out[x] = clipped || dark || not_reddish ? 0 : 255;
      }
    }
  });
  return skin;
}

ChromophoreMaps ComputeChromophoreMaps(const cv::Mat& bgr, const ChromophoreVectors& vectors,
                                       const TilingOptions& tiling) {
  CV_Assert(bgr.type() == CV_8UC3);
  const auto& od = OpticalDensityTable();
  const Unmixer unmixer(vectors);
  ChromophoreMaps maps{cv::Mat(bgr.size(), CV_32F), cv::Mat(bgr.size(), CV_32F),
                       cv::Mat(bgr.size(), CV_32F)};
  ForEachTile(MakeTileGrid(bgr.size(), tiling, /*halo_px=*/0), [&](const Tile& tile) {
    for (int y = tile.core.y; y < tile.core.br().y; ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
      float* mel = maps.melanin.ptr<float>(y);
      float* hb = maps.hemoglobin.ptr<float>(y);
      float* ei = maps.erythema_index.ptr<float>(y);
      for (int x = tile.core.x; x < tile.core.br().x; ++x) {
        const cv::Vec3d c = unmixer.Unmix(od[p[x][2]], od[p[x][1]], od[p[x][0]]);
        mel[x] = float(c[0]);
        hb[x] = float(c[1]);
        ei[x] = ErythemaIndexOf(p[x]);
      }
    }
  });
  return maps;
}

cv::Mat ComputeChromophoreMap(const cv::Mat& bgr, const ChromophoreVectors& vectors, int component,
                              const TilingOptions& tiling) {
  CV_Assert(bgr.type() == CV_8UC3 && (component == 0 || component == 1));
  const Unmixer unmixer(vectors);
  cv::Mat map(bgr.size(), CV_32F);
  ForEachTile(MakeTileGrid(bgr.size(), tiling, /*halo_px=*/0), [&](const Tile& tile) {
    for (int y = tile.core.y; y < tile.core.br().y; ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
      float* out = map.ptr<float>(y);
      for (int x = tile.core.x; x < tile.core.br().x; ++x)
        out[x] = component == 0 ? MelaninOf(p[x], unmixer) : HemoglobinOf(p[x], unmixer);
    }
  });
  return map;
}

float AStarOf(const cv::Vec3b& p, const std::array<double, 3>& gains_rgb) {
  const auto& lut = SrgbToLinearTable();
  return float(LinearRgbToAStar(gains_rgb[0] * lut[p[2]], gains_rgb[1] * lut[p[1]], gains_rgb[2] * lut[p[0]]));
}

namespace {
constexpr std::uint32_t kEmpty = 0xffffffffu;  // no 24-bit colour
constexpr int kSlotBits = 16;
}  // namespace

AStarCache::AStarCache()
    : gains_rgb_{0, 0, 0}, colour_(size_t(1) << kSlotBits, kEmpty), a_star_(size_t(1) << kSlotBits, 0.f) {}

float AStarCache::Of(const cv::Vec3b& p, const std::array<double, 3>& gains_rgb) {
  if (gains_rgb != gains_rgb_) {  // another photo's white balance: nothing cached holds
    gains_rgb_ = gains_rgb;
    std::fill(colour_.begin(), colour_.end(), kEmpty);
  }
  const std::uint32_t colour = std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0];
  const std::uint32_t slot = (colour * 2654435761u) >> (32 - kSlotBits);  // Knuth's multiplicative hash
  if (colour_[slot] != colour) {
    colour_[slot] = colour;
    a_star_[slot] = AStarOf(p, gains_rgb);
  }
  return a_star_[slot];
}

cv::Mat ComputeAStarMap(const cv::Mat& bgr, const std::array<double, 3>& gains_rgb,
                        const TilingOptions& tiling) {
  cv::Mat a_star(bgr.size(), CV_32F);
  ForEachTile(MakeTileGrid(bgr.size(), tiling, /*halo_px=*/0), [&](const Tile& tile) {
    thread_local AStarCache cache;
    for (int y = tile.core.y; y < tile.core.br().y; ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
      float* a = a_star.ptr<float>(y);
      for (int x = tile.core.x; x < tile.core.br().x; ++x) a[x] = cache.Of(p[x], gains_rgb);
    }
  });
  return a_star;
}

}  // namespace needlescope::color
