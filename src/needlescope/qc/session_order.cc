#include "needlescope/qc/session_order.h"

namespace needlescope::qc {

std::vector<int> OutOfOrderWith(const std::vector<SessionPhoto>& photos) {
  std::vector<int> with(photos.size(), -1);
  for (size_t i = 0; i < photos.size(); ++i) {
    const SessionPhoto& p = photos[i];
    if (p.patient_id.empty() || p.exif_time.empty()) continue;
    for (size_t j = 0; j < photos.size() && with[i] < 0; ++j) {
      const SessionPhoto& q = photos[j];
      if (j == i || q.patient_id != p.patient_id || q.exif_time.empty() || q.session_order == p.session_order) continue;
      // EXIF times and ISO dates compare as text in time order.
      const bool inverted = (q.session_order < p.session_order) == (q.exif_time > p.exif_time) && q.exif_time != p.exif_time;
      if (inverted) with[i] = static_cast<int>(j);
    }
  }
  return with;
}

}  // namespace needlescope::qc
