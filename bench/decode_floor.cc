// The decoding floor for tools/bench.sh: how long plain `cv::imread` of each image takes,
// in this process, median of --repeat runs (the first, cold run is discarded). Prints one
// JSON object per image on stdout:
//   {"image": PATH, "width": W, "height": H, "megapixels": MP, "decode_ms_median": T}
// usage: decode_floor [--repeat N] IMAGE...

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<std::string> images;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      images.push_back(arg);
    }
  }
  if (images.empty()) {
    std::cerr << "usage: decode_floor [--repeat N] IMAGE...\n";
    return 64;
  }
  for (const std::string& path : images) {
    if (cv::imread(path, cv::IMREAD_COLOR).empty()) {  // also warms the file cache
      std::cerr << path << ": cannot be decoded\n";
      return 2;
    }
    std::vector<double> ms;
    cv::Mat image;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      image = cv::imread(path, cv::IMREAD_COLOR);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    std::cout << nlohmann::json{{"image", path},
                                {"width", image.cols},
                                {"height", image.rows},
                                {"megapixels", image.total() / 1e6},
                                {"decode_ms_median", ms[ms.size() / 2]}}
              << "\n";
  }
  return 0;
}
