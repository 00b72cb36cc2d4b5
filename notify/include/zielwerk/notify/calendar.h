// Review meetings as iCalendar (RFC 5545 written by libical; RFC 5546 for
// invitations): the one writer of calendars, for `schedule --format ics`
// (METHOD:PUBLISH) and for the invitations and cancellations notify sends
// (METHOD:REQUEST, METHOD:CANCEL).
//
// An event's UID names the meeting and the agreement, so a calendar program
// that imported it once updates it in place; SEQUENCE counts the changes of
// the meeting (a moved meeting is sent again with a higher one, RFC 5546
// 2.1.4), and a cancellation carries the UID and a SEQUENCE above the last
// request's.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/notify/mime.h"

namespace zielwerk::notify {

// Meetings last an hour in calendars: workflow files do not give a length yet.
inline constexpr std::chrono::minutes kMeetingLength{60};

enum class CalendarMethod { publish, request, cancel };

// "PUBLISH", "REQUEST", "CANCEL".
std::string to_string(CalendarMethod method);

struct CalendarEvent {
  std::string uid;  // calendar_uid()
  int sequence = 0;
  Timestamp starts_at{};
  Timestamp ends_at{};
  std::string summary;      // UTF-8
  std::string description;  // UTF-8, lines separated by "\n"
  bool cancelled = false;   // STATUS:CANCELLED instead of CONFIRMED
  // Invitations only: ORGANIZER and one ATTENDEE (role REQ-PARTICIPANT,
  // PARTSTAT NEEDS-ACTION, RSVP FALSE) per mailbox.
  std::optional<Mailbox> organizer;
  std::vector<Mailbox> attendees;
};

// "<meeting id>@<agreement id>.zielwerk", the UID both `schedule` and the
// invitations give a meeting.
std::string calendar_uid(const std::string& meeting_id, const std::string& agreement_id);

// One VCALENDAR with the events in order. `stamp` is the DTSTAMP (when it
// was written); `product_version` goes into PRODID. A cancel calendar's
// events get STATUS:CANCELLED whatever their `cancelled` says.
std::string write_calendar(CalendarMethod method, const std::vector<CalendarEvent>& events,
                           Timestamp stamp, const std::string& product_version);

}  // namespace zielwerk::notify
