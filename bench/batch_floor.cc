// The batch benchmark's inputs and floor (tools/bench-batch.py):
//   batch_floor variants IN.jpg OUTDIR N   writes N different photos made from one: each
//       rolled by its own offset (the picture wraps around), every other one mirrored, saved
//       at JPEG quality 86-95; so a batch of N photos can be made from one rendered photo.
//   batch_floor decode IMAGE...            decodes every image (a first pass warms the file
//       cache), then again with one image per core at a time, as a batch's decoding would
//       run; prints {"images": n, "seconds": t, "images_per_second": n / t, "threads": k}.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

namespace {

cv::Mat Rolled(const cv::Mat& image, int dx, int dy) {
  cv::Mat out(image.size(), image.type());
  const int w = image.cols, h = image.rows;
  dx %= w;
  dy %= h;
  const cv::Rect parts[4][2] = {
      {{0, 0, w - dx, h - dy}, {dx, dy, w - dx, h - dy}}, {{w - dx, 0, dx, h - dy}, {0, dy, dx, h - dy}},
      {{0, h - dy, w - dx, dy}, {dx, 0, w - dx, dy}},     {{w - dx, h - dy, dx, dy}, {0, 0, dx, dy}}};
  for (const auto& [from, to] : parts) {
    if (from.area() > 0) image(from).copyTo(out(to));
  }
  return out;
}

int Variants(const std::string& in, const std::string& dir, int n) {
  const cv::Mat photo = cv::imread(in, cv::IMREAD_COLOR);
  if (photo.empty()) {
    std::cerr << in << ": cannot be decoded\n";
    return 2;
  }
  for (int i = 0; i < n; ++i) {
    cv::Mat v = Rolled(photo, 1 + i * 379, 1 + i * 211);
    if (i % 2) cv::flip(v, v, 1);
    char name[64];
    std::snprintf(name, sizeof name, "/variant-%03d.jpg", i);
    if (!cv::imwrite(dir + name, v, {cv::IMWRITE_JPEG_QUALITY, 86 + i % 10})) {
      std::cerr << dir << name << ": cannot be written\n";
      return 2;
    }
  }
  return 0;
}

int Decode(const std::vector<std::string>& images) {
  for (const std::string& path : images) {
    if (cv::imread(path, cv::IMREAD_COLOR).empty()) {
      std::cerr << path << ": cannot be decoded\n";
      return 2;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  tbb::parallel_for(size_t{0}, images.size(), [&](size_t i) { cv::imread(images[i], cv::IMREAD_COLOR); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << nlohmann::json{{"images", images.size()},
                              {"seconds", seconds},
                              {"images_per_second", images.size() / seconds},
                              {"threads", tbb::info::default_concurrency()}}
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "variants") return Variants(args[1], args[2], std::stoi(args[3]));
  if (args.size() >= 2 && args[0] == "decode") return Decode({args.begin() + 1, args.end()});
  std::cerr << "usage: batch_floor variants IN.jpg OUTDIR N | batch_floor decode IMAGE...\n";
  return 64;
}
