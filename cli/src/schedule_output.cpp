#include "schedule_output.h"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>

#include "text_table.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/version.h"

namespace zielwerk::cli {
namespace {

// Meetings last an hour in calendars: workflow files do not give a length yet.
constexpr std::chrono::minutes kMeetingLength{60};

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

icaltimetype ical_utc(Timestamp time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
  return icaltime_from_timet_with_zone(static_cast<time_t>(seconds), 0,
                                       icaltimezone_get_utc_timezone());
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
  using Component = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT), &icalcomponent_free);
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  const std::string product = std::string("-//zielwerk//zielwerk ") + kVersion + "//DE";
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(product.c_str()));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  for (const auto& entry : schedule.meetings) {
    const auto& m = entry.meeting;
    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    const std::string uid = m.id() + "@" + project.rules.agreement.id + ".zielwerk";
    const std::string summary = entry.workflow->title + " – Berichtsmonat " + m.reviews.to_string();
    std::string description =
        "Teilnehmende: " + join(entry.workflow->participants, ", ") +
        "\nZiele: " + join(engine::scope_goal_ids(*entry.workflow, project.rules), ", ");
    if (!m.holiday.empty()) description += "\n" + note(m);
    icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(ical_utc(stamp)));
    icalcomponent_add_property(event, icalproperty_new_dtstart(ical_utc(m.starts_at)));
    icalcomponent_add_property(event,
                               icalproperty_new_dtend(ical_utc(m.starts_at + kMeetingLength)));
    icalcomponent_add_property(event, icalproperty_new_summary(summary.c_str()));
    icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
    icalcomponent_add_property(event, icalproperty_new_status(m.skipped() ? ICAL_STATUS_CANCELLED
                                                                          : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_component(calendar.get(), event);
  }
  std::unique_ptr<char, decltype(&std::free)> text(icalcomponent_as_ical_string_r(calendar.get()),
                                                   &std::free);
  out << text.get();
}

}  // namespace zielwerk::cli
