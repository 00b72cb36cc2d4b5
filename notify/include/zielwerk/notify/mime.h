// Internet messages as bytes an SMTP server accepts (RFC 5322 with MIME,
// RFC 2045–2049): header fields in ASCII with non-ASCII words encoded
// (RFC 2047, UTF-8, base64), bodies in quoted-printable or base64 so that no
// line exceeds 76 characters and every line ends in CRLF.
//
// A message is multipart/mixed around a multipart/alternative of the plain
// text, the HTML and, for an invitation, the text/calendar part (where mail
// programs look for it), followed by attachments. Boundaries are derived from
// the Message-ID and contain "=_", which neither quoted-printable nor base64
// can produce, so they never occur inside a part: the same message renders to
// the same bytes every time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/timestamp.h"

namespace zielwerk::notify {

struct Mailbox {
  std::string name;     // may be empty; any UTF-8
  std::string address;  // local@domain, ASCII
};

// A file attached to a message (base64).
struct Attachment {
  std::string file_name;     // UTF-8; encoded per RFC 2231 when not ASCII
  std::string content_type;  // e.g. "text/html; charset=UTF-8"
  std::string content;
};

// The iCalendar part of an invitation or a cancellation (notify/calendar.h).
struct CalendarPart {
  std::string method;  // "REQUEST" or "CANCEL", as in the calendar's METHOD
  std::string text;    // the VCALENDAR
};

struct Message {
  Mailbox from;
  std::vector<Mailbox> to;
  std::string subject;     // UTF-8
  std::string message_id;  // without angle brackets: "outbox-7.agreement@zielwerk"
  Timestamp date{};
  std::string text;  // UTF-8, lines separated by "\n"
  std::string html;  // a whole HTML document; empty: plain text only
  std::optional<CalendarPart> calendar;
  std::vector<Attachment> attachments;
};

// The whole message, CRLF line ends, ready for SMTP DATA (no dot-stuffing;
// that is the transport's job).
std::string render_message(const Message& message);

// A header value, folded and RFC 2047-encoded where it holds non-ASCII:
// `name` is the field's name, so the first line stays within 78 characters.
std::string encode_header(std::string_view name, std::string_view value);

// "Name <address>", the name quoted or encoded as needed.
std::string format_mailbox(const Mailbox& mailbox);

// RFC 5322 date-time in UTC: "Fri, 04 Dec 2026 19:19:50 +0000".
std::string format_mail_date(Timestamp time);

// Quoted-printable (RFC 2045 6.7) of UTF-8 text whose lines end in "\n" or
// "\r\n": hard line breaks become CRLF, lines are soft-broken at 76.
std::string quoted_printable(std::string_view text);

// Base64 in lines of 76 characters, each ending in CRLF.
std::string base64_lines(std::string_view data);

// A Message-ID that names the outbox entry and the agreement, stable for the
// entry: "outbox-<entry>.<agreement>@zielwerk". Characters outside RFC 5322's
// atext in `agreement_id` are replaced by '-'.
std::string make_message_id(long long outbox_entry, std::string_view agreement_id);

}  // namespace zielwerk::notify
