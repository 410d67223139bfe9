// Writes the binary seeds of tests/fuzz/corpus/ (images, classifiers): small, valid examples
// of each format, so fuzzing starts from inputs that reach deep into the readers. Text seeds
// (CSV, JSON) are written by hand. Run once by hand; its output is committed:
//   build-fuzz/fuzz/make_seed_corpus tests/fuzz/corpus

#include <cstdio>
#include <filesystem>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ml.hpp>

#include "needlescope/detect/candidate_context.h"
#include "needlescope/detect/puncture_classifier.h"
#include "testing/test_images.h"

namespace fs = std::filesystem;
using namespace needlescope;
using namespace needlescope::testing;

namespace {

void Write(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  fs::create_directories(dir);
  WriteBytes((dir / name).string(), bytes);
}

Bytes Text(const std::string& s) { return Bytes(s.begin(), s.end()); }

detect::PunctureClassifier ToyClassifier() {
  cv::RNG rng(7);
  std::vector<detect::Candidate> train;
  std::vector<float> labels;
  for (int i = 0; i < 200; ++i) {
    detect::Candidate c;
    c.response = rng.uniform(0.05, 0.5);
    c.radius_px = rng.uniform(1.0, 4.0);
    c.delta_hemoglobin = rng.uniform(-0.2, 0.6);
    train.push_back(c);
    labels.push_back(c.delta_hemoglobin > 0.2 ? 1.f : 0.f);
  }
  cv::setRNGSeed(1);
  auto forest = cv::ml::RTrees::create();
  forest->setMaxDepth(3);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, 2, 0});
  forest->train(cv::ml::TrainData::create(detect::CandidateFeatureMatrix(train), cv::ml::ROW_SAMPLE,
                                          cv::Mat(labels, true)));
  return detect::PunctureClassifier(detect::CompactForest::FromOpenCv(*forest), 0.5, 0.05, "seed",
                                    detect::Plane::kHemoglobin);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seed_corpus CORPUS_DIR\n");
    return 1;
  }
  const fs::path corpus = argv[1];
  const cv::Mat small = TexturedImage({24, 16}, 1);
  const Bytes jpeg = Encode(small, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 80});
  const Bytes png = Encode(small, ".png");
  cv::Mat grey16;
  cv::cvtColor(small, grey16, cv::COLOR_BGR2GRAY);
  grey16.convertTo(grey16, CV_16U, 257);
  for (const char* target : {"image_header", "image_loader", "region_mask"}) {
    const fs::path dir = corpus / target;
    Write(dir, "orientation6.jpg", JpegWithOrientation(jpeg, 6));
    Write(dir, "datetime.jpg", JpegWithApp1(jpeg, ExifWithDateTimeOriginal("2026:12:07 10:11:12")));
    Write(dir, "progressive.jpg", Encode(small, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    Write(dir, "orientation8.png", PngWithOrientation(png, 8));
    Write(dir, "grey16.png", Encode(grey16, ".png"));
    Write(dir, "orientation3.tif", UncompressedTiff(small, 3));
    Write(dir, "lossless.webp", Encode(small, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101}));
    Write(dir, "bomb.png", PngBomb(60000, 60000));
  }
  const detect::PunctureClassifier classifier = ToyClassifier();
  Write(corpus / "classifier", "toy.bin", Text(classifier.ToBinary()));
  Write(corpus / "classifier", "toy.yml", Text(classifier.ToYaml()));
  return 0;
}
