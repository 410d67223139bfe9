#pragma once

// The file a synthetic photo is delivered as. One place, so that the file `synth` writes and
// the file the truth's visibility is judged on (visibility.h) are made the same way.

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/synth/scene.h"

namespace needlescope::synth {

const char* FileFormatExtension(FileFormat format);  // "jpg" or "png"

// JPEG at camera.jpeg_quality - with libjpeg's default 4:2:0 chroma, or 4:4:4 when
// camera.jpeg_444; first saved at camera.jpeg_first_quality when that is > 0 (a photo
// saved twice) - or lossless PNG.
std::vector<std::uint8_t> EncodeDelivered(const cv::Mat& bgr, FileFormat format, const CameraTruth& camera);

// What a reader of that file gets back (CV_8UC3 BGR).
cv::Mat Delivered(const cv::Mat& bgr, FileFormat format, const CameraTruth& camera);

}  // namespace needlescope::synth
