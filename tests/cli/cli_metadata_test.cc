// Patient data: the text a camera or an editor leaves in a photo (EXIF capture time, a
// serial number, XMP with GPS) reaches no output of analyze or batch unless batch is given
// --keep-metadata. Every output file is searched, and so are the images the report pages
// carry inside them (base64 data URIs, decoded here).

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;

const std::string kSerial = "SN-SECRET-12345";
const std::string kGps = "GPS-SECRET-48.8584N";
const std::string kTaken = "2026:01:02 03:04:05";

Bytes Concat(Bytes a, const std::string& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A JPEG with an EXIF APP1 (DateTimeOriginal, with a serial number after its IFDs) and an
// XMP APP1 naming a place.
Bytes PhotoWithMetadata() {
  const Bytes jpeg = testing::Encode(testing::TexturedImage({200, 160}, 31), ".jpg");
  const Bytes exif = Concat(testing::ExifWithDateTimeOriginal(kTaken), kSerial);
  const std::string xmp = std::string("http://ns.adobe.com/xap/1.0/", 29) +
                          "<x:xmpmeta><exif:GPSLatitude>" + kGps + "</exif:GPSLatitude></x:xmpmeta>";
  return testing::JpegWithApp1(testing::JpegWithApp1(jpeg, Bytes(xmp.begin(), xmp.end())), exif);
}

// The bytes of `text`'s base64 data URIs, decoded.
std::string DecodedDataUris(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t at = 0; (at = text.find(";base64,", at)) != std::string::npos;) {
    at += 8;
    unsigned buffer = 0;
    int bits = 0;
    for (; at < text.size() && alphabet.find(text[at]) != std::string::npos; ++at) {
      buffer = (buffer << 6) | unsigned(alphabet.find(text[at]));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += char((buffer >> bits) & 0xFF);
      }
    }
  }
  return out;
}

// Every file under `folder` with the secret it holds, if any.
std::vector<std::string> FilesHolding(const std::string& folder, const std::string& secret) {
  std::vector<std::string> holding;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const std::string text = testing::ReadTextFile(entry.path().string());
    if (text.find(secret) != std::string::npos || DecodedDataUris(text).find(secret) != std::string::npos) {
      holding.push_back(entry.path().string());
    }
  }
  return holding;
}

TEST(PatientData, NoPhotoMetadataReachesAnyOutputUnlessKept) {
  testing::TempDir dir;
  testing::WriteBytes(dir.File("cheek.jpg"), PhotoWithMetadata());
  const std::string photo = " '" + dir.File("cheek.jpg") + "'";
  // The photo does carry the secrets the outputs are searched for.
  ASSERT_NE(testing::ReadTextFile(dir.File("cheek.jpg")).find(kSerial), std::string::npos);

  const auto analyze = testing::RunNeedlescope("analyze" + photo + " -o '" + dir.File("analyze") +
                                               "' --pictures overlay,redness,coverage --json '" +
                                               dir.File("analyze/run.json") + "' --quiet");
  ASSERT_EQ(analyze.exit_code, 0) << analyze.err;
  const auto batch = testing::RunNeedlescope("batch" + photo + " -o '" + dir.File("batch") +
                                             "' --per-image-outputs --quiet");
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  for (const std::string& folder : {dir.File("analyze"), dir.File("batch")}) {
    for (const std::string& secret : {kSerial, kGps, kTaken, std::string("2026-01-02")}) {
      EXPECT_EQ(FilesHolding(folder, secret), std::vector<std::string>{}) << secret;
    }
  }

  // Asked to keep it, batch records the capture time (and still nothing else).
  const auto kept = testing::RunNeedlescope("batch" + photo + " -o '" + dir.File("kept") + "' --keep-metadata --quiet");
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const std::vector<std::string> with_time = FilesHolding(dir.File("kept"), kTaken);
  EXPECT_NE(std::find(with_time.begin(), with_time.end(), dir.File("kept/results.jsonl")), with_time.end());
  EXPECT_EQ(FilesHolding(dir.File("kept"), kSerial), std::vector<std::string>{});
}

}  // namespace
}  // namespace needlescope
