#!/usr/bin/env bash
# README command 1: sets up a Debian 12 machine for zielwerk and builds
# build/zielwerk, and nothing else.
#
# Installs the packages building and running zielwerk needs
# (ZIELWERK_PROGRAM_PACKAGES in scripts/packages.sh; only those missing, so a
# second run needs no network), then builds the `zielwerk` target: -O2 with
# warnings as errors, in unity batches, through ccache. No tests, no bench/:
# scripts/test.sh installs and builds those. Runs as root, or as a user with
# sudo. A second run builds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh

install_packages "${ZIELWERK_PROGRAM_PACKAGES[@]}"

# build/ is shared with the `dev` preset (the same flags, with the tests):
# configured once by whichever comes first, then only built, so this never
# takes the tests out of a developer's build/.
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake --preset program >/dev/null
fi
cmake --build build --target zielwerk
