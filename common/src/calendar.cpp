#include "zielwerk/common/calendar.h"

#include <cstdio>

namespace zielwerk {
namespace {

// Reads exactly `width` ASCII digits at `pos`; nullopt otherwise.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<YearMonth> YearMonth::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') {
    return std::nullopt;
  }
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  if (!year || !month || *year < kFirstYear || *year > kLastYear || *month < 1 || *month > 12) {
    return std::nullopt;
  }
  return YearMonth(*year, *month);
}

std::string YearMonth::to_string() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", year(), month());
  return buffer;
}

std::chrono::year_month_day YearMonth::last_day() const {
  const std::chrono::year_month_day_last last{std::chrono::year{year()} /
                                              std::chrono::month{static_cast<unsigned>(month())} /
                                              std::chrono::last};
  return std::chrono::year_month_day{last};
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  const auto day = read_digits(text, 8, 2);
  if (!year || !month || !day || *year < kFirstYear || *year > kLastYear) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

std::string format_date(std::chrono::year_month_day date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string month_problem(std::string_view text) {
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  if (text.size() == 7 && text[4] == '-' && year && month && *month >= 1 && *month <= 12) {
    return "is outside the months zielwerk handles, " + std::to_string(kFirstYear) + "-01 to " +
           std::to_string(kLastYear) + "-12";
  }
  return "is not a month YYYY-MM (e.g. 2025-06)";
}

std::string date_problem(std::string_view text) {
  const auto year = read_digits(text, 0, 4);
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && year &&
      (*year < kFirstYear || *year > kLastYear) && read_digits(text, 5, 2) &&
      read_digits(text, 8, 2)) {
    return "is outside the dates zielwerk handles, " + std::to_string(kFirstYear) + "-01-01 to " +
           std::to_string(kLastYear) + "-12-31";
  }
  return "is not a date YYYY-MM-DD that exists in the calendar";
}

}  // namespace zielwerk
