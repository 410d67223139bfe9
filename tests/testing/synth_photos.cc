#include "testing/synth_photos.h"

#include <opencv2/imgcodecs.hpp>

#include "needlescope/synth/layers.h"

namespace needlescope::testing {

synth::ChromophoreMaps PlainSkinMaps(cv::Size size, double melanin, cv::RNG& rng) {
  synth::ChromophoreMaps maps;
  maps.melanin = melanin + 0.03 * synth::SmoothNoise(size, 60, rng);
  maps.hemoglobin = 0.12 + 0.02 * synth::SmoothNoise(size, 40, rng);
  maps.stain = cv::Mat::zeros(size, CV_32F);
  maps.shade = cv::Mat::ones(size, CV_32F);
  return maps;
}

synth::CameraTruth NeutralCamera() {
  synth::CameraTruth camera;
  camera.blur_sigma_px = 0.7;
  camera.noise_read = 0.003;
  camera.noise_shot = 0.0008;
  return camera;
}

cv::Mat JpegRoundTrip(const cv::Mat& bgr, int quality) {
  std::vector<std::uint8_t> bytes;
  cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

cv::Mat PhotographMaps(const synth::ChromophoreMaps& maps, const synth::CameraTruth& camera,
                       const synth::Lighting& light, std::uint64_t seed, int quality) {
  cv::RNG noise(seed);
  const cv::Mat reflectance = synth::Reflectance(maps, synth::kSkinBaselineOd);
  return JpegRoundTrip(synth::Photograph(reflectance, camera, light, noise), quality);
}

}  // namespace needlescope::testing

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace needlescope::testing {

color::ChromophoreVectors SynthCameraVectors() {
  std::ifstream in(std::string(NEEDLESCOPE_MODELS_DIR) + "/chromophores-synth-camera.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  const auto rgb = [&](const char* key) {
    return color::Rgb{doc[key][0].get<double>(), doc[key][1].get<double>(), doc[key][2].get<double>()};
  };
  return {rgb("melanin_rgb"), rgb("hemoglobin_rgb"), "models/chromophores-synth-camera.json"};
}

std::shared_ptr<const detect::PunctureClassifier> SynthPunctureClassifier() {
  std::ifstream file(std::string(NEEDLESCOPE_MODELS_DIR) + "/puncture-classifier.bin", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return detect::PunctureClassifier::FromBinary(bytes);
}

}  // namespace needlescope::testing

namespace needlescope::testing {

synth::SceneOptions SmallScene() {
  synth::SceneOptions o;
  o.width_px = 512;
  o.height_px = 384;
  return o;
}

}  // namespace needlescope::testing
