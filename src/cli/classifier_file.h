#pragma once

#include <memory>
#include <string>

#include "needlescope/detect/puncture_classifier.h"

namespace needlescope::cli {

// Reads a puncture classifier (schema needlescope.puncture-classifier/3; puncture_classifier.h,
// models/README.md); throws InputError naming the file and what is wrong with it. With
// `sha256`, also the SHA-256 of the file's bytes (for the record of which model made a result).
// A YAML model (schema /1 or /2) is refused with how to convert it: OpenCV's YAML reader
// loops for ever on some damaged files (docs/reliability.md), and needlescope reads models
// it did not make, so it reads none through it.
std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path,
                                                                     std::string* sha256 = nullptr);

// Schema /3, or the YAML /2 (plain or .gz) through OpenCV's reader: for the training tool's
// --convert only, on a model its user made with an older trainer. Plain YAML has its
// base64 checked first (PunctureClassifier::CheckBase64Blocks); a .gz cannot be.
std::shared_ptr<const detect::PunctureClassifier> ReadAnyCompactClassifierFile(const std::string& path);

// The classifier `analyze` and `compare` use unless told otherwise:
// puncture-classifier.bin in the installed models/ beside the executable
// (bin/../share/needlescope/models), else in the source tree's models/ this binary was
// built from. Throws InputError naming where it looked when neither has it: detection
// silently falling back to the colour thresholds would change every count.
std::string DefaultClassifierPath();

// A file under models/ (relative path): beside the installed executable, then in the source
// tree's models/; "" when in neither.
std::string FindModelFile(const std::string& relative);

// Throws InputError unless `path` may name a model to write: not .yml, .yaml or .gz (YAML is
// no longer written). Training checks it before it starts, not after.
void CheckClassifierOutputName(const std::string& path);

// Writes `classifier` to `path` atomically (a partial file renamed into place) as schema /3;
// a name ending .yml, .yaml or .gz is refused (YAML is no longer written). Then reads it
// back as analyze will: the same model, or it throws InputError (the binary form is one per
// model, so equal bytes mean the same trees).
void WriteClassifierFile(const detect::PunctureClassifier& classifier, const std::string& path);

}  // namespace needlescope::cli
