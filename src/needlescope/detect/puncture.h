#pragma once

namespace needlescope {

// One detected puncture site. Coordinates are pixels of the oriented image, origin at the
// centre of the top-left pixel, x right, y down.
struct Puncture {
  double x = 0.0;          // px
  double y = 0.0;          // px
  double radius_px = 0.0;  // px, estimated spot radius
  double score = 0.0;      // detector confidence, [0, 1]
  double contrast = 0.0;   // OD of the detection plane, spot mean minus its ring's median
};

}  // namespace needlescope
