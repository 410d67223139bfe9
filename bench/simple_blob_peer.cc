// A peer for tools/bench-peers.py: OpenCV's SimpleBlobDetector, as someone would use it for
// dark dots - on the greyscale image, looking for dark blobs (blobColor 0) - with the
// parameters given on the command line. For each IMAGE writes OUT/<stem>.json with
// {"punctures": [{"x", "y", "radius_px"}]} (what `needlescope eval` reads) and prints
// {"image": PATH, "detect_ms": T} per image: the detector's own time, decoding excluded.
// usage: simple_blob_peer --out DIR [--min-threshold T] [--threshold-step S]
//          [--min-area A] [--max-area A] [--min-circularity C] [--min-repeatability N]
//          [--min-dist D] IMAGE...

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>

int main(int argc, char** argv) {
  cv::SimpleBlobDetector::Params params;
  params.blobColor = 0;  // punctures are darker than the skin around them
  params.filterByInertia = false;
  params.filterByConvexity = false;
  params.filterByCircularity = true;
  params.minCircularity = 0.5f;
  params.filterByArea = true;
  params.minArea = 2;
  params.maxArea = 60;
  params.minThreshold = 10;
  params.maxThreshold = 230;
  params.thresholdStep = 10;
  params.minRepeatability = 2;
  params.minDistBetweenBlobs = 3;
  std::string out;
  std::vector<std::string> images;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> float {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(64);
      }
      return float(std::atof(argv[++i]));
    };
    if (arg == "--out" && i + 1 < argc) out = argv[++i];
    else if (arg == "--min-threshold") params.minThreshold = value();
    else if (arg == "--threshold-step") params.thresholdStep = value();
    else if (arg == "--min-area") params.minArea = value();
    else if (arg == "--max-area") params.maxArea = value();
    else if (arg == "--min-circularity") params.minCircularity = value();
    else if (arg == "--min-repeatability") params.minRepeatability = size_t(value());
    else if (arg == "--min-dist") params.minDistBetweenBlobs = value();
    else images.push_back(arg);
  }
  if (out.empty() || images.empty()) {
    std::cerr << "usage: simple_blob_peer --out DIR [parameters] IMAGE...\n";
    return 64;
  }
  std::filesystem::create_directories(out);
  const cv::Ptr<cv::SimpleBlobDetector> detector = cv::SimpleBlobDetector::create(params);
  for (const std::string& path : images) {
    const cv::Mat grey = cv::imread(path, cv::IMREAD_GRAYSCALE);
    if (grey.empty()) {
      std::cerr << path << ": cannot be decoded\n";
      return 2;
    }
    std::vector<cv::KeyPoint> keypoints;
    const auto start = std::chrono::steady_clock::now();
    detector->detect(grey, keypoints);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json punctures = nlohmann::json::array();
    for (const cv::KeyPoint& k : keypoints) {
      // KeyPoint centres count from the top-left corner of pixel (0, 0)'s centre, like ours.
      punctures.push_back({{"x", k.pt.x}, {"y", k.pt.y}, {"radius_px", k.size / 2}});
    }
    const std::string stem = std::filesystem::path(path).stem().string();
    std::ofstream(std::filesystem::path(out) / (stem + ".json")) << nlohmann::json{{"punctures", punctures}};
    std::cout << nlohmann::json{{"image", path}, {"detect_ms", ms}} << "\n";
  }
  return 0;
}
