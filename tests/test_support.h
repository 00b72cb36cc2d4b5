// Helpers shared by the test executables.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/common/timestamp.h"

namespace zielwerk::testing {

inline std::filesystem::path source_dir() {
  return ZIELWERK_SOURCE_DIR;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// Every diagnostic as the CLI prints it, in order.
inline std::vector<std::string> lines(const Diagnostics& diagnostics) {
  std::vector<std::string> result;
  for (const auto& d : diagnostics.items())
    result.push_back(format_diagnostic(d));
  return result;
}

// Text searches the tests share (one definition, so test files can be
// compiled together in a unity batch: cmake/UnityBuild.cmake).
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// How often `part` occurs in `text` (overlapping occurrences counted).
inline std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++found;
  return found;
}

inline std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// A UTC time written as stored ("2025-07-01T08:00:00Z"); fails the test on a typo.
inline Timestamp at(const char* text) {
  const auto time = parse_timestamp(text);
  EXPECT_TRUE(time.has_value()) << text;
  return time.value_or(Timestamp{});
}

// A date written as stored ("2025-07-01"); fails the test on a typo.
inline std::chrono::year_month_day date(const char* text) {
  const auto parsed = parse_date(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(std::chrono::year_month_day{});
}

// The recording times of a test's successive changes: each the preferred
// time, or a millisecond after the previous one when that was later. The
// audit trail's time never goes back, so a test that plays a meeting of 2025
// after an import of 2026 records it just after the import, as a coordinator
// writing the minutes late would.
class ChangeClock {
 public:
  Timestamp next(const char* preferred) {
    last_ = std::max(at(preferred), last_ + std::chrono::milliseconds(1));
    return last_;
  }

 private:
  Timestamp last_{};
};

// A fresh, empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "zielwerk-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace zielwerk::testing
