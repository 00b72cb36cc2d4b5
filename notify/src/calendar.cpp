#include "zielwerk/notify/calendar.h"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>

namespace zielwerk::notify {
namespace {

icaltimetype ical_utc(Timestamp time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
  return icaltime_from_timet_with_zone(static_cast<time_t>(seconds), 0,
                                       icaltimezone_get_utc_timezone());
}

icalproperty_method ical_method(CalendarMethod method) {
  switch (method) {
    case CalendarMethod::publish:
      return ICAL_METHOD_PUBLISH;
    case CalendarMethod::request:
      return ICAL_METHOD_REQUEST;
    case CalendarMethod::cancel:
      return ICAL_METHOD_CANCEL;
  }
  return ICAL_METHOD_PUBLISH;
}

// A mailbox as a CAL-ADDRESS with its name in CN.
icalproperty* with_name(icalproperty* property, const Mailbox& mailbox) {
  if (!mailbox.name.empty()) {
    icalproperty_add_parameter(property, icalparameter_new_cn(mailbox.name.c_str()));
  }
  return property;
}

}  // namespace

std::string to_string(CalendarMethod method) {
  switch (method) {
    case CalendarMethod::publish:
      return "PUBLISH";
    case CalendarMethod::request:
      return "REQUEST";
    case CalendarMethod::cancel:
      return "CANCEL";
  }
  return "PUBLISH";
}

std::string calendar_uid(const std::string& meeting_id, const std::string& agreement_id) {
  return meeting_id + "@" + agreement_id + ".zielwerk";
}

std::string write_calendar(CalendarMethod method, const std::vector<CalendarEvent>& events,
                           Timestamp stamp, const std::string& product_version) {
  using Component = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT), &icalcomponent_free);
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  const std::string product = "-//zielwerk//zielwerk " + product_version + "//DE";
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(product.c_str()));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ical_method(method)));
  for (const auto& e : events) {
    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(event, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_sequence(e.sequence));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(ical_utc(stamp)));
    icalcomponent_add_property(event, icalproperty_new_dtstart(ical_utc(e.starts_at)));
    icalcomponent_add_property(event, icalproperty_new_dtend(ical_utc(e.ends_at)));
    icalcomponent_add_property(event, icalproperty_new_summary(e.summary.c_str()));
    if (!e.description.empty()) {
      icalcomponent_add_property(event, icalproperty_new_description(e.description.c_str()));
    }
    const bool cancelled = e.cancelled || method == CalendarMethod::cancel;
    icalcomponent_add_property(
        event, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    if (e.organizer) {
      const std::string address = "mailto:" + e.organizer->address;
      icalcomponent_add_property(
          event, with_name(icalproperty_new_organizer(address.c_str()), *e.organizer));
    }
    for (const auto& attendee : e.attendees) {
      const std::string address = "mailto:" + attendee.address;
      icalproperty* property = with_name(icalproperty_new_attendee(address.c_str()), attendee);
      icalproperty_add_parameter(property, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
      icalproperty_add_parameter(property, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
      icalproperty_add_parameter(property, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
      icalcomponent_add_property(event, property);
    }
    icalcomponent_add_component(calendar.get(), event);
  }
  std::unique_ptr<char, decltype(&std::free)> text(icalcomponent_as_ical_string_r(calendar.get()),
                                                   &std::free);
  return text.get();
}

}  // namespace zielwerk::notify
