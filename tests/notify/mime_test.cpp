#include "zielwerk/notify/mime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "notify/parse_mail.h"
#include "test_support.h"

namespace zielwerk::notify {
namespace {

using testing::at;
using testing::contains;

// Decodes quoted-printable as a receiver does (soft breaks joined, CRLF to "\n").
std::string decode_qp(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && text.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (text[i] == '=') {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text[i] == '\r') {
      continue;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "a line without CRLF at " << start;
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

Message sample() {
  Message m;
  m.from = {"zielwerk Jobcenter Märkisch-Oderland", "zielwerk@jobcenter.example"};
  m.to = {{"Jana Groß", "jana.gross@jobcenter.example"}, {"", "team@agentur.example"}};
  m.subject =
      "Ihre Maßnahmen – Zielvereinbarung 2025 Jobcenter Märkisch-Oderland (SGB II) mit "
      "überlangem Betreff, der gefaltet werden muss";
  m.message_id = "outbox-7.me-aktiv-2025@zielwerk";
  m.date = at("2025-07-01T06:00:00Z");
  m.text =
      "Guten Tag Jana Groß,\n\nÜberfällig: Nr. 3 = wichtig \nZeile mit Leerzeichen am Ende \n" +
      std::string(200, 'x') + "\n.\nEnde";
  m.html = "<!DOCTYPE html>\n<html lang=\"de\"><body><p>Größe</p></body></html>\n";
  m.calendar = CalendarPart{"REQUEST", "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"};
  m.attachments.push_back({"Tagesordnung.html", "text/html; charset=UTF-8", "<p>Agenda</p>"});
  m.attachments.push_back({"Übersicht.html", "text/html; charset=UTF-8", "<p>Ü</p>"});
  return m;
}

TEST(Mime, HeadersAreAsciiAndFoldedWithinLineLimits) {
  const std::string message = render_message(sample());
  const std::string headers = message.substr(0, message.find("\r\n\r\n"));
  for (const char c : message) {
    EXPECT_LT(static_cast<unsigned char>(c), 0x80) << "8-bit byte in a 7-bit message";
  }
  for (const auto& line : crlf_lines(message))
    EXPECT_LE(line.size(), 78U) << line;
  EXPECT_TRUE(contains(headers, "Subject: =?UTF-8?B?"));
  EXPECT_TRUE(contains(headers, "Message-ID: <outbox-7.me-aktiv-2025@zielwerk>"));
  EXPECT_TRUE(contains(headers, "Date: Tue, 01 Jul 2025 06:00:00 +0000"));
  EXPECT_TRUE(contains(headers, "MIME-Version: 1.0"));
  EXPECT_TRUE(contains(headers, "Auto-Submitted: auto-generated"));
}

TEST(Mime, AnIndependentParserReadsEveryPartBack) {
  const auto m = sample();
  const auto parsed = parse_with_python(render_message(m));
  EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
  EXPECT_EQ(parsed["subject"], m.subject);
  EXPECT_EQ(parsed["from"], "zielwerk Jobcenter Märkisch-Oderland <zielwerk@jobcenter.example>");
  EXPECT_EQ(parsed["to_addresses"],
            nlohmann::json::array({"jana.gross@jobcenter.example", "team@agentur.example"}));
  EXPECT_EQ(parsed["to"][0], "Jana Groß <jana.gross@jobcenter.example>");
  EXPECT_EQ(parsed["message_id"], "<outbox-7.me-aktiv-2025@zielwerk>");
  const auto& parts = parsed["parts"];
  ASSERT_EQ(parts.size(), 7U) << parts.dump();
  EXPECT_EQ(parts[0]["multipart"], "multipart/mixed");
  EXPECT_EQ(parts[1]["multipart"], "multipart/alternative");
  EXPECT_EQ(parts[2]["type"], "text/plain");
  EXPECT_EQ(parts[2]["text"], m.text + "\n");
  EXPECT_EQ(parts[3]["type"], "text/html");
  EXPECT_EQ(parts[3]["text"], m.html);
  EXPECT_EQ(parts[4]["type"], "text/calendar");
  EXPECT_EQ(parts[4]["params"]["method"], "REQUEST");
  EXPECT_TRUE(contains(parts[4]["text"].get<std::string>(), "METHOD:REQUEST"));
  EXPECT_EQ(parts[5]["filename"], "Tagesordnung.html");
  EXPECT_EQ(parts[5]["disposition"], "attachment");
  EXPECT_EQ(parts[5]["text"], "<p>Agenda</p>");
  EXPECT_EQ(parts[6]["filename"], "Übersicht.html");
}

TEST(Mime, PlainTextAloneIsOnePart) {
  Message m;
  m.from = {"", "a@b.example"};
  m.to = {{"", "c@d.example"}};
  m.subject = "Plain ASCII subject";
  m.message_id = "outbox-1.x@zielwerk";
  m.text = "Hallo";
  const std::string message = render_message(m);
  EXPECT_TRUE(contains(message, "Subject: Plain ASCII subject\r\n"));
  EXPECT_TRUE(contains(message, "Content-Type: text/plain; charset=UTF-8\r\n"));
  EXPECT_FALSE(contains(message, "multipart"));
  const auto parsed = parse_with_python(message);
  EXPECT_TRUE(parsed["defects"].empty());
  EXPECT_EQ(parsed["parts"][0]["text"], "Hallo\n");
}

TEST(Mime, TheSameMessageRendersToTheSameBytes) {
  EXPECT_EQ(render_message(sample()), render_message(sample()));
  auto other = sample();
  other.message_id = "outbox-8.me-aktiv-2025@zielwerk";
  EXPECT_NE(render_message(sample()), render_message(other));
}

TEST(Mime, QuotedPrintableKeepsLinesShortAndTrailingSpaceVisible) {
  const std::string text = "ä = b \n" + std::string(100, 'y') + "äää\n\tTab\t";
  const std::string encoded = quoted_printable(text);
  for (const auto& line : crlf_lines(encoded))
    EXPECT_LE(line.size(), 76U) << line;
  EXPECT_TRUE(contains(encoded, "=C3=A4 =3D b=20\r\n"));
  EXPECT_TRUE(encoded.ends_with("\tTab=09\r\n"));
  EXPECT_EQ(decode_qp(encoded), text + "\n");
  // An escape is never split by a soft break.
  const std::string umlauts = quoted_printable(std::string(60, 'a') + "üüüüüüüü");
  for (const auto& line : crlf_lines(umlauts)) {
    const auto eq = line.rfind('=');
    if (eq != std::string::npos) {
      EXPECT_TRUE(eq + 3 <= line.size() || eq + 1 == line.size()) << line;
    }
  }
  EXPECT_EQ(decode_qp(umlauts), std::string(60, 'a') + "üüüüüüüü\n");
}

TEST(Mime, Base64IsWrappedAt76) {
  EXPECT_EQ(base64_lines("Man"), "TWFu\r\n");
  EXPECT_EQ(base64_lines("Ma"), "TWE=\r\n");
  EXPECT_EQ(base64_lines("M"), "TQ==\r\n");
  EXPECT_EQ(base64_lines(""), "");
  const auto lines = crlf_lines(base64_lines(std::string(100, 'z')));
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].size(), 76U);
}

TEST(Mime, EncodedWordsNeverSplitACharacter) {
  const std::string value = std::string(38, 'a') + "€€€";
  const std::string encoded = encode_header("Subject", value);
  EXPECT_TRUE(contains(encoded, "\r\n =?UTF-8?B?"));
  const auto parsed = [&] {
    Message m;
    m.from = {"", "a@b.example"};
    m.to = {{"", "c@d.example"}};
    m.subject = value;
    m.message_id = "outbox-2.x@zielwerk";
    m.text = "x";
    return parse_with_python(render_message(m));
  }();
  EXPECT_EQ(parsed["subject"], value);
  EXPECT_TRUE(parsed["defects"].empty());
}

TEST(Mime, MailboxNamesAreQuotedOrEncoded) {
  EXPECT_EQ(format_mailbox({"", "a@b.example"}), "<a@b.example>");
  EXPECT_EQ(format_mailbox({"Jana Gross", "a@b.example"}), "Jana Gross <a@b.example>");
  EXPECT_EQ(format_mailbox({"Gross, Jana \"JG\"", "a@b.example"}),
            "\"Gross, Jana \\\"JG\\\"\" <a@b.example>");
  EXPECT_TRUE(format_mailbox({"Groß", "a@b.example"}).starts_with("=?UTF-8?B?"));
}

TEST(Mime, MessageIdsNameEntryAndAgreement) {
  EXPECT_EQ(make_message_id(42, "me-aktiv-2025"), "outbox-42.me-aktiv-2025@zielwerk");
  EXPECT_EQ(make_message_id(1, "a b<c>"), "outbox-1.a-b-c-@zielwerk");
}

}  // namespace
}  // namespace zielwerk::notify
