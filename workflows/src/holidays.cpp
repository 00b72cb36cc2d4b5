#include "zielwerk/workflows/holidays.h"

#include <algorithm>

namespace zielwerk::workflows {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

year_month_day plus_days(year_month_day date, int n) {
  return year_month_day{sys_days{date} + days{n}};
}

// The Wednesday before 23 November.
year_month_day buss_und_bettag(int y) {
  const sys_days november_22{on(y, 11, 22)};
  const auto back = (weekday{november_22} - std::chrono::Wednesday).count();
  return year_month_day{november_22 - days{back}};
}

bool keeps(const HolidayCalendar& calendar, std::string_view regional) {
  return std::find(calendar.regional.begin(), calendar.regional.end(), regional) !=
         calendar.regional.end();
}

bool in(std::string_view region, std::initializer_list<std::string_view> regions) {
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

}  // namespace

const std::vector<HolidayRegion>& holiday_regions() {
  static const std::vector<HolidayRegion> regions = {
      {"DE-BW", "Baden-Württemberg", {}},
      {"DE-BY",
       "Bayern",
       {{"mariae-himmelfahrt",
         "Mariä Himmelfahrt (15. August) in Gemeinden mit überwiegend katholischer Bevölkerung"},
        {"augsburger-friedensfest", "Augsburger Friedensfest (8. August) in der Stadt Augsburg"}}},
      {"DE-BE", "Berlin", {}},
      {"DE-BB", "Brandenburg", {}},
      {"DE-HB", "Bremen", {}},
      {"DE-HH", "Hamburg", {}},
      {"DE-HE", "Hessen", {}},
      {"DE-MV", "Mecklenburg-Vorpommern", {}},
      {"DE-NI", "Niedersachsen", {}},
      {"DE-NW", "Nordrhein-Westfalen", {}},
      {"DE-RP", "Rheinland-Pfalz", {}},
      {"DE-SL", "Saarland", {}},
      {"DE-SN",
       "Sachsen",
       {{"fronleichnam", "Fronleichnam in den sorbischen Gemeinden des Landkreises Bautzen"}}},
      {"DE-ST", "Sachsen-Anhalt", {}},
      {"DE-SH", "Schleswig-Holstein", {}},
      {"DE-TH",
       "Thüringen",
       {{"fronleichnam",
         "Fronleichnam im Eichsfeld und in Gemeinden des Unstrut-Hainich-Kreises und des "
         "Wartburgkreises"}}},
  };
  return regions;
}

const HolidayRegion* find_holiday_region(std::string_view code) {
  for (const auto& region : holiday_regions()) {
    if (region.code == code) return &region;
  }
  return nullptr;
}

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

std::vector<Holiday> public_holidays(const HolidayCalendar& calendar, int y) {
  const std::string_view r = calendar.region;
  if (find_holiday_region(r) == nullptr) return {};
  const year_month_day easter = easter_sunday(y);
  std::vector<Holiday> holidays = {
      {on(y, 1, 1), "Neujahr"},
      {plus_days(easter, -2), "Karfreitag"},
      {plus_days(easter, 1), "Ostermontag"},
      {on(y, 5, 1), "Tag der Arbeit"},
      {plus_days(easter, 39), "Christi Himmelfahrt"},
      {plus_days(easter, 50), "Pfingstmontag"},
      {on(y, 10, 3), "Tag der Deutschen Einheit"},
      {on(y, 12, 25), "1. Weihnachtstag"},
      {on(y, 12, 26), "2. Weihnachtstag"},
  };
  const auto add = [&](year_month_day date, const char* name) { holidays.push_back({date, name}); };
  if (in(r, {"DE-BW", "DE-BY", "DE-ST"})) add(on(y, 1, 6), "Heilige Drei Könige");
  if ((r == "DE-BE" && y >= 2019) || (r == "DE-MV" && y >= 2023)) {
    add(on(y, 3, 8), "Internationaler Frauentag");
  }
  if (r == "DE-BB") {
    add(easter, "Ostersonntag");
    add(plus_days(easter, 49), "Pfingstsonntag");
  }
  if (r == "DE-BE" && (y == 2020 || y == 2025)) add(on(y, 5, 8), "Tag der Befreiung");
  if (r == "DE-BE" && y == 2028) {
    add(on(y, 6, 17), "Jahrestag des Volksaufstandes vom 17. Juni 1953");
  }
  if (in(r, {"DE-BW", "DE-BY", "DE-HE", "DE-NW", "DE-RP", "DE-SL"}) ||
      (in(r, {"DE-SN", "DE-TH"}) && keeps(calendar, "fronleichnam"))) {
    add(plus_days(easter, 60), "Fronleichnam");
  }
  if (r == "DE-BY" && keeps(calendar, "augsburger-friedensfest")) {
    add(on(y, 8, 8), "Augsburger Friedensfest");
  }
  if (r == "DE-SL" || (r == "DE-BY" && keeps(calendar, "mariae-himmelfahrt"))) {
    add(on(y, 8, 15), "Mariä Himmelfahrt");
  }
  if (r == "DE-TH" && y >= 2019) add(on(y, 9, 20), "Weltkindertag");
  if (y == 2017 || in(r, {"DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH"}) ||
      (in(r, {"DE-HB", "DE-HH", "DE-NI", "DE-SH"}) && y >= 2018)) {
    add(on(y, 10, 31), "Reformationstag");
  }
  if (in(r, {"DE-BW", "DE-BY", "DE-NW", "DE-RP", "DE-SL"})) add(on(y, 11, 1), "Allerheiligen");
  if (r == "DE-SN") add(buss_und_bettag(y), "Buß- und Bettag");
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return holidays;
}

std::optional<Holiday> holiday_on(const HolidayCalendar& calendar, year_month_day date) {
  // A dozen dates and one Easter computation: cheaper to compute than to cache.
  for (auto& holiday : public_holidays(calendar, static_cast<int>(date.year()))) {
    if (holiday.date == date) return std::move(holiday);
  }
  return std::nullopt;
}

bool is_business_day(const HolidayCalendar& calendar, year_month_day date) {
  const weekday day_of_week{sys_days{date}};
  if (day_of_week == std::chrono::Saturday || day_of_week == std::chrono::Sunday) return false;
  return !holiday_on(calendar, date).has_value();
}

}  // namespace zielwerk::workflows
