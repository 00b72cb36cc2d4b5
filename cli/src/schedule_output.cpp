#include "schedule_output.h"

#include <utility>
#include <vector>

#include "text_table.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/notify/calendar.h"
#include "zielwerk/version.h"

namespace zielwerk::cli {
namespace {

std::string weekday_name(std::chrono::year_month_day date) {
  static const char* const kNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return kNames[std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding()];
}

std::string note(const workflows::Meeting& meeting) {
  if (meeting.skipped()) return "skipped: " + meeting.holiday;
  if (meeting.moved()) {
    return "moved from " + format_date(meeting.rule_date) + " (" + meeting.holiday + ")";
  }
  return {};
}

}  // namespace

void write_schedule_table(const engine::ProjectSchedule& schedule, const std::string& time_zone,
                          std::ostream& out) {
  out << "Review meetings " << format_date(schedule.from) << " to " << format_date(schedule.to)
      << " (" << time_zone << ")\n\n";
  std::vector<std::vector<std::string>> rows = {{"DATE", "TIME", "MEETING", "REVIEWS", "NOTE"}};
  for (const auto& entry : schedule.meetings) {
    const auto& m = entry.meeting;
    const auto day = m.date.value_or(m.rule_date);
    rows.push_back({weekday_name(day) + " " + format_date(day),
                    engine::time_of_day_text(m.time_of_day), m.id(), m.reviews.to_string(),
                    note(m)});
  }
  write_table(rows, {}, out);
  if (schedule.meetings.empty()) out << "(no meetings in this range)\n";
}

void write_schedule_ics(const engine::ProjectSchedule& schedule, const engine::Project& project,
                        Timestamp stamp, std::ostream& out) {
  std::vector<notify::CalendarEvent> events;
  for (const auto& entry : schedule.meetings) {
    const auto& m = entry.meeting;
    notify::CalendarEvent event;
    event.uid = notify::calendar_uid(m.id(), project.rules.agreement.id);
    event.starts_at = m.starts_at;
    event.ends_at = m.starts_at + notify::kMeetingLength;
    event.summary = entry.workflow->title + " – Berichtsmonat " + m.reviews.to_string();
    event.description = "Teilnehmende: " + join(entry.workflow->participants, ", ") + "\nZiele: " +
                        join(engine::scope_goal_ids(*entry.workflow, project.rules), ", ");
    if (!m.holiday.empty()) event.description += "\n" + note(m);
    event.cancelled = m.skipped();
    events.push_back(std::move(event));
  }
  out << notify::write_calendar(notify::CalendarMethod::publish, events, stamp, kVersion);
}

}  // namespace zielwerk::cli
