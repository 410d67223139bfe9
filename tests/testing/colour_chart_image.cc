#include "testing/colour_chart_image.h"

#include <opencv2/imgproc.hpp>

namespace needlescope::testing {
namespace {

// X-Rite's published sRGB values of the 24 patches (R, G, B).
constexpr int kMacbethRgb[24][3] = {
    {115, 82, 68},   {194, 150, 130}, {98, 122, 157},  {87, 108, 67},   {133, 128, 177}, {103, 189, 170},
    {214, 126, 44},  {80, 91, 166},   {193, 90, 99},   {94, 60, 108},   {157, 188, 64},  {224, 163, 46},
    {56, 61, 150},   {70, 148, 73},   {175, 54, 60},   {231, 199, 31},  {187, 86, 149},  {8, 133, 161},
    {243, 243, 242}, {200, 200, 200}, {160, 160, 160}, {122, 122, 121}, {85, 85, 85},    {52, 52, 52}};

cv::Rect PatchRect(cv::Point at, int patch, int i) {
  const int gap = patch / 5;
  return {at.x + gap + (i % 6) * (patch + gap), at.y + gap + (i / 6) * (patch + gap), patch, patch};
}

}  // namespace

cv::Vec3b ColorCheckerPatch(int i) {
  return {std::uint8_t(kMacbethRgb[i][2]), std::uint8_t(kMacbethRgb[i][1]), std::uint8_t(kMacbethRgb[i][0])};
}

cv::Rect DrawColorChecker(cv::Mat& bgr, cv::Point at, int patch) {
  const int gap = patch / 5;
  const cv::Rect card(at.x, at.y, 6 * patch + 7 * gap, 4 * patch + 5 * gap);
  bgr(card).setTo(cv::Scalar(20, 20, 20));
  for (int i = 0; i < 24; ++i) {
    const cv::Vec3b c = ColorCheckerPatch(i);
    bgr(PatchRect(at, patch, i)).setTo(cv::Scalar(c[0], c[1], c[2]));
  }
  const cv::Rect blurred = (card + cv::Size(8, 8) - cv::Point(4, 4)) & cv::Rect(0, 0, bgr.cols, bgr.rows);
  cv::GaussianBlur(bgr(blurred), bgr(blurred), cv::Size(), 0.8);
  return card;
}

cv::Rect ColorCheckerPatchCore(cv::Point at, int patch, int i) {
  const cv::Rect r = PatchRect(at, patch, i);
  return {r.x + patch / 4, r.y + patch / 4, patch / 2, patch / 2};
}

}  // namespace needlescope::testing
