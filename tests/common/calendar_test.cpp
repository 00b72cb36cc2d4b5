#include "zielwerk/common/calendar.h"

#include <gtest/gtest.h>

namespace zielwerk {
namespace {

using std::chrono::year;

TEST(YearMonthTest, ParsesExactlyYyyyMm) {
  EXPECT_EQ(YearMonth::parse("2025-06"), YearMonth(2025, 6));
  EXPECT_EQ(YearMonth::parse("2025-12"), YearMonth(2025, 12));
  for (const char* bad : {"2025-6", "2025-13", "2025-00", " 2025-06", "2025-06 ", "2025/06",
                          "25-06", "2025-06-01", "", "1899-12", "abcd-ef"}) {
    EXPECT_FALSE(YearMonth::parse(bad).has_value()) << bad;
  }
}

TEST(YearMonthTest, ArithmeticCrossesYearBoundaries) {
  const YearMonth june(2025, 6);
  EXPECT_EQ(june.plus_months(7), YearMonth(2026, 1));
  EXPECT_EQ(june.plus_months(-6), YearMonth(2024, 12));
  EXPECT_EQ(june.plus_months(-11), YearMonth(2024, 7));  // the start of the 12-month window
  EXPECT_EQ(june.plus_months(-18), YearMonth(2023, 12));
  EXPECT_EQ(june.months_since(YearMonth(2024, 7)), 11);
  EXPECT_EQ(YearMonth(2024, 7).months_since(june), -11);
  EXPECT_LT(YearMonth(2024, 12), YearMonth(2025, 1));
  EXPECT_EQ(YearMonth(2024, 1).to_string(), "2024-01");
}

TEST(YearMonthTest, LastDayKnowsLeapYears) {
  EXPECT_EQ(YearMonth(2024, 2).last_day(), year(2024) / 2 / 29);
  EXPECT_EQ(YearMonth(2025, 2).last_day(), year(2025) / 2 / 28);
  EXPECT_EQ(YearMonth(2025, 4).last_day(), year(2025) / 4 / 30);
  EXPECT_EQ(YearMonth(2025, 12).last_day(), year(2025) / 12 / 31);
}

TEST(DateTest, ParsesOnlyRealDays) {
  EXPECT_EQ(parse_date("2024-02-29"), year(2024) / 2 / 29);
  EXPECT_EQ(parse_date("2025-03-06"), year(2025) / 3 / 6);
  for (const char* bad : {"2025-02-29", "2025-02-30", "2025-04-31", "2025-13-01", "2025-3-6",
                          "06.03.2025", "2025-03-06T10:00", "", "2025-03-0x"}) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
  EXPECT_EQ(format_date(year(2025) / 3 / 6), "2025-03-06");
}

}  // namespace
}  // namespace zielwerk
