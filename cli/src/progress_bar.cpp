#include "progress_bar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "number_format.h"
#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {
namespace {

constexpr int kBarWidth = 20;
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

std::string count(double value) {
  return format_quantity(value, rules::Unit::count);
}

std::string duration_text(double seconds) {
  const long long total = std::llround(seconds);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

}  // namespace

std::string progress_line(const Progress& progress, std::chrono::steady_clock::duration elapsed) {
  std::string line = "importing " + escape_controls(progress.file);
  double fraction = -1;
  if (progress.file_size > 0) {
    fraction = std::min(
        1.0, static_cast<double>(progress.bytes_read) / static_cast<double>(progress.file_size));
    const auto filled = static_cast<int>(fraction * kBarWidth);
    line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] ";
    char percent[8];
    std::snprintf(percent, sizeof percent, "%3d %%", static_cast<int>(fraction * 100));
    line += percent;
  }
  line += " " + count(static_cast<double>(progress.rows)) + " rows";
  const double seconds = std::chrono::duration<double>(elapsed).count();
  if (seconds > 0) {
    line += ", " + count(std::floor(static_cast<double>(progress.rows) / seconds)) + " rows/s";
    if (fraction > 0 && fraction < 1) {
      line += ", " + duration_text(seconds * (1 - fraction) / fraction) + " left";
    }
  }
  return line;
}

ProgressBar::ProgressBar(std::ostream& out, bool terminal, MonotonicClock clock,
                         std::uint64_t min_bytes)
    : out_(out), terminal_(terminal), clock_(std::move(clock)), min_bytes_(min_bytes) {}

void ProgressBar::update(const Progress& progress) {
  if (!terminal_ || progress.file_size < min_bytes_) return;
  const auto now = clock_();
  if (progress.file != file_) {
    file_ = progress.file;
    started_ = now;
  } else if (shown_ && now - drawn_ < kRedrawEvery) {
    return;
  }
  drawn_ = now;
  out_ << "\r\033[K" << progress_line(progress, now - started_) << std::flush;
  shown_ = true;
}

void ProgressBar::finish() {
  if (shown_) out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace zielwerk::cli
