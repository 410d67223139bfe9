#include "cli/compare_options.h"

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "cli/region_file.h"

namespace needlescope::cli {

void AddCompareOptions(po::options_description& desc, CompareArgs& a, const std::string& reference_photo) {
  AddPhotoOptions(desc, a.photo, reference_photo);
  desc.add_options()("pictures", po::bool_switch(&a.pictures),
                     "also write the full-size PNG pictures (the report page has them reduced)");
}

healing::CompareOptions MakeCompareOptions(const CompareArgs& a, const CommonOptions& common) {
  healing::CompareOptions options;
  if (!a.photo.chromophores.empty()) options.redness.vectors = ReadChromophoresFile(a.photo.chromophores);
  options.registration.vectors = options.redness.vectors;
  if (!a.photo.roi.empty()) options.redness.roi = ReadRegionFile(a.photo.roi);
  if (!a.photo.reference.empty()) options.redness.reference = ReadRegionFile(a.photo.reference);
  if (!a.photo.white_patch.empty()) options.redness.white_patch = ParseRect(a.photo.white_patch, "--white-patch");
  const std::string classifier = a.photo.classifier == "default" ? DefaultClassifierPath() : a.photo.classifier;
  if (!classifier.empty() && classifier != "none")
    options.detect.classifier = ReadClassifierFile(classifier);
  options.redness.tiling.tile_size_px = options.detect.tiling.tile_size_px = common.tile_size_px;
  CheckScale(a.photo.mm_per_px);
  if (std::string error = options.Check(); !error.empty()) throw UsageError(error);
  return options;
}

}  // namespace needlescope::cli
