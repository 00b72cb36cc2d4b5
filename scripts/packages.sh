# Sourced by scripts/setup.sh and scripts/test.sh: the Debian 12 packages
# zielwerk needs, in two sets, and how both scripts install them.

# Building and running the program (README command 1).
ZIELWERK_PROGRAM_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev libfmt-dev libboost-dev
  libcli11-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata
  libssl-dev libical-dev liborcus-dev libcurl4-openssl-dev
  libpq-dev
)

# Everything else (README command 2): GoogleTest; the sqlite3 shell (tests
# inspect databases with it, bench/ compares with it); the PostgreSQL server
# the storage and example tests start for themselves (scripts/pg-test-server.sh); Python with the
# modules validate_schemas.py needs and the SMTP sink of tests/notify; Chromium and a font for the tests that
# render reports and the dashboard; clang with its sanitizer and libFuzzer
# runtimes and llvm-symbolizer for the fuzz targets; clang-format for
# changes, clang-tidy for scripts/tidy.py.
ZIELWERK_TEST_PACKAGES=(
  libgtest-dev libgmock-dev sqlite3 postgresql
  python3 python3-jsonschema python3-yaml python3-aiosmtpd
  chromium fonts-dejavu-core
  clang libclang-rt-14-dev llvm
  clang-format clang-tidy
)

# install_packages PACKAGE...: installs those not installed yet, as root or
# through sudo. When all are there it needs neither the network nor root.
install_packages() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  ((${#missing[@]} > 0)) || return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
