// The review meetings a workflow's meeting rule produces on the calendar.
//
// A meeting's identity is its workflow and the reporting month it reviews
// ("ba-zielnachhaltedialog/2025-05"), never its date: a meeting moved for a
// holiday keeps its identity, and computing the schedule twice gives the same
// meetings. Dates are civil dates in the project's time zone; the start is
// also given in UTC, so a meeting stays at 10:00 local time across the clock
// changes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/workflows/holidays.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::workflows {

struct Meeting {
  std::string workflow;
  YearMonth reviews;                                // the reporting month it reviews
  std::chrono::year_month_day rule_date{};          // the day the rule names
  std::optional<std::chrono::year_month_day> date;  // the day it takes place; none: skipped
  std::chrono::minutes time_of_day{};               // local civil time
  Timestamp starts_at{};  // UTC (for a skipped meeting: when it would have started)
  std::string holiday;    // the holiday that moved or cancelled it, or empty

  // "<workflow>/<reviewed month>", stable across holidays and runs.
  std::string id() const { return workflow + "/" + reviews.to_string(); }
  bool moved() const { return date && *date != rule_date; }
  bool skipped() const { return !date.has_value(); }
};

struct CalendarSettings {
  std::string time_zone = "Europe/Berlin";  // a known IANA zone
  HolidayCalendar holidays;                 // the Land and the regional days it keeps
};

// The meetings of `workflow` whose day (the rule's day for a skipped one) lies
// in [from, to], by date.
std::vector<Meeting> meetings_between(const Workflow& workflow, std::chrono::year_month_day from,
                                      std::chrono::year_month_day to,
                                      const CalendarSettings& calendar);

// Orders meetings as `schedule` does: by day, time, then workflow id.
void sort_by_start(std::vector<Meeting>& meetings);

// The meetings of every workflow in [from, to], by start (then workflow id).
std::vector<Meeting> schedule(const std::vector<Workflow>& workflows,
                              std::chrono::year_month_day from, std::chrono::year_month_day to,
                              const CalendarSettings& calendar);

}  // namespace zielwerk::workflows
