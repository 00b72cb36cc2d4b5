#include <string_view>

#include "zielwerk/report/html_parts.h"
#include "zielwerk/report/render.h"

namespace zielwerk::report {

// The documents speak through the catalogue and formats of locale/.
using namespace zielwerk::locale;
namespace {

// Escaped text with line breaks kept.
std::string text(std::string_view value) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const auto end = value.find('\n', start);
    out += html_escape(value.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    out += "<br>";
    start = end + 1;
  }
  return out;
}

std::string say(Phrase phrase_id, Language language) {
  return html_escape(phrase(phrase_id, language));
}

std::string section(std::string_view id, Phrase heading, Language language,
                    const std::string& body) {
  return "<section id=\"" + std::string(id) + "\">\n<h2>" + say(heading, language) + "</h2>\n" +
         body + "</section>\n";
}

std::string empty_sentence(Phrase phrase_id, Language language) {
  return "<p class=\"empty\">" + say(phrase_id, language) + "</p>\n";
}

std::string entries(const std::vector<std::string>& items, Language language) {
  if (items.empty()) return empty_sentence(Phrase::nothing_recorded, language);
  std::string out = "<ul class=\"entries\">\n";
  for (const std::string& item : items)
    out += "<li>" + text(item) + "</li>\n";
  return out + "</ul>\n";
}

std::string parties_text(const std::vector<PartyLine>& parties, Language language) {
  if (parties.empty()) return std::string(kNoValue);
  std::string out;
  for (const PartyLine& party : parties) {
    if (!out.empty()) out += "; ";
    out += html_escape(party.name.empty() ? party.id : party.name) + " (" +
           html_escape(carrier_name(party.carrier, language)) + ")";
  }
  return out;
}

std::string figures_known_at_text(const Document& document, Language language) {
  return document.figures_known_at
             ? format_date_time(*document.figures_known_at, document.time_zone, language)
             : std::string(phrase(Phrase::not_recorded, language));
}

std::string version_html(const std::string& version) {
  if (version.empty()) return std::string(kNoValue);
  return "<code title=\"" + html_escape(version) + "\">" + html_escape(version.substr(0, 12)) +
         "</code>";
}

std::string header(const Document& document, Language language) {
  auto item = [](const std::string& label, const std::string& value) {
    return "<dt>" + label + "</dt><dd>" + value + "</dd>\n";
  };
  std::string out = "<header>\n<h1>" + html_escape(document_title(document, language)) + "</h1>\n";
  out += "<dl class=\"meta\">\n";
  std::string agreement =
      html_escape(document.agreement_title) + " (" + html_escape(document.agreement_id) + ")";
  if (document.agreement_year != 0) agreement += ", " + std::to_string(document.agreement_year);
  out += item(say(Phrase::agreement, language), agreement);
  out += item(say(Phrase::parties, language), parties_text(document.parties, language));
  if (document.kind != DocumentKind::year) {
    std::string meeting = html_escape(document.workflow_title.empty() ? document.workflow_id
                                                                      : document.workflow_title);
    if (document.meeting_date) {
      meeting += " – <time>" + html_escape(format_date(*document.meeting_date, language));
      if (document.meeting_starts_at) {
        meeting += ", " + html_escape(format_time_of_day(*document.meeting_starts_at,
                                                         document.time_zone, language));
      }
      meeting += "</time>";
    } else if (document.meeting_starts_at) {
      meeting +=
          " – <time>" +
          html_escape(format_date_time(*document.meeting_starts_at, document.time_zone, language)) +
          "</time>";
    }
    out += item(say(Phrase::meeting, language), meeting);
    out += item(say(Phrase::review, language), html_escape(document.review_id));
    out += item(say(Phrase::participants, language), parties_text(document.participants, language));
  }
  out += item(say(Phrase::reporting_month, language),
              html_escape(format_month(document.period, language)));
  out += item(say(Phrase::figures_known_at, language),
              html_escape(figures_known_at_text(document, language)));
  if (document.as_of != std::chrono::year_month_day{}) {
    out +=
        item(say(Phrase::judged_on, language), html_escape(format_date(document.as_of, language)));
  }
  out += item(say(Phrase::rule_set, language), version_html(document.rule_set_version));
  out += "</dl>\n";
  if (document.late) out += "<p class=\"notice\">" + say(Phrase::late_note, language) + "</p>\n";
  return out + "</header>\n";
}

std::string charts_of(const Document& document, rules::GoalKind kind, Phrase empty,
                      Language language) {
  std::string out;
  for (const Chart& chart : document.charts) {
    if (chart.kind == kind) out += html_chart_figure(chart, language);
  }
  if (!out.empty()) return out;
  return empty_sentence(document.charts_withheld ? Phrase::charts_withheld : empty, language);
}

std::string goal_title(const Document& document, const std::string& goal_id) {
  for (const GoalRow& goal : document.goals) {
    if (goal.id == goal_id) return goal.title;
  }
  return goal_id;
}

std::string minutes_sections(const Document& document, const Minutes& minutes, Language language) {
  std::string out;
  out += section("assessment", Phrase::section_assessment, language,
                 entries(minutes.assessments, language));
  out += section("external-conditions", Phrase::section_external, language,
                 entries(minutes.external_conditions, language));
  out += section("decisions", Phrase::section_decisions, language,
                 entries(minutes.decisions, language));
  std::string no_measures;
  if (minutes.no_measures.empty()) {
    no_measures = empty_sentence(Phrase::nothing_recorded, language);
  } else {
    no_measures = "<ul class=\"entries\">\n";
    for (const Minutes::NoMeasure& decision : minutes.no_measures) {
      no_measures += "<li data-goal=\"" + html_escape(decision.goal_id) + "\"><strong>" +
                     text(goal_title(document, decision.goal_id)) + "</strong> (" +
                     html_escape(decision.goal_id) + "): " + text(decision.reason) + "</li>\n";
    }
    no_measures += "</ul>\n";
  }
  out += section("no-measure", Phrase::section_no_measure, language, no_measures);
  out += section("new-measures", Phrase::section_new_measures, language,
                 minutes.agreed_measures.empty()
                     ? empty_sentence(Phrase::no_new_measures, language)
                     : html_measures_table(minutes.agreed_measures, language));
  out += section("follow-ups", Phrase::section_follow_ups, language,
                 html_follow_ups_table(minutes.follow_ups, language));
  std::string closure;
  if (minutes.closed_at) {
    closure = "<dl class=\"meta\">\n<dt>" + say(Phrase::closed_at, language) + "</dt><dd>" +
              html_escape(format_date_time(*minutes.closed_at, document.time_zone, language)) +
              "</dd>\n<dt>" + say(Phrase::closed_by, language) + "</dt><dd>" +
              (minutes.closed_by.empty() ? std::string(kNoValue) : html_escape(minutes.closed_by)) +
              "</dd>\n</dl>\n";
  } else {
    closure = empty_sentence(Phrase::not_closed, language);
  }
  out += section("closure", Phrase::section_closure, language, closure);
  return out;
}

std::string kind_name(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::agenda:
      return "agenda";
    case DocumentKind::minutes:
      return "minutes";
    case DocumentKind::year:
      return "year";
  }
  return "";
}

}  // namespace

std::string render_html(const Document& document, Language language) {
  const bool minutes_document = document.kind == DocumentKind::minutes;
  const Minutes no_minutes;
  const Minutes& minutes = document.minutes ? *document.minutes : no_minutes;

  std::string out = "<!DOCTYPE html>\n<html lang=\"" + to_string(language) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"zielwerk\">\n";
  out += "<title>" + html_escape(document_title(document, language)) + "</title>\n";
  out += "<style>\n" + document_css() + "</style>\n</head>\n";
  out += "<body class=\"document document-" + kind_name(document.kind) + "\">\n";
  out += header(document, language);
  out += "<main>\n";
  if (minutes_document) {
    out += section("attendance", Phrase::section_attendance, language,
                   entries(minutes.attendance, language));
  }
  out += section("status", Phrase::section_status, language,
                 html_status_table(document.goals, language));
  out += section("course", Phrase::section_course, language,
                 charts_of(document, rules::GoalKind::target, Phrase::no_target_charts, language));
  out += section("monitoring", Phrase::section_monitoring, language,
                 charts_of(document, rules::GoalKind::monitoring, Phrase::no_monitoring, language));
  out += section("milestones", Phrase::section_milestones, language,
                 html_milestones_table(document.milestones, language));
  out += section("measures", Phrase::section_measures, language,
                 html_measures_table(document.measures, language));
  out += section("escalations", Phrase::section_escalations, language,
                 html_escalations_list(document.escalations, language, document.time_zone));
  if (document.kind != DocumentKind::year) {
    std::string missed;
    if (document.missed_before.empty()) {
      missed = empty_sentence(Phrase::no_missed, language);
    } else {
      missed = "<ul class=\"entries\">\n";
      for (const std::string& review : document.missed_before) {
        missed += "<li>" + html_escape(review) + "</li>\n";
      }
      missed += "</ul>\n";
    }
    out += section("missed", Phrase::section_missed, language, missed);
  }
  if (minutes_document) out += minutes_sections(document, minutes, language);
  out += "</main>\n";
  out += "<footer>\n<p>" + say(Phrase::created_with, language) + " · " +
         say(Phrase::figures_known_at, language) + ": " +
         html_escape(figures_known_at_text(document, language)) + " · " +
         say(Phrase::rule_set, language) + ": " + version_html(document.rule_set_version) +
         "</p>\n</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace zielwerk::report
