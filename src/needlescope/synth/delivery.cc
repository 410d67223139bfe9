#include "needlescope/synth/delivery.h"

#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>

namespace needlescope::synth {
namespace {

// libjpeg directly, for what OpenCV 4.6's imencode cannot ask for: one sample of every
// channel per pixel (4:4:4). Baseline, libjpeg's default tables scaled to `quality`.
std::vector<std::uint8_t> EncodeJpeg444(const cv::Mat& bgr, int quality) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);  // exits on error; our own 8-bit images cannot fail
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = JDIMENSION(bgr.cols);
  cinfo.image_height = JDIMENSION(bgr.rows);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  for (int c = 0; c < 3; ++c) cinfo.comp_info[c].h_samp_factor = cinfo.comp_info[c].v_samp_factor = 1;
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<unsigned char> row(size_t(bgr.cols) * 3);
  while (cinfo.next_scanline < cinfo.image_height) {
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(int(cinfo.next_scanline));
    for (int x = 0; x < bgr.cols; ++x) {
      row[size_t(3 * x)] = p[x][2];
      row[size_t(3 * x + 1)] = p[x][1];
      row[size_t(3 * x + 2)] = p[x][0];
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::vector<std::uint8_t> out(buffer, buffer + size);
  std::free(buffer);
  return out;
}

std::vector<std::uint8_t> EncodeJpeg(const cv::Mat& bgr, int quality, bool chroma_444) {
  if (chroma_444) return EncodeJpeg444(bgr, quality);
  std::vector<std::uint8_t> encoded;
  CV_Assert(cv::imencode(".jpg", bgr, encoded, {cv::IMWRITE_JPEG_QUALITY, quality}));
  return encoded;
}

}  // namespace

const char* FileFormatExtension(FileFormat format) {
  return format == FileFormat::kJpeg ? "jpg" : "png";
}

std::vector<std::uint8_t> EncodeDelivered(const cv::Mat& bgr, FileFormat format, const CameraTruth& camera) {
  if (format == FileFormat::kPng) {
    std::vector<std::uint8_t> encoded;
    CV_Assert(cv::imencode(".png", bgr, encoded, {cv::IMWRITE_PNG_COMPRESSION, 6}));
    return encoded;
  }
  if (camera.jpeg_first_quality > 0) {
    const cv::Mat first = cv::imdecode(EncodeJpeg(bgr, camera.jpeg_first_quality, camera.jpeg_444), cv::IMREAD_COLOR);
    return EncodeJpeg(first, camera.jpeg_quality, camera.jpeg_444);
  }
  return EncodeJpeg(bgr, camera.jpeg_quality, camera.jpeg_444);
}

cv::Mat Delivered(const cv::Mat& bgr, FileFormat format, const CameraTruth& camera) {
  if (format == FileFormat::kPng) return bgr.clone();  // lossless
  return cv::imdecode(EncodeDelivered(bgr, format, camera), cv::IMREAD_COLOR);
}

}  // namespace needlescope::synth
