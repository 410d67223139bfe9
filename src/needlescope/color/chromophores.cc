#include "needlescope/color/chromophores.h"

#include <cmath>

namespace needlescope::color {
ChromophoreVectors LiteratureVectors() {
  return {{0.4143, 0.3570, 0.8372}, {0.2988, 0.6838, 0.6657}, "Tsumura et al. master vectors"};
}

Unmixer::Unmixer(const ChromophoreVectors& v) {
  const cv::Matx33d mixing(v.melanin[0], v.hemoglobin[0], 1.0,  //
                           v.melanin[1], v.hemoglobin[1], 1.0,  //
                           v.melanin[2], v.hemoglobin[2], 1.0);
  m_ = mixing.inv();
}

}  // namespace needlescope::color
