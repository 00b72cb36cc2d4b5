// Public holidays by region, computed (Easter by the Gregorian computus), so no
// table needs updating each year. Only DE-NW (North Rhine-Westphalia) is known:
// the regions zielwerk.yaml accepts.
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

// Easter Sunday of a Gregorian year.
std::chrono::year_month_day easter_sunday(int year);

// The public holidays of `region` in `year`, by date. Empty for an unknown region.
std::vector<Holiday> public_holidays(std::string_view region, int year);

// The holiday on `date`, if it is one.
std::optional<Holiday> holiday_on(std::string_view region, std::chrono::year_month_day date);

// Monday to Friday and not a public holiday of `region`.
bool is_business_day(std::string_view region, std::chrono::year_month_day date);

}  // namespace zielwerk::workflows
