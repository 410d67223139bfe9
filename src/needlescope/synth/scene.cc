#include "needlescope/synth/scene.h"

#include <algorithm>
#include <sstream>

namespace needlescope::synth {

const char* SceneKindName(SceneKind kind) {
  switch (kind) {
    case SceneKind::kSkinTreated: return "skin-treated";
    case SceneKind::kSkinUntreated: return "skin-untreated";
    case SceneKind::kSubstrate: return "substrate";
    case SceneKind::kPair: return "pair";
  }
  return "?";
}

std::optional<SceneKind> ParseSceneKind(const std::string& name) {
  for (SceneKind k : {SceneKind::kSkinTreated, SceneKind::kSkinUntreated, SceneKind::kSubstrate,
                      SceneKind::kPair}) {
    if (name == SceneKindName(k)) return k;
  }
  return std::nullopt;
}

const char* PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kAuto: return "auto";
    case PatternKind::kStamps: return "stamps";
    case PatternKind::kScatter: return "scatter";
  }
  return "?";
}

std::optional<PatternKind> ParsePatternKind(const std::string& name) {
  for (PatternKind k : {PatternKind::kAuto, PatternKind::kStamps, PatternKind::kScatter}) {
    if (name == PatternKindName(k)) return k;
  }
  return std::nullopt;
}

std::string SceneOptions::Check() const {
  std::ostringstream msg;
  if (width_px < 256 || width_px > 8192) {
    msg << "synth.width_px = " << width_px << ": must be in [256, 8192]";
  } else if (height_px < 256 || height_px > 8192) {
    msg << "synth.height_px = " << height_px << ": must be in [256, 8192]";
  } else if (skin_type < 0 || skin_type > 6) {
    msg << "synth.skin_type = " << skin_type << ": must be 1..6, or 0 to draw it from the seed";
  } else if (jpeg_quality < 0 || jpeg_quality > 100) {
    msg << "synth.jpeg_quality = " << jpeg_quality << ": must be 1..100, or 0 to draw it";
  } else if (healing_fraction > 1.0) {
    msg << "synth.healing_fraction = " << healing_fraction << ": must be in [0, 1], or < 0 to draw it";
  } else if (stain_od && !(stain_od->r >= 0 && stain_od->g >= 0 && stain_od->b >= 0 && stain_od->r <= 2 &&
                           stain_od->g <= 2 && stain_od->b <= 2 &&
                           std::max({stain_od->r, stain_od->g, stain_od->b}) > 0)) {
    msg << "synth.stain_od = (" << stain_od->r << ", " << stain_od->g << ", " << stain_od->b
        << "): components must be in [0, 2], not all 0";
  }
  return msg.str();
}

}  // namespace needlescope::synth
