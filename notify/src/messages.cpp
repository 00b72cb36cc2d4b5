#include "zielwerk/notify/messages.h"

#include <algorithm>

#include "zielwerk/common/text.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/report/html_parts.h"
#include "zielwerk/report/render.h"

namespace zielwerk::notify {
namespace {

using locale::Language;
using locale::Phrase;

std::string words(Phrase p, Language language) {
  return std::string(locale::phrase(p, language));
}

std::string greeting(const std::string& name, Language language) {
  return words(Phrase::mail_greeting, language) + (name.empty() ? "" : " " + name) + ",";
}

std::string html_page(const std::string& title, const std::string& body, Language language) {
  return "<!DOCTYPE html>\n<html lang=\"" + locale::to_string(language) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + report::html_escape(title) +
         "</title>\n<style>\n" + report::document_css() + "</style>\n</head>\n<body>\n" + body +
         "</body>\n</html>\n";
}

std::string paragraph(const std::string& text) {
  return "<p>" + report::html_escape(text) + "</p>\n";
}

// One measure as a line of plain text: "Nr. 3 Intensivberatung – Ziel
// iq-frauen, Fällig am 30.04.2025, Status vereinbart".
std::string measure_text(const report::MeasureLine& m, Language language) {
  std::string line = "- " + words(Phrase::col_number, language) + " " + std::to_string(m.id) + " " +
                     m.title + " – " + words(Phrase::col_goal, language) + " " + m.goal_id + ", " +
                     words(Phrase::col_due, language) + " " + locale::format_date(m.due, language) +
                     ", " + words(Phrase::col_status, language) + " " +
                     locale::status_word(m.status, language);
  if (!m.last_note.empty()) line += "\n  " + m.last_note;
  return line;
}

std::vector<report::MeasureLine> by_due(std::vector<report::MeasureLine> measures) {
  std::stable_sort(measures.begin(), measures.end(),
                   [](const auto& a, const auto& b) { return a.due < b.due; });
  return measures;
}

std::string footer_text(Language language) {
  return "\n-- \n" + words(Phrase::mail_why_sent, language) + "\n";
}

std::string footer_html(Language language) {
  return "<footer><p>" + report::html_escape(words(Phrase::mail_why_sent, language)) +
         "</p></footer>\n";
}

std::string subject_with(const std::string& agreement_title, const std::string& what) {
  return what + " – " + agreement_title;
}

std::string local_when(Timestamp time, const std::string& time_zone, Language language) {
  return locale::format_date_time(time, time_zone, language);
}

std::string meeting_title(const MeetingFacts& meeting, Language language) {
  return meeting.workflow_title + " – " + words(Phrase::reporting_month, language) + " " +
         locale::format_month(meeting.reviews, language);
}

CalendarEvent meeting_event(const MeetingFacts& meeting, Language language) {
  CalendarEvent event;
  event.uid = calendar_uid(meeting.meeting_id, meeting.agreement_id);
  event.sequence = meeting.sequence;
  event.starts_at = meeting.starts_at;
  event.ends_at = meeting.starts_at + kMeetingLength;
  event.summary = meeting_title(meeting, language);
  event.description = meeting.agreement_title;
  event.organizer = meeting.organizer;
  event.attendees = meeting.participants;
  return event;
}

// "Tagesordnung-me-aktiv-2025-steuerung-2025-06.html": ids only, so the name
// is ASCII and safe on every file system.
std::string file_name(const std::string& what, const std::string& agreement_id,
                      const std::string& review_id) {
  std::string name = what + "-" + agreement_id + "-" + review_id;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ' ') c = '-';
  }
  return name + ".html";
}

}  // namespace

Message to_message(const Mail& mail, const Mailbox& from, const std::string& message_id,
                   Timestamp date) {
  Message message;
  message.from = from;
  message.to = mail.to;
  message.subject = mail.subject;
  message.message_id = message_id;
  message.date = date;
  message.text = mail.text;
  message.html = mail.html;
  message.calendar = mail.calendar;
  message.attachments = mail.attachments;
  return message;
}

Mail compose_digest(const DigestRequest& request, Language language) {
  Mail mail;
  mail.to = {request.recipient};
  mail.subject =
      subject_with(request.agreement_title, words(Phrase::mail_digest_subject, language));
  const auto overdue = by_due(request.overdue);
  const auto due_soon = by_due(request.due_soon);
  const std::string overdue_heading = words(Phrase::mail_overdue, language) + " (" +
                                      locale::format_date(request.today, language) + ")";
  const std::string due_heading = words(Phrase::mail_due_until, language) + " " +
                                  locale::format_date(request.due_until, language);
  const std::string none = words(Phrase::no_open_measures, language);

  std::string text = greeting(request.recipient.name, language) + "\n\n" +
                     words(Phrase::mail_digest_intro, language) + "\n\n" + request.agreement_title +
                     "\n\n";
  auto section = [&](const std::string& heading, const std::vector<report::MeasureLine>& list) {
    text += heading + ":\n";
    if (list.empty()) text += none + "\n";
    for (const auto& m : list)
      text += measure_text(m, language) + "\n";
    text += "\n";
  };
  section(overdue_heading, overdue);
  section(due_heading, due_soon);
  text += footer_text(language);
  mail.text = text;

  std::string body = "<p>" + report::html_escape(greeting(request.recipient.name, language)) +
                     "</p>\n" + paragraph(words(Phrase::mail_digest_intro, language)) + "<h1>" +
                     report::html_escape(request.agreement_title) + "</h1>\n";
  body += "<h2>" + report::html_escape(overdue_heading) + "</h2>\n" +
          report::html_measures_table(overdue, language);
  body += "<h2>" + report::html_escape(due_heading) + "</h2>\n" +
          report::html_measures_table(due_soon, language);
  body += footer_html(language);
  mail.html = html_page(mail.subject, body, language);
  return mail;
}

Mail compose_goal_alert(const GoalAlertRequest& request, Language language) {
  Mail mail;
  mail.to = request.recipients;
  const auto& goal = request.goal;
  mail.subject = subject_with(request.agreement_title,
                              words(Phrase::mail_alert_subject, language) + ": " + goal.title);
  std::vector<std::string> facts;
  facts.push_back(words(Phrase::col_goal, language) + ": " + goal.title + " (" + goal.id + ")");
  facts.push_back(words(Phrase::reporting_month, language) + ": " +
                  locale::format_month(request.period, language));
  facts.push_back(words(Phrase::col_status, language) + ": " +
                  locale::status_label(goal.status, language));
  if (goal.actual) {
    facts.push_back(words(Phrase::col_actual, language) + ": " +
                    locale::format_quantity(*goal.actual, goal.unit, language, goal.edges));
  }
  if (goal.soll) {
    facts.push_back(words(Phrase::col_soll, language) + ": " +
                    locale::format_quantity(*goal.soll, goal.unit, language, goal.actual));
  }
  if (goal.target && goal.op) {
    facts.push_back(
        words(Phrase::col_target, language) + ": " +
        locale::format_target(*goal.op, *goal.target, goal.unit, language, goal.actual));
  }
  std::string text = greeting("", language) + "\n\n" + words(Phrase::mail_alert_text, language) +
                     "\n\n" + request.agreement_title + "\n";
  for (const auto& fact : facts)
    text += "- " + fact + "\n";
  mail.text = text + footer_text(language);

  std::string body = "<p>" + report::html_escape(greeting("", language)) + "</p>\n" +
                     paragraph(words(Phrase::mail_alert_text, language)) + "<h1>" +
                     report::html_escape(request.agreement_title) + "</h1>\n" +
                     report::html_status_table({goal}, language) + footer_html(language);
  mail.html = html_page(mail.subject, body, language);
  return mail;
}

Mail compose_invitation(const MeetingFacts& meeting, const std::optional<report::Document>& agenda,
                        Timestamp stamp, const std::string& product_version, Language language) {
  Mail mail;
  mail.to = meeting.participants;
  const std::string what =
      words(meeting.sequence > 0 ? Phrase::mail_moved : Phrase::mail_invitation, language);
  const std::string title = meeting_title(meeting, language);
  mail.subject = subject_with(meeting.agreement_title, what + ": " + title);
  const std::string when = local_when(meeting.starts_at, meeting.time_zone, language);
  std::vector<std::string> names;
  for (const auto& p : meeting.participants)
    names.push_back(p.name.empty() ? p.address : p.name);

  std::string text = greeting("", language) + "\n\n" + what + ": " + title + "\n" +
                     words(Phrase::meeting, language) + ": " + when + "\n" +
                     words(Phrase::participants, language) + ": " + join(names, ", ") + "\n\n";
  std::string body =
      "<p>" + report::html_escape(greeting("", language)) + "</p>\n<h1>" +
      report::html_escape(what + ": " + title) + "</h1>\n<p>" +
      report::html_escape(words(Phrase::meeting, language) + ": " + when) + "<br>" +
      report::html_escape(words(Phrase::participants, language) + ": " + join(names, ", ")) +
      "</p>\n";
  if (agenda) {
    text += words(Phrase::mail_invitation_text, language) + "\n\n" +
            report::render_markdown(*agenda, language);
    body += paragraph(words(Phrase::mail_invitation_text, language)) +
            report::html_status_table(agenda->goals, language) +
            report::html_measures_table(agenda->measures, language);
    mail.attachments.push_back(
        {file_name(words(Phrase::agenda, language), meeting.agreement_id, meeting.meeting_id),
         "text/html; charset=UTF-8", report::render_html(*agenda, language)});
  }
  mail.text = text + footer_text(language);
  mail.html = html_page(mail.subject, body + footer_html(language), language);
  mail.calendar =
      CalendarPart{to_string(CalendarMethod::request),
                   write_calendar(CalendarMethod::request, {meeting_event(meeting, language)},
                                  stamp, product_version)};
  return mail;
}

Mail compose_cancellation(const MeetingFacts& meeting, Timestamp stamp,
                          const std::string& product_version, Language language) {
  Mail mail;
  mail.to = meeting.participants;
  const std::string title = meeting_title(meeting, language);
  mail.subject =
      subject_with(meeting.agreement_title, words(Phrase::mail_cancelled, language) + ": " + title);
  const std::string when = local_when(meeting.starts_at, meeting.time_zone, language);
  mail.text = greeting("", language) + "\n\n" + words(Phrase::mail_cancelled_text, language) +
              "\n" + title + "\n" + words(Phrase::meeting, language) + ": " + when + "\n" +
              footer_text(language);
  mail.html = html_page(mail.subject,
                        "<p>" + report::html_escape(greeting("", language)) + "</p>\n" +
                            paragraph(words(Phrase::mail_cancelled_text, language)) + "<h1>" +
                            report::html_escape(title) + "</h1>\n" +
                            paragraph(words(Phrase::meeting, language) + ": " + when) +
                            footer_html(language),
                        language);
  auto event = meeting_event(meeting, language);
  event.cancelled = true;
  mail.calendar =
      CalendarPart{to_string(CalendarMethod::cancel),
                   write_calendar(CalendarMethod::cancel, {event}, stamp, product_version)};
  return mail;
}

Mail compose_minutes(const report::Document& minutes, const std::vector<Mailbox>& recipients,
                     Language language) {
  Mail mail;
  mail.to = recipients;
  const std::string title = report::document_title(minutes, language);
  mail.subject = subject_with(minutes.agreement_title, title);
  mail.text = greeting("", language) + "\n\n" + words(Phrase::mail_minutes_text, language) +
              "\n\n" + report::render_markdown(minutes, language) + footer_text(language);
  const std::string html = report::render_html(minutes, language);
  mail.html = html;
  mail.attachments.push_back(
      {file_name(words(Phrase::minutes, language), minutes.agreement_id, minutes.review_id),
       "text/html; charset=UTF-8", html});
  return mail;
}

}  // namespace zielwerk::notify
