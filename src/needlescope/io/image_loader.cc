#include "needlescope/io/image_loader.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "needlescope/io/exif_orientation.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_header.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"
#include "needlescope/io/stderr_capture.h"

namespace needlescope {
namespace {

// OpenCV refuses images over 2^30 px on its own (OPENCV_IO_MAX_IMAGE_PIXELS); our cap must
// stay under that so our clearer message is the one a user sees.
constexpr double kMaxAllowedMegapixels = 1000.0;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// libjpeg only warns about damaged entropy-coded data and goes on decoding garbage; for a
// measuring instrument such an image is corrupt, not usable.
bool IsDataDamageMessage(const std::string& line) {
  return line.rfind("Corrupt JPEG data", 0) == 0 || line.rfind("Premature end of JPEG", 0) == 0;
}

cv::Mat DecodePixels(const std::vector<std::uint8_t>& bytes, LoadedImage& image) {
  cv::Mat stored;
  std::string decoder_messages;
  {
    StderrCapture capture;
    try {
      // IMREAD_UNCHANGED keeps depth and alpha and, unlike the other modes, does not apply
      // EXIF orientation: we apply it ourselves so we can record it.
      stored = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
      decoder_messages = capture.Finish();
      if (e.code == cv::Error::StsNoMem) {
        throw InputError(image.path, "not enough memory to decode it on this machine (" + e.err + ")");
      }
      throw InputError(image.path, "corrupt image data: decoder failed (" + e.err + ")");
    }
    decoder_messages = capture.Finish();
  }
  const std::vector<std::string> messages = Lines(decoder_messages);
  if (stored.empty()) {
    throw InputError(image.path, "corrupt image data: " +
                                     (messages.empty() ? "the decoder could not read it"
                                                       : messages.front()));
  }
  for (const std::string& line : messages) {
    if (IsDataDamageMessage(line)) throw InputError(image.path, "corrupt image data: " + line);
    image.warnings.push_back("decoder: " + line);
  }
  return stored;
}

// A copy of a TIFF whose Orientation tag says 1 (as stored), so the decoder leaves the
// pixels as stored; the tag's value field is 16 bits in the file's byte order, and 1 has
// the same bytes either way but for their order.
std::vector<std::uint8_t> WithTiffOrientationCleared(const std::vector<std::uint8_t>& bytes,
                                                     const ImageHeader& header) {
  std::vector<std::uint8_t> copy = bytes;
  const bool little_endian = bytes[0] == 'I';
  copy[header.tiff_orientation_value_offset] = little_endian ? 1 : 0;
  copy[header.tiff_orientation_value_offset + 1] = little_endian ? 0 : 1;
  return copy;
}

// Brings any supported depth and channel layout to 8-bit BGR, recording what it changed.
cv::Mat ToBgr8(const cv::Mat& stored, LoadedImage& image) {
  cv::Mat img = stored;
  image.source_channels = img.channels();
  if (img.depth() == CV_16U) {
    image.source_bit_depth = 16;
    img.convertTo(img, CV_8U, /*alpha=*/255.0 / 65535.0);
    image.warnings.push_back("16-bit samples scaled to 8-bit (value * 255 / 65535, rounded)");
  } else if (img.depth() != CV_8U) {
    throw InputError(image.path, "unsupported sample type (only 8- and 16-bit integer images)");
  }
  switch (img.channels()) {
    case 1:
      cv::cvtColor(img, img, cv::COLOR_GRAY2BGR);
      image.warnings.push_back("greyscale image expanded to three equal colour channels");
      break;
    case 2: {  // grey + alpha
      cv::Mat grey;
      cv::extractChannel(img, grey, 0);
      cv::cvtColor(grey, img, cv::COLOR_GRAY2BGR);
      image.warnings.push_back("greyscale image expanded to three equal colour channels");
      image.warnings.push_back("alpha channel dropped (pixels used as stored, not composited)");
      break;
    }
    case 3: break;
    case 4:
      cv::cvtColor(img, img, cv::COLOR_BGRA2BGR);
      image.warnings.push_back("alpha channel dropped (pixels used as stored, not composited)");
      break;
    default:
      throw InputError(image.path, "unsupported channel count " + std::to_string(img.channels()));
  }
  return img;
}

}  // namespace

std::string LoadOptions::Check() const {
  std::ostringstream msg;
  if (!(max_megapixels > 0.0 && max_megapixels <= kMaxAllowedMegapixels)) {
    msg << "load.max_megapixels = " << max_megapixels << ": must be in (0, "
        << kMaxAllowedMegapixels << "]";
  } else if (min_side_px < 1) {
    msg << "load.min_side_px = " << min_side_px << ": must be >= 1";
  }
  return msg.str();
}

LoadedImage DecodeImage(const std::vector<std::uint8_t>& bytes, const std::string& path,
                        const LoadOptions& options) {
  LoadedImage image;
  image.path = path;
  image.file_bytes = bytes.size();
  const ImageHeader header = ParseImageHeader(bytes.data(), bytes.size(), path);
  image.format = ImageFormatName(header.format);
  image.stored_width = header.width;
  image.stored_height = header.height;

  if (header.width < options.min_side_px || header.height < options.min_side_px) {
    throw InputError(path, "image is " + std::to_string(header.width) + "x" +
                               std::to_string(header.height) + " px, smaller than " +
                               std::to_string(options.min_side_px) + " px on a side");
  }
  const double megapixels = double(header.width) * double(header.height) / 1e6;
  if (megapixels > options.max_megapixels) {
    std::ostringstream msg;
    msg << "image is " << header.width << "x" << header.height << " px ("
        << std::round(megapixels * 10) / 10 << " MP), over the " << options.max_megapixels
        << " MP limit (--max-megapixels)";
    throw InputError(path, msg.str());
  }
  // cv::imdecode picks its decoder by signature, not by our reading of the header: when the
  // format's own decoder turns a damaged file down, it tries the others, and the DICOM one
  // (GDCM) looks for "DICM" at byte 128 and then allocates whatever lengths it reads (4 GB
  // for a 382-byte "WebP" found by tests/fuzz). We read only the four formats above, so such
  // a file is refused here, before any decoder sees it.
  if (bytes.size() >= 132 && std::memcmp(bytes.data() + 128, "DICM", 4) == 0) {
    throw InputError(path, std::string("corrupt ") + ImageFormatName(header.format) +
                               ": it also carries a DICOM signature (byte 128), which OpenCV would decode instead");
  }
  image.sha256 = Sha256Hex(bytes.data(), bytes.size());

  const int orientation =
      header.exif_size ? ReadExifOrientation(bytes.data() + header.exif_offset, header.exif_size)
                       : 1;
  if (header.exif_size) image.exif_datetime = ReadExifDateTime(bytes.data() + header.exif_offset, header.exif_size);
  const cv::Mat stored = header.tiff_orientation_value_offset && orientation != 1
                             ? DecodePixels(WithTiffOrientationCleared(bytes, header), image)
                             : DecodePixels(bytes, image);
  if (stored.cols != header.width || stored.rows != header.height) {
    throw InputError(path, "corrupt image data: decoded size differs from the header's");
  }
  const cv::Mat bgr = ToBgr8(stored, image);
  if (orientation == 0) {
    image.warnings.push_back("EXIF orientation tag unreadable or invalid; image used as stored");
  }
  image.exif_orientation = orientation == 0 ? 1 : orientation;
  image.orientation_applied = image.exif_orientation != 1;
  image.bgr = ApplyExifOrientation(bgr, image.exif_orientation);
  return image;
}

LoadedImage LoadImage(const std::string& path, const LoadOptions& options) {
  return DecodeImage(ReadFileBytes(path), path, options);
}

}  // namespace needlescope
