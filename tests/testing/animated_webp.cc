// An animated WebP for the bad-input tests (its own file: beside test_images.cc's PNG
// helpers it set off a GCC 12 -Warray-bounds false positive there).

#include <cstring>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "testing/test_images.h"

namespace needlescope::testing {
namespace {

void PutLe(Bytes& b, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
}

}  // namespace

Bytes AnimatedWebp(const std::vector<cv::Mat>& frames) {
  // WebP container spec: RIFF "WEBP", a VP8X chunk with the animation flag and the canvas
  // size, ANIM (background, loop count), then an ANMF chunk per frame: its offset, size,
  // duration and flags, then the frame's own image chunk (here OpenCV's lossless VP8L).
  const auto put24 = [](Bytes& b, std::uint32_t v) { PutLe(b, v, 3); };
  const auto chunk = [](Bytes& b, const char* tag, const Bytes& data) {
    for (int i = 0; i < 4; ++i) b.push_back(std::uint8_t(tag[i]));
    PutLe(b, std::uint32_t(data.size()), 4);
    b.insert(b.end(), data.begin(), data.end());
    if (data.size() % 2) b.push_back(0);
  };
  Bytes body = {'W', 'E', 'B', 'P'};
  Bytes vp8x = {0x02, 0, 0, 0};  // flags: animation
  put24(vp8x, std::uint32_t(frames.at(0).cols - 1));
  put24(vp8x, std::uint32_t(frames.at(0).rows - 1));
  chunk(body, "VP8X", vp8x);
  Bytes anim;
  PutLe(anim, 0xFFFFFFFF, 4);  // background colour
  PutLe(anim, 0, 2);           // loop for ever
  chunk(body, "ANIM", anim);
  for (const cv::Mat& frame : frames) {
    const Bytes still = Encode(frame, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101});  // lossless: "VP8L" at 12
    if (still.size() < 20 || std::memcmp(still.data() + 12, "VP8L", 4) != 0) throw std::runtime_error("not a VP8L WebP");
    Bytes anmf;
    put24(anmf, 0);  // x / 2
    put24(anmf, 0);  // y / 2
    put24(anmf, std::uint32_t(frame.cols - 1));
    put24(anmf, std::uint32_t(frame.rows - 1));
    put24(anmf, 100);  // ms
    anmf.push_back(0);
    anmf.insert(anmf.end(), still.begin() + 12, still.end());  // the VP8L chunk, padded
    chunk(body, "ANMF", anmf);
  }
  Bytes riff = {'R', 'I', 'F', 'F'};
  PutLe(riff, std::uint32_t(body.size()), 4);
  riff.insert(riff.end(), body.begin(), body.end());
  return riff;
}

}  // namespace needlescope::testing
