#pragma once

#include <memory>
#include <string>

#include "needlescope/detect/puncture_classifier.h"

namespace needlescope::cli {

// Reads a puncture classifier (schema needlescope.puncture-classifier/2, models/README.md);
// throws InputError naming the file and what is wrong with it.
std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path);

// The classifier `analyze` uses unless told otherwise: models/puncture-classifier.yml.gz of
// the source tree this binary was built from (there is no install step yet). "" when
// there is none.
std::string DefaultClassifierPath();

}  // namespace needlescope::cli
