#!/usr/bin/env bash
# Sets up (command 1, then the packages only the tests need), then builds and
# runs every test twice: in the normal build and under
# AddressSanitizer + UndefinedBehaviorSanitizer, both with warnings as errors;
# then runs the fuzz targets for a minute (fuzz/README.md), so a regression in
# the rule, workflow or CSV readers shows up. This is the command CI runs
# (.ci/run) and the README gives.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh

./scripts/setup.sh
install_packages "${ZIELWERK_TEST_PACKAGES[@]}"
cmake --preset dev >/dev/null
cmake --build --preset dev
# clang-tidy's checks (.clang-tidy) on every source file the last run did not see.
python3 scripts/tidy.py
ctest --preset dev

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

./scripts/fuzz.sh 60
