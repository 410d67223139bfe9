#!/usr/bin/env bash
# Builds needlescope with AddressSanitizer + UndefinedBehaviorSanitizer (undefined behaviour
# is fatal: -fno-sanitize-recover) into build-asan/ and runs the test suite under them, less
# the slow tests listed below (docs/reliability.md). `.ci/run` runs this after tools/test.sh.
# The same compiler as the Release build (GCC): the synthetic renderer's random stream
# differs between compilers (docs/reliability.md), and tests pin its values.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1" \
  -DNEEDLESCOPE_ASAN=ON -DNEEDLESCOPE_WERROR=ON -DNEEDLESCOPE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"
# Left out under the sanitizers, to keep CI (Release suite + this) near a third of an hour on
# 2 cores; each still runs in tools/test.sh's Release suite (docs/reliability.md):
# - accuracy and determinism studies over many photos, whose code the remaining tests run on
#   fewer photos: classifier training, detection/redness/calibration/registration/healing
#   accuracy, renderer families, tile and thread invariance of compare and of synthetic pairs;
# - the tests that kill runs (what they check is the file system's, not memory's).
# Together about 510 of the ~860 CPU-seconds the whole suite takes under the sanitizers.
left_out=(
  'ClassifierTraining\.' 'CliTrain\.WritesAModelThatAnalyzeUses$' 'CliTrain\.ARegionPerPhoto'
  'CliSeries\.KnownHalfLifeIsRecoveredFromPhotos$' 'DetectionAccuracy\.'
  'Redness\.TracksTruthAcrossSkinTypesAndQualities$' 'Calibration\.EvenAFewPhotos'
  'Registration\.AlignsSyntheticPairsToUnderAPixel$' 'ComparePair\.HealingMetricsMatchTheTruth$'
  'ComparePair\.IdenticalForAnyTileSizeAndThreadCount$' 'ComparePair\.AGreyCard' 'CliCompare\.WithoutUntreatedSkin'
  'RendererFamily\.EachFamilyIsDeterministicAndDifferent$' 'Kinds/EveryKind\.[A-Za-z]*/pair'
  'PhotoQuality\.EverySkinTypeAndASubstratePassAsTheyAre$' 'TargetDecision\.AutoTellsSubstratesFromSkin$'
  'KilledRuns\.' 'CliBatch\.KilledAtAnyMomentItLosesAndDoublesNothing$'
)
slow="^($(IFS='|'; echo "${left_out[*]}"))"
cd build-asan
ctest --output-on-failure -j "$(nproc)" -E "$slow"
