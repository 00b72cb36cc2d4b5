// Calendar values without time: reporting months ("periods") and civil dates.
// Parsing is strict: "2025-6" or "2025-02-30" are rejected, not normalised.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace zielwerk {

// The years zielwerk reads and stores: months and dates outside are refused.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2999;

// A reporting month, e.g. 2025-06. Ordered; arithmetic in whole months.
class YearMonth {
 public:
  constexpr YearMonth() = default;
  constexpr YearMonth(int year, int month) : index_(year * 12 + (month - 1)) {}

  // Accepts exactly "YYYY-MM" with a month 01..12 and a year 1900..2999.
  static std::optional<YearMonth> parse(std::string_view text);

  constexpr int year() const { return index_ / 12; }
  constexpr int month() const { return index_ % 12 + 1; }
  constexpr YearMonth plus_months(int months) const { return from_index(index_ + months); }
  // Whole months from `earlier` to this month (negative when this is earlier).
  constexpr int months_since(YearMonth earlier) const { return index_ - earlier.index_; }

  std::string to_string() const;  // "YYYY-MM"
  std::chrono::year_month_day last_day() const;

  constexpr auto operator<=>(const YearMonth&) const = default;

 private:
  static constexpr YearMonth from_index(int index) {
    YearMonth ym;
    ym.index_ = index;
    return ym;
  }
  int index_ = 0;
};

// Accepts exactly "YYYY-MM-DD" naming a real day (leap years included).
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
std::string format_date(std::chrono::year_month_day date);  // "YYYY-MM-DD"

// Why YearMonth::parse / parse_date refuse `text`, to follow the quoted text
// in a message: "is not a month YYYY-MM (e.g. 2025-06)", or for a well-formed
// one outside kFirstYear..kLastYear "is outside the months zielwerk handles,
// 1900-01 to 2999-12".
std::string month_problem(std::string_view text);
std::string date_problem(std::string_view text);

}  // namespace zielwerk
