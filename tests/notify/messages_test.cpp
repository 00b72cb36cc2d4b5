#include "zielwerk/notify/messages.h"

#include <gtest/gtest.h>

#include "notify/parse_mail.h"
#include "test_support.h"

namespace zielwerk::notify {
namespace {

using namespace std::chrono;
using locale::Language;
using testing::at;
using testing::contains;
using testing::count;

report::MeasureLine measure(std::int64_t id, const char* title, year_month_day due, bool overdue) {
  report::MeasureLine m;
  m.id = id;
  m.goal_id = "iq-frauen";
  m.title = title;
  m.owner_party = "jc";
  m.owner_party_name = "Jobcenter ME-aktiv";
  m.assignee = "jana";
  m.agreed_in = "znd/2025-06";
  m.due = due;
  m.status = overdue ? domain::MeasureStatus::agreed : domain::MeasureStatus::in_progress;
  m.overdue = overdue;
  return m;
}

report::GoalRow goal_row() {
  report::GoalRow goal;
  goal.id = "iq-frauen";
  goal.title = "Integrationsquote Frauen";
  goal.section = "I";
  goal.status = rules::GoalStatus::missed;
  goal.unit = rules::Unit::percent;
  goal.actual = 14.2;
  goal.target = 15.5;
  goal.op = rules::Comparison::at_least;
  goal.soll = 15.1;
  return goal;
}

report::Document agenda_document(report::DocumentKind kind) {
  report::Document d;
  d.kind = kind;
  d.agreement_id = "me-aktiv-2025";
  d.agreement_title = "Zielvereinbarung 2025 Jobcenter ME-aktiv";
  d.agreement_year = 2025;
  d.review_id = "znd/2025-06";
  d.workflow_id = "znd";
  d.workflow_title = "Zielnachhaltedialog";
  d.meeting_date = 2025y / July / 8d;
  d.meeting_starts_at = at("2025-07-08T08:00:00Z");
  d.time_zone = "Europe/Berlin";
  d.period = YearMonth(2025, 6);
  d.as_of = 2025y / July / 8d;
  d.goals = {goal_row()};
  d.measures = {measure(3, "Intensivberatung Alleinerziehende", 2025y / June / 30d, true)};
  if (kind == report::DocumentKind::minutes) {
    d.minutes = report::Minutes{};
    d.minutes->attendance = {"jana", "ba"};
    d.minutes->decisions = {"Maßnahme 3 wird bis August verlängert."};
    d.minutes->closed_at = at("2025-07-08T10:00:00Z");
    d.minutes->closed_by = "jana";
  }
  return d;
}

MeetingFacts meeting(int sequence) {
  MeetingFacts m;
  m.meeting_id = "znd/2025-06";
  m.agreement_id = "me-aktiv-2025";
  m.agreement_title = "Zielvereinbarung 2025 Jobcenter ME-aktiv";
  m.workflow_title = "Zielnachhaltedialog";
  m.reviews = YearMonth(2025, 6);
  m.starts_at = at("2025-07-08T08:00:00Z");
  m.time_zone = "Europe/Berlin";
  m.organizer = {"zielwerk", "zielwerk@jobcenter.example"};
  m.participants = {{"Jana Groß", "jana@jobcenter.example"}, {"Amir Demir", "amir@ba.example"}};
  m.sequence = sequence;
  return m;
}

TEST(Messages, TheDigestListsOverdueAndDueMeasuresInGerman) {
  DigestRequest request;
  request.agreement_title = "Zielvereinbarung 2025 Jobcenter ME-aktiv";
  request.recipient = {"Jana Groß", "jana@jobcenter.example"};
  request.today = 2025y / July / 1d;
  request.due_until = 2025y / July / 15d;
  request.overdue = {measure(3, "Intensivberatung Alleinerziehende", 2025y / June / 30d, true)};
  request.due_soon = {measure(5, "Jobmesse", 2025y / July / 10d, false),
                      measure(4, "Coaching", 2025y / July / 2d, false)};
  const Mail mail = compose_digest(request, Language::de);
  ASSERT_EQ(mail.to.size(), 1U);
  EXPECT_EQ(mail.to[0].address, "jana@jobcenter.example");
  EXPECT_EQ(mail.subject, "Ihre Maßnahmen – Zielvereinbarung 2025 Jobcenter ME-aktiv");
  EXPECT_TRUE(contains(mail.text, "Guten Tag Jana Groß,"));
  EXPECT_TRUE(contains(mail.text, "Überfällig (1. Juli 2025):\n- Nr. 3 Intensivberatung"));
  EXPECT_TRUE(contains(mail.text, "Fällig am 30. Juni 2025"));
  EXPECT_TRUE(contains(mail.text, "Fällig bis einschließlich 15. Juli 2025:"));
  // Due soon, by due date: 4 (2 July) before 5 (10 July).
  EXPECT_LT(mail.text.find("Nr. 4 Coaching"), mail.text.find("Nr. 5 Jobmesse"));
  EXPECT_TRUE(contains(mail.text, "opt_out"));
  EXPECT_TRUE(mail.html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(contains(mail.html, "<html lang=\"de\">"));
  EXPECT_TRUE(contains(mail.html, "Intensivberatung Alleinerziehende"));
  EXPECT_FALSE(mail.calendar.has_value());
}

TEST(Messages, AnEmptyListSaysSo) {
  DigestRequest request;
  request.agreement_title = "ZV";
  request.recipient = {"", "jana@jobcenter.example"};
  request.today = 2025y / July / 1d;
  request.due_until = 2025y / July / 15d;
  request.due_soon = {measure(4, "Coaching", 2025y / July / 2d, false)};
  const Mail mail = compose_digest(request, Language::de);
  EXPECT_TRUE(contains(mail.text, "Guten Tag,"));
  EXPECT_TRUE(contains(mail.text, "Überfällig (1. Juli 2025):\nKeine offenen Maßnahmen."));
}

TEST(Messages, HtmlEscapesWhatComesFromData) {
  DigestRequest request;
  request.agreement_title = "ZV <script>";
  request.recipient = {"<b>Jana</b>", "jana@jobcenter.example"};
  request.today = 2025y / July / 1d;
  request.due_until = 2025y / July / 15d;
  request.due_soon = {measure(4, "<img src=x>", 2025y / July / 2d, false)};
  const Mail mail = compose_digest(request, Language::de);
  EXPECT_FALSE(contains(mail.html, "<script>"));
  EXPECT_FALSE(contains(mail.html, "<img"));
  EXPECT_FALSE(contains(mail.html, "<b>Jana"));
}

TEST(Messages, TheAlertNamesTheGoalAndItsFigures) {
  GoalAlertRequest request;
  request.agreement_title = "Zielvereinbarung 2025 Jobcenter ME-aktiv";
  request.recipients = {{"Jana Groß", "jana@jobcenter.example"}};
  request.goal = goal_row();
  request.period = YearMonth(2025, 6);
  const Mail mail = compose_goal_alert(request, Language::de);
  EXPECT_EQ(mail.subject,
            "Ziel ohne offene Maßnahme: Integrationsquote Frauen – Zielvereinbarung 2025 "
            "Jobcenter ME-aktiv");
  EXPECT_TRUE(contains(mail.text, "Ziel: Integrationsquote Frauen (iq-frauen)"));
  EXPECT_TRUE(contains(mail.text, "Berichtsmonat: Juni 2025"));
  EXPECT_TRUE(contains(mail.text, "verfehlt"));
  EXPECT_TRUE(contains(mail.text, "Ist: 14,2 %"));
  EXPECT_TRUE(contains(mail.text, "keine Maßnahme offen"));
  EXPECT_TRUE(contains(mail.html, "data-goal=\"iq-frauen\""));
}

TEST(Messages, TheInvitationCarriesAgendaAndRequest) {
  const auto agenda = agenda_document(report::DocumentKind::agenda);
  const Mail mail =
      compose_invitation(meeting(0), agenda, at("2025-07-01T06:00:00Z"), "0.1.0", Language::de);
  EXPECT_EQ(mail.to.size(), 2U);
  EXPECT_EQ(mail.subject,
            "Einladung: Zielnachhaltedialog – Berichtsmonat Juni 2025 – Zielvereinbarung 2025 "
            "Jobcenter ME-aktiv");
  EXPECT_TRUE(contains(mail.text, "Sitzung: 8. Juli 2025, 10:00 Uhr"));
  EXPECT_TRUE(contains(mail.text, "Beteiligte: Jana Groß, Amir Demir"));
  EXPECT_TRUE(contains(mail.text, "Tagesordnung"));
  ASSERT_TRUE(mail.calendar.has_value());
  EXPECT_EQ(mail.calendar->method, "REQUEST");
  EXPECT_TRUE(contains(mail.calendar->text, "METHOD:REQUEST"));
  EXPECT_TRUE(contains(mail.calendar->text, "UID:znd/2025-06@me-aktiv-2025.zielwerk"));
  EXPECT_TRUE(contains(mail.calendar->text, "SEQUENCE:0"));
  EXPECT_EQ(count(mail.calendar->text, "ATTENDEE;"), 2U);
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].file_name, "Tagesordnung-me-aktiv-2025-znd-2025-06.html");
  EXPECT_TRUE(mail.attachments[0].content.starts_with("<!DOCTYPE html>"));
}

TEST(Messages, AMovedMeetingIsAnUpdateWithAHigherSequence) {
  auto moved = meeting(1);
  moved.starts_at = at("2025-07-09T08:00:00Z");
  const Mail mail =
      compose_invitation(moved, std::nullopt, at("2025-07-02T06:00:00Z"), "0.1.0", Language::de);
  EXPECT_TRUE(mail.subject.starts_with("Termin verschoben: "));
  EXPECT_TRUE(contains(mail.text, "9. Juli 2025, 10:00 Uhr"));
  EXPECT_TRUE(mail.attachments.empty());
  EXPECT_TRUE(contains(mail.calendar->text, "SEQUENCE:1"));
  EXPECT_TRUE(contains(mail.calendar->text, "UID:znd/2025-06@me-aktiv-2025.zielwerk"));
}

TEST(Messages, ACancellationKeepsTheUid) {
  const Mail mail =
      compose_cancellation(meeting(2), at("2025-07-02T06:00:00Z"), "0.1.0", Language::de);
  EXPECT_TRUE(mail.subject.starts_with("Termin abgesagt: "));
  EXPECT_TRUE(contains(mail.text, "Dieser Termin findet nicht statt."));
  ASSERT_TRUE(mail.calendar.has_value());
  EXPECT_EQ(mail.calendar->method, "CANCEL");
  EXPECT_TRUE(contains(mail.calendar->text, "METHOD:CANCEL"));
  EXPECT_TRUE(contains(mail.calendar->text, "STATUS:CANCELLED"));
  EXPECT_TRUE(contains(mail.calendar->text, "SEQUENCE:2"));
  EXPECT_TRUE(contains(mail.calendar->text, "UID:znd/2025-06@me-aktiv-2025.zielwerk"));
}

TEST(Messages, TheMinutesAreTextHtmlAndAttachment) {
  const auto minutes = agenda_document(report::DocumentKind::minutes);
  const Mail mail = compose_minutes(minutes, meeting(0).participants, Language::de);
  EXPECT_TRUE(mail.subject.starts_with("Protokoll – Zielnachhaltedialog"));
  EXPECT_TRUE(contains(mail.text, "Maßnahme 3 wird bis August verlängert."));
  EXPECT_TRUE(contains(mail.html, "Maßnahme 3 wird bis August verlängert."));
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].file_name, "Protokoll-me-aktiv-2025-znd-2025-06.html");
  EXPECT_FALSE(mail.calendar.has_value());
}

TEST(Messages, AComposedMailBecomesAMessage) {
  const Mail mail =
      compose_cancellation(meeting(1), at("2025-07-02T06:00:00Z"), "0.1.0", Language::de);
  const Message message =
      to_message(mail, {"zielwerk", "zielwerk@jobcenter.example"},
                 make_message_id(9, "me-aktiv-2025"), at("2025-07-02T06:00:00Z"));
  const std::string bytes = render_message(message);
  EXPECT_TRUE(contains(bytes, "Message-ID: <outbox-9.me-aktiv-2025@zielwerk>\r\n"));
  EXPECT_TRUE(contains(bytes, "Content-Type: text/calendar; charset=UTF-8; method=CANCEL\r\n"));
  EXPECT_TRUE(contains(bytes, "multipart/alternative"));
}

TEST(Messages, ARenderedInvitationReadsBackWithItsCalendarAndAgenda) {
  const auto agenda = agenda_document(report::DocumentKind::agenda);
  const Mail mail =
      compose_invitation(meeting(0), agenda, at("2025-07-01T06:00:00Z"), "0.1.0", Language::de);
  const auto parsed = parse_with_python(
      render_message(to_message(mail, {"zielwerk", "zielwerk@jobcenter.example"},
                                make_message_id(3, "me-aktiv-2025"), at("2025-07-01T06:00:00Z"))));
  EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
  EXPECT_EQ(parsed["subject"], mail.subject);
  EXPECT_EQ(parsed["to_addresses"],
            nlohmann::json::array({"jana@jobcenter.example", "amir@ba.example"}));
  const auto& parts = parsed["parts"];
  ASSERT_EQ(parts.size(), 6U) << parts.dump();
  EXPECT_EQ(parts[0]["multipart"], "multipart/mixed");
  EXPECT_EQ(parts[1]["multipart"], "multipart/alternative");
  EXPECT_EQ(parts[2]["text"], mail.text);
  EXPECT_EQ(parts[3]["text"], mail.html);
  EXPECT_EQ(parts[4]["type"], "text/calendar");
  EXPECT_EQ(parts[4]["params"]["method"], "REQUEST");
  std::string ics = mail.calendar->text;
  for (std::size_t at = ics.find("\r\n"); at != std::string::npos; at = ics.find("\r\n", at)) {
    ics.replace(at, 2, "\n");
  }
  EXPECT_EQ(parts[4]["text"], ics);
  EXPECT_EQ(parts[5]["filename"], "Tagesordnung-me-aktiv-2025-znd-2025-06.html");
  EXPECT_TRUE(contains(parts[5]["text"].get<std::string>(), "Intensivberatung Alleinerziehende"));
}

}  // namespace
}  // namespace zielwerk::notify
