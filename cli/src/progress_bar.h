// The progress line of a long import on stderr: rows, rate and time left.
//
// Shown only when stderr is a terminal (a log file or a pipe gets no
// carriage-return noise) and only for files of at least `min_bytes`. The
// rate needs elapsed time: the reporter takes a monotonic clock as an
// argument, so logic never reads the wall clock and a test drives it with a
// fake clock and a fake terminal flag.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace zielwerk::cli {

using MonotonicClock = std::function<std::chrono::steady_clock::time_point()>;

struct Progress {
  std::string file;
  std::uint64_t bytes_read = 0;
  std::uint64_t file_size = 0;  // 0 when unknown
  std::uint64_t rows = 0;
};

// The line for `progress` after `elapsed`: "importing FILE [#####.....]  42 %
// 1,234,567 rows, 250,000 rows/s, 0:12 left", counts as the CLI prints them.
// Without elapsed time no rate, without a size no bar and no estimate.
std::string progress_line(const Progress& progress, std::chrono::steady_clock::duration elapsed);

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool terminal, MonotonicClock clock, std::uint64_t min_bytes);
  // Redraws the line, at most every 100 ms of the clock (and for a new file).
  void update(const Progress& progress);
  // Clears the line if one was drawn.
  void finish();
  bool shown() const { return shown_; }

 private:
  std::ostream& out_;
  bool terminal_;
  MonotonicClock clock_;
  std::uint64_t min_bytes_;
  std::string file_;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point drawn_{};
  bool shown_ = false;
};

}  // namespace zielwerk::cli
