// The messages zielwerk sends, composed from typed data: what the report
// module builds (report/document.h) and the words of the locale catalogue.
// Each is plain text plus an HTML alternative with the same content; the
// invitation adds the agenda as an HTML file and a METHOD:REQUEST calendar,
// a cancellation a METHOD:CANCEL one. Pure: no database, no clock (every
// time is an argument), so `notify preview` shows exactly what is sent.
//
// German is the default language of every message; subjects name the
// agreement so a reader with several agreements can tell them apart.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/notify/calendar.h"
#include "zielwerk/notify/mime.h"
#include "zielwerk/report/document.h"

namespace zielwerk::notify {

// A message before it has an envelope: what the outbox stores is enough to
// compose it again, so this is what `notify preview` renders.
struct Mail {
  std::vector<Mailbox> to;
  std::string subject;
  std::string text;
  std::string html;
  std::optional<CalendarPart> calendar;
  std::vector<Attachment> attachments;
};

// The message with its envelope fields (notify/mime.h renders it).
Message to_message(const Mail& mail, const Mailbox& from, const std::string& message_id,
                   Timestamp date);

// To one assignee: their open measures that are overdue on `today` and those
// due from `today` to `due_until` (inclusive), each list by due date.
struct DigestRequest {
  std::string agreement_title;
  Mailbox recipient;
  std::chrono::year_month_day today{};
  std::chrono::year_month_day due_until{};
  std::vector<report::MeasureLine> overdue;
  std::vector<report::MeasureLine> due_soon;
};
Mail compose_digest(const DigestRequest& request, locale::Language language);

// To the owners of a goal that is missed or below its Soll while no measure
// is open for it: the goal's row as of `period` and what they are asked to do.
struct GoalAlertRequest {
  std::string agreement_title;
  std::vector<Mailbox> recipients;
  report::GoalRow goal;
  YearMonth period;
};
Mail compose_goal_alert(const GoalAlertRequest& request, locale::Language language);

// A review meeting as its participants' calendars see it.
struct MeetingFacts {
  std::string meeting_id;  // "<workflow>/<reviewed month>", the review's id
  std::string agreement_id;
  std::string agreement_title;
  std::string workflow_title;
  YearMonth reviews;
  Timestamp starts_at{};
  std::string time_zone;  // for showing the local time
  Mailbox organizer;      // the from address
  std::vector<Mailbox> participants;
  int sequence = 0;  // 0 for the first invitation; each move adds one
};

// The invitation (sequence 0) or its update after a move (sequence > 0):
// date and local time, the agenda when the review is prepared already
// (attached as HTML, its status table inline), and the METHOD:REQUEST event.
Mail compose_invitation(const MeetingFacts& meeting, const std::optional<report::Document>& agenda,
                        Timestamp stamp, const std::string& product_version,
                        locale::Language language);

// The meeting does not take place: a METHOD:CANCEL event with the meeting's
// UID and `meeting.sequence` (which must exceed the last request's).
Mail compose_cancellation(const MeetingFacts& meeting, Timestamp stamp,
                          const std::string& product_version, locale::Language language);

// After `review close`: the minutes as plain text (the Markdown rendering)
// and HTML (the HTML rendering, self-contained), attached as HTML too.
Mail compose_minutes(const report::Document& minutes, const std::vector<Mailbox>& recipients,
                     locale::Language language);

}  // namespace zielwerk::notify
