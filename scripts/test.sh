#!/usr/bin/env bash
# README command 2, and what CI runs (.ci/run): the set-up of command 1, the
# rest of the packages, then every test once, under AddressSanitizer +
# UndefinedBehaviorSanitizer, with warnings as errors, and the fuzz targets
# for a minute (fuzz/README.md), so a regression in the rule, workflow or CSV
# readers shows up.
#
# The test suite is compiled once, in the sanitizer build (build-asan/): the
# program's own -O2 build (build/, command 1) is compiled with warnings as
# errors too, so both optimisation levels' warnings are checked, and the
# benchmarks' trail generator is compiled there so it cannot rot.
# docs/development.md says why, and what each step costs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh

./scripts/setup.sh
install_packages "${ZIELWERK_TEST_PACKAGES[@]}"
cmake --build build --target zielwerk-audit-generator
# clang-tidy's checks (.clang-tidy) on every source file the last run did not
# see, with build/'s compile commands (the modules are built by now).
python3 scripts/tidy.py

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

./scripts/fuzz.sh 60
