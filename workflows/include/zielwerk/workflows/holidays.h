// Public holidays of the 16 Länder, computed (Easter by the Gregorian
// computus, the Buß- und Bettag from the calendar), so no table needs
// updating each year. A region is a Land by its ISO 3166-2 code (DE-BW …
// DE-TH). Days that only some municipalities keep are opt-ins a project
// names (regional holidays): Mariä Himmelfahrt in Bavarian municipalities
// with a Catholic majority, the Augsburger Friedensfest in the city of
// Augsburg, Fronleichnam in the Sorbian municipalities of Saxony and the
// Thuringian ones that keep it. One-off days are included in their year
// (Reformationstag 2017 everywhere; in Berlin 8 May 2020 and 2025 and
// 17 June 2028). The rules are those in force since 2017, with the changes
// since (Frauentag in Berlin from 2019 and Mecklenburg-Vorpommern from 2023,
// Reformationstag in the four northern Länder from 2018, Weltkindertag in
// Thuringia from 2019); tests/workflows/holidays_test.cpp checks 2017–2030
// against an outside table.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zielwerk::workflows {

struct Holiday {
  std::chrono::year_month_day date;
  std::string name;  // German, as on the calendar: "Fronleichnam"
};

// A day only some municipalities of a Land keep, by the id a project opts in with.
struct RegionalHoliday {
  std::string id;           // "mariae-himmelfahrt"
  std::string description;  // where it is kept, in German
};

struct HolidayRegion {
  std::string code;  // "DE-BY"
  std::string name;  // "Bayern"
  std::vector<RegionalHoliday> regional;
};

// The 16 Länder, by code.
const std::vector<HolidayRegion>& holiday_regions();
// nullptr for a code that is not one of them.
const HolidayRegion* find_holiday_region(std::string_view code);

// The calendar of a project: its Land and the regional days it keeps.
struct HolidayCalendar {
  std::string region = "DE-NW";
  std::vector<std::string> regional;  // ids of RegionalHoliday of the region
};

// Easter Sunday of a Gregorian year.
std::chrono::year_month_day easter_sunday(int year);

// The public holidays of `calendar` in `year`, by date (one entry per day).
// Empty for an unknown region; regional ids the region does not have add nothing.
std::vector<Holiday> public_holidays(const HolidayCalendar& calendar, int year);

// The holiday on `date`, if it is one.
std::optional<Holiday> holiday_on(const HolidayCalendar& calendar,
                                  std::chrono::year_month_day date);

// Monday to Friday and not a public holiday of `calendar`.
bool is_business_day(const HolidayCalendar& calendar, std::chrono::year_month_day date);

}  // namespace zielwerk::workflows
