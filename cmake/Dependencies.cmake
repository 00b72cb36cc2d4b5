# Every dependency is a Debian package installed by scripts/setup.sh.
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(date REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# libical's CMake package lists static libraries Debian does not ship; pkg-config is exact.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
# liborcus reads XLSX and ODS workbooks (observations/src/workbook_reader.cpp).
pkg_check_modules(LIBORCUS REQUIRED IMPORTED_TARGET liborcus-0.17)
# libcurl sends mail over SMTP (notify/src/smtp.cpp).
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)
if(ZIELWERK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
# Boost.Asio (header-only) for the daemon's timers and signals.
find_package(Boost 1.74 REQUIRED)
find_package(Threads REQUIRED)
