// NRW holidays and the meetings a workflow's rule produces, against hand-made lists.
#include "zielwerk/workflows/schedule.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "zielwerk/workflows/holidays.h"

namespace zielwerk::workflows {
namespace {

using std::chrono::year_month_day;

using zielwerk::testing::date;

Workflow workflow(const std::string& id, Frequency frequency, std::chrono::weekday weekday,
                  int week, int hour, HolidayRule on_holiday = HolidayRule::next_business_day) {
  Workflow result;
  result.id = id;
  result.meetings.frequency = frequency;
  result.meetings.weekday = weekday;
  result.meetings.week = week;
  result.meetings.time_of_day = std::chrono::hours{hour};
  result.meetings.on_holiday = on_holiday;
  result.meetings.reviews_month = -1;
  return result;
}

// "id date HH:MMZ" per meeting, or "id skipped (holiday)".
std::vector<std::string> describe(const std::vector<Meeting>& meetings) {
  std::vector<std::string> out;
  for (const auto& m : meetings) {
    if (m.skipped()) {
      out.push_back(m.id() + " skipped (" + m.holiday + ")");
      continue;
    }
    std::string line = m.id() + " " + format_date(*m.date) + " " +
                       format_timestamp(m.starts_at).substr(11, 5) + "Z";
    if (m.moved()) line += " moved from " + format_date(m.rule_date) + " (" + m.holiday + ")";
    out.push_back(line);
  }
  return out;
}

const CalendarSettings kNrw{"Europe/Berlin", {"DE-NW", {}}};

// The example's BA follow-up dialogue: monthly, 2nd Tuesday, 10:00 local, reviewing the
// month before. 10:00 is 09:00 UTC in winter time and 08:00 UTC in summer time.
TEST(ScheduleTest, TheExamplesBaDialogue2025) {
  const Workflow ba = workflow("ba", Frequency::monthly, std::chrono::Tuesday, 2, 10);
  EXPECT_EQ(describe(meetings_between(ba, date("2025-01-01"), date("2025-12-31"), kNrw)),
            (std::vector<std::string>{
                "ba/2024-12 2025-01-14 09:00Z",
                "ba/2025-01 2025-02-11 09:00Z",
                "ba/2025-02 2025-03-11 09:00Z",
                "ba/2025-03 2025-04-08 08:00Z",
                "ba/2025-04 2025-05-13 08:00Z",
                "ba/2025-05 2025-06-10 08:00Z",
                "ba/2025-06 2025-07-08 08:00Z",
                "ba/2025-07 2025-08-12 08:00Z",
                "ba/2025-08 2025-09-09 08:00Z",
                "ba/2025-09 2025-10-14 08:00Z",
                "ba/2025-10 2025-11-11 09:00Z",
                "ba/2025-11 2025-12-09 09:00Z",
            }));
}

TEST(ScheduleTest, TheExamplesQuarterlyMunicipalReview2025) {
  const Workflow kreis = workflow("kreis", Frequency::quarterly, std::chrono::Thursday, 3, 14);
  EXPECT_EQ(describe(meetings_between(kreis, date("2025-01-01"), date("2025-12-31"), kNrw)),
            (std::vector<std::string>{
                "kreis/2024-12 2025-01-16 13:00Z",
                "kreis/2025-03 2025-04-17 12:00Z",
                "kreis/2025-06 2025-07-17 12:00Z",
                "kreis/2025-09 2025-10-16 12:00Z",
            }));
}

TEST(ScheduleTest, AMeetingOnAHolidayMovesOrIsSkippedAndKeepsItsIdentity) {
  const auto from = date("2025-04-01");
  const auto to = date("2025-06-30");
  // The 1st Thursday of May 2025 is Tag der Arbeit.
  EXPECT_EQ(
      describe(meetings_between(workflow("next", Frequency::monthly, std::chrono::Thursday, 1, 10),
                                from, to, kNrw)),
      (std::vector<std::string>{
          "next/2025-03 2025-04-03 08:00Z",
          "next/2025-04 2025-05-02 08:00Z moved from 2025-05-01 (Tag der Arbeit)",
          "next/2025-05 2025-06-05 08:00Z",
      }));
  EXPECT_EQ(describe(meetings_between(workflow("prev", Frequency::monthly, std::chrono::Thursday, 1,
                                               10, HolidayRule::previous_business_day),
                                      from, to, kNrw)),
            (std::vector<std::string>{
                "prev/2025-03 2025-04-03 08:00Z",
                "prev/2025-04 2025-04-30 08:00Z moved from 2025-05-01 (Tag der Arbeit)",
                "prev/2025-05 2025-06-05 08:00Z",
            }));
  EXPECT_EQ(describe(meetings_between(workflow("skip", Frequency::monthly, std::chrono::Thursday, 1,
                                               10, HolidayRule::skip),
                                      from, to, kNrw)),
            (std::vector<std::string>{
                "skip/2025-03 2025-04-03 08:00Z",
                "skip/2025-04 skipped (Tag der Arbeit)",
                "skip/2025-05 2025-06-05 08:00Z",
            }));
  // Fronleichnam (3rd Thursday of June) and Christi Himmelfahrt (last Thursday of May).
  EXPECT_EQ(
      describe(meetings_between(workflow("third", Frequency::monthly, std::chrono::Thursday, 3, 10),
                                date("2025-06-01"), date("2025-06-30"), kNrw)),
      (std::vector<std::string>{
          "third/2025-05 2025-06-20 08:00Z moved from 2025-06-19 (Fronleichnam)"}));
  EXPECT_EQ(
      describe(meetings_between(workflow("last", Frequency::monthly, std::chrono::Thursday, -1, 10),
                                date("2025-05-01"), date("2025-05-31"), kNrw)),
      (std::vector<std::string>{
          "last/2025-04 2025-05-30 08:00Z moved from 2025-05-29 (Christi Himmelfahrt)"}));
}

TEST(ScheduleTest, ConsecutiveHolidaysAndWeekendsAreAllSkippedOver) {
  // The 4th Thursday of December 2025 is Christmas Day; the 26th is a holiday too, then
  // the weekend: the next business day is Monday the 29th.
  EXPECT_EQ(
      describe(meetings_between(workflow("xmas", Frequency::monthly, std::chrono::Thursday, 4, 10),
                                date("2025-12-01"), date("2025-12-31"), kNrw)),
      (std::vector<std::string>{
          "xmas/2025-11 2025-12-29 09:00Z moved from 2025-12-25 (1. Weihnachtstag)"}));
}

TEST(ScheduleTest, LocalTimeIsKeptAcrossTheClockChanges) {
  // Clocks go forward on Sunday 2025-03-30 and back on Sunday 2025-10-26.
  const Workflow friday = workflow("fri", Frequency::monthly, std::chrono::Friday, -1, 10);
  const Workflow monday = workflow("mon", Frequency::monthly, std::chrono::Monday, -1, 10);
  EXPECT_EQ(describe(meetings_between(friday, date("2025-03-01"), date("2025-03-31"), kNrw)),
            std::vector<std::string>{"fri/2025-02 2025-03-28 09:00Z"});  // before: CET
  EXPECT_EQ(describe(meetings_between(monday, date("2025-03-01"), date("2025-03-31"), kNrw)),
            std::vector<std::string>{"mon/2025-02 2025-03-31 08:00Z"});  // after: CEST
  EXPECT_EQ(describe(meetings_between(friday, date("2025-10-01"), date("2025-10-31"), kNrw)),
            std::vector<std::string>{"fri/2025-09 2025-10-31 09:00Z"});  // after: CET
  EXPECT_EQ(describe(meetings_between(monday, date("2025-10-01"), date("2025-10-31"), kNrw)),
            std::vector<std::string>{"mon/2025-09 2025-10-27 09:00Z"});
}

TEST(ScheduleTest, TheSameRangeGivesTheSameMeetingsAndRangesCutByDate) {
  const Workflow ba = workflow("ba", Frequency::monthly, std::chrono::Tuesday, 2, 10);
  const auto once = describe(meetings_between(ba, date("2025-01-01"), date("2025-12-31"), kNrw));
  EXPECT_EQ(describe(meetings_between(ba, date("2025-01-01"), date("2025-12-31"), kNrw)), once);
  EXPECT_EQ(
      describe(meetings_between(ba, date("2025-05-13"), date("2025-06-10"), kNrw)),
      (std::vector<std::string>{"ba/2025-04 2025-05-13 08:00Z", "ba/2025-05 2025-06-10 08:00Z"}));
  EXPECT_TRUE(meetings_between(ba, date("2025-05-14"), date("2025-06-09"), kNrw).empty());
  EXPECT_TRUE(meetings_between(ba, date("2025-06-01"), date("2025-05-01"), kNrw).empty());
}

TEST(ScheduleTest, SeveralWorkflowsAreMergedByStart) {
  const std::vector<Workflow> workflows = {
      workflow("ba", Frequency::monthly, std::chrono::Tuesday, 2, 10),
      workflow("kreis", Frequency::quarterly, std::chrono::Thursday, 3, 14)};
  EXPECT_EQ(
      describe(schedule(workflows, date("2025-01-01"), date("2025-02-28"), kNrw)),
      (std::vector<std::string>{"ba/2024-12 2025-01-14 09:00Z", "kreis/2024-12 2025-01-16 13:00Z",
                                "ba/2025-01 2025-02-11 09:00Z"}));
}

}  // namespace
}  // namespace zielwerk::workflows
