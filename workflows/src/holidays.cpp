#include "zielwerk/workflows/holidays.h"

#include <algorithm>

namespace zielwerk::workflows {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

year_month_day plus_days(year_month_day date, int n) {
  return year_month_day{sys_days{date} + days{n}};
}

}  // namespace

year_month_day easter_sunday(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int easter_month = (h + l - 7 * m + 114) / 31;
  const int easter_day = (h + l - 7 * m + 114) % 31 + 1;
  return on(y, static_cast<unsigned>(easter_month), static_cast<unsigned>(easter_day));
}

std::vector<Holiday> public_holidays(std::string_view region, int y) {
  if (region != "DE-NW") return {};
  const year_month_day easter = easter_sunday(y);
  std::vector<Holiday> holidays = {
      {on(y, 1, 1), "Neujahr"},
      {plus_days(easter, -2), "Karfreitag"},
      {plus_days(easter, 1), "Ostermontag"},
      {on(y, 5, 1), "Tag der Arbeit"},
      {plus_days(easter, 39), "Christi Himmelfahrt"},
      {plus_days(easter, 50), "Pfingstmontag"},
      {plus_days(easter, 60), "Fronleichnam"},
      {on(y, 10, 3), "Tag der Deutschen Einheit"},
      {on(y, 11, 1), "Allerheiligen"},
      {on(y, 12, 25), "1. Weihnachtstag"},
      {on(y, 12, 26), "2. Weihnachtstag"},
  };
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return holidays;
}

std::optional<Holiday> holiday_on(std::string_view region, year_month_day date) {
  // Eleven dates and one Easter computation: cheaper to compute than to cache.
  for (auto& holiday : public_holidays(region, static_cast<int>(date.year()))) {
    if (holiday.date == date) return std::move(holiday);
  }
  return std::nullopt;
}

bool is_business_day(std::string_view region, year_month_day date) {
  const std::chrono::weekday weekday{sys_days{date}};
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) return false;
  return !holiday_on(region, date).has_value();
}

}  // namespace zielwerk::workflows
