#pragma once

#include <memory>
#include <string>

#include "needlescope/detect/puncture_classifier.h"

namespace needlescope::cli {

// Reads a puncture classifier (schema needlescope.puncture-classifier/3, or the YAML /2;
// puncture_classifier.h, models/README.md);
// throws InputError naming the file and what is wrong with it. With `sha256`, also the
// SHA-256 of the file's bytes (for the record of which model made a result).
std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path,
                                                                     std::string* sha256 = nullptr);

// The classifier `analyze` and `compare` use unless told otherwise:
// puncture-classifier.bin in the installed models/ beside the executable
// (bin/../share/needlescope/models), else in the source tree's models/ this binary was
// built from. Throws InputError naming where it looked when neither has it: detection
// silently falling back to the colour thresholds would change every count.
std::string DefaultClassifierPath();

// A file under models/ (relative path): beside the installed executable, then in the source
// tree's models/; "" when in neither.
std::string FindModelFile(const std::string& relative);

// Writes `classifier` to `path` atomically (a partial file renamed into place): schema /3
// (binary) unless `path` is named .yml, .yaml or .gz, then YAML /2 (.gz: OpenCV compresses).
// Then reads it back as analyze will: the same model, or it throws InputError (the binary
// form is one per model, so equal bytes mean the same trees).
void WriteClassifierFile(const detect::PunctureClassifier& classifier, const std::string& path);

}  // namespace needlescope::cli
