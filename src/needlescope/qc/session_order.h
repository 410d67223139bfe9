#pragma once

#include <string>
#include <vector>

namespace needlescope::qc {

// One photo of a patient as the manifest places it and as its camera dated it.
struct SessionPhoto {
  std::string patient_id;
  std::string session_order;  // what orders sessions: the manifest's taken_at, else its session_id
  std::string exif_time;      // "YYYY:MM:DD HH:MM:SS", or "" when the file has none
};

// For each photo, the index of a photo of the same patient whose camera time contradicts the
// manifest's order (an earlier session shot later, or a later one shot earlier), or -1.
// Photos of one session, and photos without a camera time, are never out of order.
std::vector<int> OutOfOrderWith(const std::vector<SessionPhoto>& photos);

}  // namespace needlescope::qc
