#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "needlescope/validate/validation.h"

namespace needlescope::validate {

inline constexpr const char* kValidationSchema = "needlescope.validation/1";

// The sections of DIR/<stem>.validation.json that come from the validation (docs/validation.md):
// cartridge, scale, stamps, needles, penetration_rate, orientation and the counts.
nlohmann::ordered_json ValidationToJson(const ValidationResult& result, const CartridgeLayout& layout,
                                        const ValidateOptions& options);

// DIR/<stem>.needles.csv: index,x_mm,y_mm,hits,stamps,rate,ci95_low,ci95_high,failing.
std::string NeedlesCsv(const ValidationResult& result, const CartridgeLayout& layout);

}  // namespace needlescope::validate
