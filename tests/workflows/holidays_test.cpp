// The public holidays of the 16 Länder against an outside table
// (holidays_reference.txt, written by make_holidays_reference.js from the npm
// package date-holidays 3.37.0, which follows the Länder's holiday laws), for
// every year 2017–2030 and each regional opt-in.
#include "zielwerk/workflows/holidays.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "test_support.h"
#include "zielwerk/common/calendar.h"

namespace zielwerk::workflows {
namespace {

using zielwerk::testing::source_dir;

using zielwerk::testing::date;

// "DE-BY+mariae-himmelfahrt" as a calendar.
HolidayCalendar calendar_of(const std::string& name) {
  HolidayCalendar calendar;
  std::istringstream parts(name);
  std::getline(parts, calendar.region, '+');
  for (std::string option; std::getline(parts, option, '+');)
    calendar.regional.push_back(option);
  return calendar;
}

// Calendar name -> the dates the reference lists.
std::map<std::string, std::set<std::string>> reference() {
  std::ifstream in(source_dir() / "tests/workflows/holidays_reference.txt");
  std::map<std::string, std::set<std::string>> dates;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    dates[line.substr(0, space)].insert(line.substr(space + 1));
  }
  return dates;
}

TEST(Holidays, EveryLandAndRegionalDayMatchesTheReferenceFrom2017To2030) {
  const auto expected = reference();
  ASSERT_EQ(expected.size(), 20u) << "16 Länder and 4 regional calendars";
  std::set<std::string> lands;
  for (const auto& [name, dates] : expected) {
    const HolidayCalendar calendar = calendar_of(name);
    lands.insert(calendar.region);
    std::set<std::string> computed;
    for (int year = 2017; year <= 2030; ++year) {
      for (const auto& holiday : public_holidays(calendar, year))
        computed.insert(format_date(holiday.date));
    }
    EXPECT_EQ(computed, dates) << name;
  }
  EXPECT_EQ(lands.size(), holiday_regions().size());
  for (const auto& region : holiday_regions())
    EXPECT_EQ(lands.count(region.code), 1u) << region.code;
}

TEST(Holidays, EasterSundays) {
  EXPECT_EQ(format_date(easter_sunday(2000)), "2000-04-23");
  EXPECT_EQ(format_date(easter_sunday(2024)), "2024-03-31");
  EXPECT_EQ(format_date(easter_sunday(2025)), "2025-04-20");
  EXPECT_EQ(format_date(easter_sunday(2026)), "2026-04-05");
  EXPECT_EQ(format_date(easter_sunday(2038)), "2038-04-25");
}

std::vector<std::string> listed(const HolidayCalendar& calendar, int year) {
  std::vector<std::string> got;
  for (const auto& h : public_holidays(calendar, year))
    got.push_back(format_date(h.date) + " " + h.name);
  return got;
}

TEST(Holidays, NorthRhineWestphalia2025WithTheirGermanNames) {
  EXPECT_EQ(listed({"DE-NW", {}}, 2025), (std::vector<std::string>{
                                             "2025-01-01 Neujahr",
                                             "2025-04-18 Karfreitag",
                                             "2025-04-21 Ostermontag",
                                             "2025-05-01 Tag der Arbeit",
                                             "2025-05-29 Christi Himmelfahrt",
                                             "2025-06-09 Pfingstmontag",
                                             "2025-06-19 Fronleichnam",
                                             "2025-10-03 Tag der Deutschen Einheit",
                                             "2025-11-01 Allerheiligen",
                                             "2025-12-25 1. Weihnachtstag",
                                             "2025-12-26 2. Weihnachtstag",
                                         }));
}

TEST(Holidays, TheDaysThatDifferBetweenLands) {
  const auto names = [](const HolidayCalendar& calendar, int year) {
    std::set<std::string> result;
    for (const auto& h : public_holidays(calendar, year))
      result.insert(h.name);
    return result;
  };
  EXPECT_EQ(names({"DE-BY", {}}, 2025).count("Mariä Himmelfahrt"), 0u);
  EXPECT_EQ(names({"DE-BY", {"mariae-himmelfahrt"}}, 2025).count("Mariä Himmelfahrt"), 1u);
  EXPECT_EQ(names({"DE-BY", {"augsburger-friedensfest"}}, 2025).count("Augsburger Friedensfest"),
            1u);
  EXPECT_EQ(names({"DE-SL", {}}, 2025).count("Mariä Himmelfahrt"), 1u);
  EXPECT_EQ(names({"DE-SN", {}}, 2025).count("Fronleichnam"), 0u);
  EXPECT_EQ(names({"DE-SN", {"fronleichnam"}}, 2025).count("Fronleichnam"), 1u);
  EXPECT_EQ(names({"DE-TH", {"fronleichnam"}}, 2025).count("Fronleichnam"), 1u);
  // A regional day of another Land adds nothing.
  EXPECT_EQ(names({"DE-NW", {"mariae-himmelfahrt"}}, 2025), names({"DE-NW", {}}, 2025));
  EXPECT_EQ(names({"DE-BE", {}}, 2018).count("Internationaler Frauentag"), 0u);
  EXPECT_EQ(names({"DE-BE", {}}, 2019).count("Internationaler Frauentag"), 1u);
  EXPECT_EQ(names({"DE-BE", {}}, 2025).count("Tag der Befreiung"), 1u);
  EXPECT_EQ(names({"DE-BE", {}}, 2026).count("Tag der Befreiung"), 0u);
  EXPECT_EQ(names({"DE-HH", {}}, 2017).count("Reformationstag"), 1u);  // nationwide in 2017
  EXPECT_EQ(names({"DE-NW", {}}, 2017).count("Reformationstag"), 1u);
  EXPECT_EQ(names({"DE-NW", {}}, 2018).count("Reformationstag"), 0u);
  EXPECT_EQ(names({"DE-BB", {}}, 2025).count("Pfingstsonntag"), 1u);
}

TEST(Holidays, BussUndBettagIsTheWednesdayBeforeNovember23) {
  const auto bettag = [](int year) {
    for (const auto& h : public_holidays({"DE-SN", {}}, year)) {
      if (h.name == "Buß- und Bettag") return format_date(h.date);
    }
    return std::string("none");
  };
  EXPECT_EQ(bettag(2023), "2023-11-22");
  EXPECT_EQ(bettag(2024), "2024-11-20");
  EXPECT_EQ(bettag(2025), "2025-11-19");
  EXPECT_EQ(bettag(2028), "2028-11-22");
}

TEST(Holidays, BusinessDaysAndUnknownRegions) {
  const HolidayCalendar nrw{"DE-NW", {}};
  EXPECT_FALSE(is_business_day(nrw, date("2025-06-19")));  // Fronleichnam, a Thursday
  EXPECT_FALSE(is_business_day(nrw, date("2025-06-21")));  // Saturday
  EXPECT_TRUE(is_business_day(nrw, date("2025-04-17")));   // Gründonnerstag is no holiday
  EXPECT_TRUE(is_business_day({"DE-HE", {}},
                              date("2024-11-01")));  // Allerheiligen, a Friday: not in Hessen
  EXPECT_FALSE(is_business_day({"DE-RP", {}}, date("2024-11-01")));  // in Rheinland-Pfalz it is
  EXPECT_EQ(holiday_on({"DE-BY", {"mariae-himmelfahrt"}}, date("2025-08-15"))->name,
            "Mariä Himmelfahrt");
  EXPECT_TRUE(public_holidays({"DE-XX", {}}, 2025).empty());
  EXPECT_EQ(find_holiday_region("DE-XX"), nullptr);
  ASSERT_NE(find_holiday_region("DE-BY"), nullptr);
  EXPECT_EQ(find_holiday_region("DE-BY")->name, "Bayern");
}

}  // namespace
}  // namespace zielwerk::workflows
