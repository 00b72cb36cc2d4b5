#!/usr/bin/env bash
# Sets up a Debian 12 machine for zielwerk and builds build/zielwerk.
#
# Installs the Debian packages zielwerk needs (only those missing, so a second
# run is quick and needs no network), then configures and builds the `dev`
# preset. Runs as root, or as a user with sudo. Chromium and a font are for the
# tests that render reports and the dashboard in a headless browser; clang with
# its sanitizer and libFuzzer runtimes (and llvm-symbolizer for readable stack
# traces) for the fuzz targets (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libboost-dev
  libgtest-dev libgmock-dev
  libcli11-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata
  libssl-dev libical-dev
  clang-format clang-tidy python3 python3-jsonschema python3-yaml
  chromium fonts-dejavu-core
  clang libclang-rt-14-dev llvm
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset dev >/dev/null
cmake --build --preset dev
