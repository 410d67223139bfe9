#pragma once

// `needlescope validate`'s picture, DIR/<stem>.validation.png (docs/validation.md).

#include <opencv2/core.hpp>

#include "needlescope/validate/cartridge.h"
#include "needlescope/validate/validation.h"

namespace needlescope::report {

// The photo with every stamp drawn: each needle's place, a green ring where its hole is, a
// red cross where it is not, its index beside it; stamps left out of the rates in grey with
// the reason; failing needles' indices in the legend.
cv::Mat DrawValidationOverlay(const cv::Mat& bgr, const validate::ValidationResult& result, const validate::CartridgeLayout& layout);

}  // namespace needlescope::report
