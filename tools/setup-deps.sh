#!/usr/bin/env bash
# Installs the Debian packages needlescope needs to build and test, skipping those already
# present. Idempotent: when everything is installed it only runs dpkg-query and exits.
# Uses apt-get directly as root, sudo otherwise. Set NEEDLESCOPE_SKIP_DEPS=1 to skip.
set -euo pipefail

if [ "${NEEDLESCOPE_SKIP_DEPS:-0}" = 1 ]; then exit 0; fi

packages=(
  build-essential cmake pkg-config
  libopencv-dev            # core, imgproc, imgcodecs, features2d, video (ECC)
  libopencv-contrib-dev    # img_hash: batch's near-duplicate check; mcc: the ColorChecker
  libssl-dev               # libcrypto: the SHA-256 recorded with every result
  libsqlite3-dev sqlite3   # batch: OUT/audit.sqlite (the sqlite3 shell: tests read it as a user would)
  libjpeg-dev              # synth: 4:4:4 JPEG (renderer family B)
  libtbb-dev               # oneTBB
  libboost-program-options-dev
  libgtest-dev libgmock-dev
  nlohmann-json3-dev
  libbenchmark-dev
  clang libclang-rt-dev    # tools/test-sanitizers.sh (ASan + UBSan) and tools/fuzz.sh (libFuzzer)
  time python3-numpy python3-skimage  # tools/bench.sh: /usr/bin/time, the scikit-image peers
)
# Wanted but not required: the report's real-browser tests and --pdf. Where it cannot be
# installed those tests say so and skip; nothing else needs it.
optional=(chromium fonts-liberation)

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
missing_optional=()
for p in "${optional[@]}"; do installed "$p" || missing_optional+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ] && exit 0

echo "setup-deps: installing ${missing[*]} ${missing_optional[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
elif [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: not root and no sudo: ${missing_optional[*]} not installed; the report's browser tests will skip" >&2
  exit 0
else
  echo "setup-deps: not root and no sudo; install these by hand: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ${#missing_optional[@]} -gt 0 ]; then
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing_optional[@]}" >/dev/null ||
    echo "setup-deps: could not install ${missing_optional[*]}: the report's browser tests will skip" >&2
fi
