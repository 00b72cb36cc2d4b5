#include "zielwerk/notify/calendar.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace zielwerk::notify {
namespace {

using testing::at;
using testing::contains;
using testing::count;

CalendarEvent event() {
  CalendarEvent e;
  e.uid = calendar_uid("steuerung/2025-06", "me-aktiv-2025");
  e.sequence = 2;
  e.starts_at = at("2025-07-08T08:00:00Z");
  e.ends_at = e.starts_at + kMeetingLength;
  e.summary = "Steuerungsrunde – Berichtsmonat Juni 2025";
  e.description = "Zielvereinbarung 2025\nZweite Zeile";
  e.organizer = Mailbox{"zielwerk", "zielwerk@jobcenter.example"};
  e.attendees = {{"Jana Groß", "jana@jobcenter.example"}, {"", "team@agentur.example"}};
  return e;
}

// The calendar with its folded lines joined (RFC 5545 3.1), as a reader sees it.
std::string unfolded(std::string ics) {
  for (std::size_t at = ics.find("\r\n "); at != std::string::npos; at = ics.find("\r\n ", at)) {
    ics.erase(at, 3);
  }
  return ics;
}

TEST(Calendar, ARequestCarriesUidSequenceOrganizerAndAttendees) {
  const std::string folded =
      write_calendar(CalendarMethod::request, {event()}, at("2025-07-01T06:00:00Z"), "0.1.0");
  std::size_t start = 0;
  while (start < folded.size()) {
    const std::size_t end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75U) << "an iCalendar line over 75 octets";
    start = end + 2;
  }
  const std::string ics = unfolded(folded);
  EXPECT_TRUE(contains(ics, "METHOD:REQUEST\r\n"));
  EXPECT_TRUE(contains(ics, "UID:steuerung/2025-06@me-aktiv-2025.zielwerk\r\n"));
  EXPECT_TRUE(contains(ics, "SEQUENCE:2\r\n"));
  EXPECT_TRUE(contains(ics, "DTSTART:20250708T080000Z\r\n"));
  EXPECT_TRUE(contains(ics, "DTEND:20250708T090000Z\r\n"));
  EXPECT_TRUE(contains(ics, "DTSTAMP:20250701T060000Z\r\n"));
  EXPECT_TRUE(contains(ics, "STATUS:CONFIRMED\r\n"));
  EXPECT_TRUE(contains(ics, "ORGANIZER;CN=zielwerk:mailto:zielwerk@jobcenter.example\r\n"));
  EXPECT_EQ(count(ics, "ATTENDEE;"), 2U);
  EXPECT_TRUE(contains(ics, "mailto:team@agentur.example"));
  EXPECT_TRUE(contains(ics, "PARTSTAT=NEEDS-ACTION"));
  EXPECT_TRUE(contains(ics, "DESCRIPTION:Zielvereinbarung 2025\\nZweite Zeile\r\n"));
  EXPECT_TRUE(contains(ics, "PRODID:-//zielwerk//zielwerk 0.1.0//DE\r\n"));
}

TEST(Calendar, ACancellationIsCancelledWhateverTheEventSays) {
  const std::string ics =
      write_calendar(CalendarMethod::cancel, {event()}, at("2025-07-01T06:00:00Z"), "0.1.0");
  EXPECT_TRUE(contains(ics, "METHOD:CANCEL\r\n"));
  EXPECT_TRUE(contains(ics, "STATUS:CANCELLED\r\n"));
  EXPECT_FALSE(contains(ics, "STATUS:CONFIRMED"));
}

TEST(Calendar, APublishedScheduleHasNoAttendees) {
  auto e = event();
  e.organizer.reset();
  e.attendees.clear();
  e.cancelled = true;
  const std::string ics =
      write_calendar(CalendarMethod::publish, {e, event()}, at("2025-07-01T06:00:00Z"), "0.1.0");
  EXPECT_TRUE(contains(ics, "METHOD:PUBLISH\r\n"));
  EXPECT_EQ(count(ics, "BEGIN:VEVENT"), 2U);
  EXPECT_EQ(count(ics, "STATUS:CANCELLED"), 1U);
  EXPECT_EQ(to_string(CalendarMethod::publish), "PUBLISH");
  EXPECT_EQ(to_string(CalendarMethod::request), "REQUEST");
  EXPECT_EQ(to_string(CalendarMethod::cancel), "CANCEL");
}

}  // namespace
}  // namespace zielwerk::notify
