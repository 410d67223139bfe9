// Detection against decoding, for tools/bench.sh (issue 5: "detection should cost no more
// than about twice the JPEG decoding of the same image on the same cores, and use at most a
// few full-size float planes of memory"). For one image, in this process:
//   - the first detection's peak memory above what the process held before it (the decoded
//     photo and the model): the kernel's high-water mark is reset just before it
//     (/proc/self/clear_refs). Measured first, in a process that has done nothing else, so
//     that no memory freed earlier and kept by the allocator can hide the stage's own; in MB
//     and, by the caller, in full-size float planes (width x height x 4 bytes);
//   - decode: plain cv::imread, median of --repeat runs (as decode_floor);
//   - detect: detect::DetectPunctures as `analyze` runs it by default (the model, all cores,
//     default tiles), median of --repeat runs after the first.
// Prints one JSON object on stdout:
//   {"image", "width", "height", "megapixels", "decode_ms_median", "detect_ms_median",
//    "detect_peak_extra_mb", "float_plane_mb", "punctures"}
// usage: detect_floor --model FILE [--repeat N] IMAGE

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/puncture_classifier.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1.
long StatusKb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Sets the peak-RSS mark to the current RSS (Linux >= 4.0); false where that is refused.
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return bool(clear);
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  std::string model_path, path;
  bool usage_error = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--model" && i + 1 < argc) {
      model_path = argv[++i];
    } else {
      usage_error |= !path.empty();  // one image a process: see the memory figure
      path = arg;
    }
  }
  if (usage_error || path.empty() || model_path.empty()) {
    std::cerr << "usage: detect_floor --model FILE [--repeat N] IMAGE\n";
    return 64;
  }
  std::ifstream model_file(model_path, std::ios::binary);
  const std::string model_bytes((std::istreambuf_iterator<char>(model_file)), std::istreambuf_iterator<char>());
  needlescope::detect::DetectOptions options;
  try {
    options.classifier = needlescope::detect::PunctureClassifier::FromBinary(model_bytes);
  } catch (const std::exception& e) {
    std::cerr << model_path << ": " << e.what() << "\n";
    return 2;
  }
  cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);  // also warms the file cache
  if (image.empty()) {
    std::cerr << path << ": cannot be decoded\n";
    return 2;
  }

  nlohmann::json peak_extra_mb = nullptr;  // null where the mark cannot be reset
  const bool reset = ResetPeakRss();
  const long before_kb = StatusKb("VmRSS");
  size_t punctures = needlescope::detect::DetectPunctures(image, options).punctures.size();
  if (reset && before_kb >= 0) peak_extra_mb = (StatusKb("VmHWM") - before_kb) / 1024.0;

  std::vector<double> decode_ms, detect_ms;
  for (int r = 0; r < repeat; ++r) {
    const auto start = Clock::now();
    image = cv::imread(path, cv::IMREAD_COLOR);
    decode_ms.push_back(MsSince(start));
  }
  for (int r = 0; r < repeat; ++r) {
    const auto start = Clock::now();
    punctures = needlescope::detect::DetectPunctures(image, options).punctures.size();
    detect_ms.push_back(MsSince(start));
  }
  std::cout << nlohmann::json{{"image", path},
                              {"width", image.cols},
                              {"height", image.rows},
                              {"megapixels", image.total() / 1e6},
                              {"decode_ms_median", Median(decode_ms)},
                              {"detect_ms_median", Median(detect_ms)},
                              {"detect_peak_extra_mb", peak_extra_mb},
                              {"float_plane_mb", image.total() * 4.0 / (1 << 20)},
                              {"punctures", punctures}}
            << "\n";
  return 0;
}
