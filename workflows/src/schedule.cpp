#include "zielwerk/workflows/schedule.h"

#include <algorithm>
#include <tuple>

#include "zielwerk/workflows/holidays.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::workflows {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// The day the rule names in `month`: the n-th (or last) given weekday.
year_month_day rule_day(const MeetingRule& rule, YearMonth month) {
  const std::chrono::year_month ym{std::chrono::year{month.year()},
                                   std::chrono::month{static_cast<unsigned>(month.month())}};
  if (rule.week < 0) {
    return year_month_day{sys_days{ym / rule.weekday[std::chrono::last]}};
  }
  return year_month_day{sys_days{ym / rule.weekday[static_cast<unsigned>(rule.week)]}};
}

bool meets_in(const MeetingRule& rule, YearMonth month) {
  // Quarterly reviews meet in the first month of each quarter.
  return rule.frequency == Frequency::monthly || (month.month() - 1) % 3 == 0;
}

Meeting place(const Workflow& workflow, YearMonth month, const CalendarSettings& calendar) {
  const MeetingRule& rule = workflow.meetings;
  Meeting meeting;
  meeting.workflow = workflow.id;
  meeting.reviews = month.plus_months(rule.reviews_month);
  meeting.rule_date = rule_day(rule, month);
  meeting.time_of_day = rule.time_of_day;
  year_month_day day = meeting.rule_date;
  auto start_on = [&](year_month_day on) {
    const std::chrono::local_days local{sys_days{on}.time_since_epoch()};
    return local_to_utc(
        calendar.time_zone,
        std::chrono::local_time<std::chrono::milliseconds>{local.time_since_epoch()} +
            rule.time_of_day);
  };
  if (const auto holiday = holiday_on(calendar.holidays, day)) {
    meeting.holiday = holiday->name;
    if (rule.on_holiday == HolidayRule::skip) {
      meeting.starts_at = start_on(day);
      return meeting;
    }
    const int step = rule.on_holiday == HolidayRule::next_business_day ? 1 : -1;
    do {
      day = year_month_day{sys_days{day} + days{step}};
    } while (!is_business_day(calendar.holidays, day));
  }
  meeting.date = day;
  const std::chrono::local_days local{sys_days{day}.time_since_epoch()};
  meeting.starts_at =
      local_to_utc(calendar.time_zone,
                   std::chrono::local_time<std::chrono::milliseconds>{local.time_since_epoch()} +
                       rule.time_of_day);
  return meeting;
}

YearMonth month_of(year_month_day date) {
  return YearMonth(static_cast<int>(date.year()), static_cast<int>(unsigned(date.month())));
}

}  // namespace

std::vector<Meeting> meetings_between(const Workflow& workflow, year_month_day from,
                                      year_month_day to, const CalendarSettings& calendar) {
  std::vector<Meeting> meetings;
  if (to < from) return meetings;
  // A meeting moved to the next business day can leave its month: look one
  // month around the range and keep what falls inside.
  for (YearMonth month = month_of(from).plus_months(-1); month <= month_of(to).plus_months(1);
       month = month.plus_months(1)) {
    if (!meets_in(workflow.meetings, month)) continue;
    Meeting meeting = place(workflow, month, calendar);
    const year_month_day day = meeting.date.value_or(meeting.rule_date);
    if (day < from || to < day) continue;
    meetings.push_back(std::move(meeting));
  }
  return meetings;
}

std::vector<Meeting> schedule(const std::vector<Workflow>& workflows, year_month_day from,
                              year_month_day to, const CalendarSettings& calendar) {
  std::vector<Meeting> all;
  for (const auto& workflow : workflows) {
    auto meetings = meetings_between(workflow, from, to, calendar);
    all.insert(all.end(), std::make_move_iterator(meetings.begin()),
               std::make_move_iterator(meetings.end()));
  }
  sort_by_start(all);
  return all;
}

void sort_by_start(std::vector<Meeting>& meetings) {
  std::stable_sort(meetings.begin(), meetings.end(), [](const Meeting& a, const Meeting& b) {
    const auto key = [](const Meeting& m) {
      return std::make_tuple(m.date.value_or(m.rule_date), m.time_of_day, m.workflow);
    };
    return key(a) < key(b);
  });
}

}  // namespace zielwerk::workflows
