#include <algorithm>
#include <cstddef>
#include <tuple>

#include "goal_text.h"
#include "zielwerk/report/render.h"

namespace zielwerk::report {

// The documents speak through the catalogue and formats of locale/.
using namespace zielwerk::locale;
namespace {

// Text from data, safe inside a line of GitHub Markdown (a table cell, a
// heading, after a list marker's first word): inline markup characters are
// backslash-escaped, & < > become entities (so no raw HTML gets through,
// whatever the renderer), a line break becomes <br> (a table row or list item
// must stay on one line). Other control characters are dropped.
std::string md(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  text.remove_prefix(first == std::string_view::npos ? text.size() : first);
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
        out += "<br>";
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '#':
        out += '\\';
        out += c;
        break;
      default:
        if ((byte < 0x20 && c != '\t') || byte == 0x7F) break;
        out += c == '\t' ? ' ' : c;
    }
  }
  return out;
}

// The same for text that begins a list item: a leading "-", "+" or "12." /
// "12)" would open a nested list, so its marker character is escaped.
std::string md_item(std::string_view text) {
  std::string out = md(text);
  if (!out.empty() && (out.front() == '-' || out.front() == '+')) return "\\" + out;
  std::size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9')
    ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
    out.insert(digits, "\\");
  }
  return out;
}

std::string md(Phrase phrase_id, Language language) {
  return md(phrase(phrase_id, language));
}

std::string heading(int level, std::string_view text) {
  return "\n" + std::string(static_cast<std::size_t>(level), '#') + " " + std::string(text) +
         "\n\n";
}

std::string empty_sentence(Phrase phrase_id, Language language) {
  return "*" + md(phrase_id, language) + "*\n";
}

// A GitHub table; `right` marks the numeric columns.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> right;
  std::vector<std::vector<std::string>> rows;

  std::string render() const {
    std::string out = "|";
    for (const auto& cell : header)
      out += " " + cell + " |";
    out += "\n|";
    for (std::size_t i = 0; i < header.size(); ++i) {
      out += i < right.size() && right[i] ? " ---: |" : " --- |";
    }
    out += "\n";
    for (const auto& row : rows) {
      out += "|";
      for (const auto& cell : row)
        out += " " + (cell.empty() ? std::string(kNoValue) : cell) + " |";
      out += "\n";
    }
    return out;
  }
};

std::string optional_text(const std::optional<std::string>& text) {
  return text ? md(*text) : std::string(kNoValue);
}

std::string goal_name(const GoalRow& goal, Language language) {
  std::string out = md(goal.title) + " (" + md(goal.id) + ")";
  if (!goal.binding) out += " *" + md(Phrase::informational, language) + "*";
  return out;
}

std::string status_tables(const Document& document, Language language) {
  if (document.goals.empty()) return empty_sentence(Phrase::no_goals, language);
  Table targets{{md(Phrase::col_section, language), md(Phrase::col_goal, language),
                 md(Phrase::col_responsibility, language), md(Phrase::col_status, language),
                 md(Phrase::col_actual, language), md(Phrase::col_soll, language),
                 md(Phrase::col_soll_gap, language), md(Phrase::col_target, language),
                 md(Phrase::col_forecast, language), md(Phrase::col_reachable, language)},
                {false, false, false, false, true, true, true, true, true, false},
                {}};
  bool provisional = false;
  const auto with_detail = [](std::string text, const std::string& detail) {
    if (text.empty()) text = std::string(kNoValue);
    return detail.empty() ? text : text + "<br>*" + md(detail) + "*";
  };
  Table monitoring{{md(Phrase::col_section, language), md(Phrase::col_goal, language),
                    md(Phrase::col_responsibility, language), md(Phrase::col_status, language),
                    md(Phrase::col_value, language), md(Phrase::col_previous_year, language),
                    md(Phrase::col_change, language)},
                   {false, false, false, false, true, true, true},
                   {}};
  Table milestones{{md(Phrase::col_section, language), md(Phrase::col_goal, language),
                    md(Phrase::col_responsibility, language), md(Phrase::col_status, language)},
                   {},
                   {}};
  for (const GoalRow& goal : document.goals) {
    std::vector<std::string> row = {md(goal.section), goal_name(goal, language),
                                    md(responsibility_name(goal.responsibility, language)),
                                    md(status_label(goal.status, language))};
    switch (goal.kind) {
      case rules::GoalKind::target: {
        std::string actual = md(actual_text(goal, language));
        if (goal.provisional && !actual.empty()) {
          actual += " (" + md(Phrase::provisional, language) + ")";
          provisional = true;
        }
        row.push_back(actual.empty() ? std::string(kNoValue) : actual);
        row.push_back(with_detail(md(soll_text(goal, language)), soll_detail(goal, language)));
        const std::string gap = md(reference_gap_text(goal, language));
        row.push_back(gap.empty() ? std::string(kNoValue) : gap);
        row.push_back(with_detail(md(target_text(goal, language)), target_detail(goal, language)));
        std::string forecast(kNoValue);
        if (goal.forecast) {
          forecast = md(format_quantity(*goal.forecast, goal.unit, language, goal.target));
          if (goal.forecast_status) {
            forecast += " (" + md(status_label(*goal.forecast_status, language)) + ")";
          }
        }
        row.push_back(forecast);
        row.push_back(goal.reachable ? (*goal.reachable ? md(yes_no(true, language))
                                                        : "**" + md(yes_no(false, language)) + "**")
                                     : std::string(kNoValue));
        targets.rows.push_back(std::move(row));
        break;
      }
      case rules::GoalKind::monitoring: {
        std::string actual = goal.actual ? md(format_quantity(*goal.actual, goal.unit, language))
                                         : std::string(kNoValue);
        if (goal.actual && goal.provisional) {
          actual += " (" + md(Phrase::provisional, language) + ")";
        }
        row.push_back(actual);
        provisional = provisional || (goal.actual && goal.provisional);
        row.push_back(optional_text(
            goal.previous ? std::optional(format_quantity(*goal.previous, goal.unit, language))
                          : std::nullopt));
        row.push_back(optional_text(
            goal.change_pct ? std::optional(format_change_pct(*goal.change_pct, language))
                            : std::nullopt));
        monitoring.rows.push_back(std::move(row));
        break;
      }
      case rules::GoalKind::milestone:
        milestones.rows.push_back(std::move(row));
        break;
    }
  }
  std::string out;
  if (!targets.rows.empty()) {
    out += "**" + md(Phrase::target_goals, language) + "**\n\n" + targets.render() + "\n";
  }
  if (!monitoring.rows.empty()) {
    out += "**" + md(Phrase::monitoring_goals, language) + "**\n\n" + monitoring.render() + "\n";
  }
  if (provisional) out += "*" + md(Phrase::provisional_note, language) + "*\n\n";
  if (!milestones.rows.empty()) {
    out += "**" + md(Phrase::milestone_goals, language) + "**\n\n" + milestones.render() + "\n";
  }
  return out;
}

std::optional<double> value_at(const std::vector<ChartPoint>& points, YearMonth month) {
  for (const ChartPoint& point : points) {
    if (point.month == month) return point.value;
  }
  return std::nullopt;
}

std::vector<YearMonth> table_months(const Document& document) {
  std::vector<YearMonth> months;
  for (int i = kMarkdownCourseMonths - 1; i >= 0; --i)
    months.push_back(document.period.plus_months(-i));
  return months;
}

std::string cell_value(std::optional<double> value, rules::Unit unit, Language language,
                       std::optional<double> compare_with = std::nullopt) {
  if (!value) return std::string(kNoValue);
  return md(format_quantity(*value, unit, language, compare_with));
}

// Markdown cannot draw: the last months of each target goal's course, its
// year-end forecast and its target, one row per goal.
std::string course_table(const Document& document, Language language) {
  const std::vector<YearMonth> months = table_months(document);
  Table table;
  table.header.push_back(md(Phrase::col_goal, language));
  table.right.push_back(false);
  for (const YearMonth month : months) {
    table.header.push_back(md(format_month_short(month, language)));
    table.right.push_back(true);
  }
  table.header.push_back(md(Phrase::forecast, language));
  table.header.push_back(md(Phrase::target, language));
  table.right.insert(table.right.end(), {true, true});
  for (const Chart& chart : document.charts) {
    if (chart.kind != rules::GoalKind::target) continue;
    std::vector<std::string> row = {md(chart.title) + " (" + md(chart.goal_id) + ")"};
    for (const YearMonth month : months) {
      row.push_back(cell_value(value_at(chart.course, month), chart.unit, language, chart.target));
    }
    if (chart.forecast && chart.forecast->value) {
      row.push_back(cell_value(chart.forecast->value, chart.unit, language, chart.target) + " (" +
                    md(format_month_short(chart.forecast->month, language)) + ")");
    } else {
      row.push_back(std::string(kNoValue));
    }
    row.push_back(
        chart.target ? (chart.op ? md(format_target(*chart.op, *chart.target, chart.unit, language))
                                 : cell_value(chart.target, chart.unit, language))
                     : std::string(kNoValue));
    table.rows.push_back(std::move(row));
    // Below the course, the Soll path for the months of the agreement year.
    if (!chart.soll_path.empty()) {
      std::vector<std::string> soll = {"↳ " + md(Phrase::soll_path, language)};
      for (const YearMonth month : months) {
        soll.push_back(cell_value(value_at(chart.soll_path, month), chart.unit, language,
                                  value_at(chart.course, month)));
      }
      soll.insert(soll.end(), {std::string(kNoValue), std::string(kNoValue)});
      table.rows.push_back(std::move(soll));
    }
  }
  if (table.rows.empty()) {
    return empty_sentence(
        document.charts_withheld ? Phrase::charts_withheld : Phrase::no_target_charts, language);
  }
  return table.render();
}

// Monitoring: each goal's last months, and below them the same months a year earlier.
std::string monitoring_table(const Document& document, Language language) {
  const std::vector<YearMonth> months = table_months(document);
  Table table;
  table.header.push_back(md(Phrase::col_goal, language));
  table.right.push_back(false);
  for (const YearMonth month : months) {
    table.header.push_back(md(format_month_short(month, language)));
    table.right.push_back(true);
  }
  for (const Chart& chart : document.charts) {
    if (chart.kind != rules::GoalKind::monitoring) continue;
    std::vector<std::string> row = {md(chart.title) + " (" + md(chart.goal_id) + ")"};
    std::vector<std::string> previous = {"↳ " + md(Phrase::year_earlier, language)};
    for (const YearMonth month : months) {
      row.push_back(cell_value(value_at(chart.course, month), chart.unit, language));
      std::optional<double> earlier;
      for (std::size_t i = 0; i < chart.course.size() && i < chart.previous_year.size(); ++i) {
        if (chart.course[i].month == month) earlier = chart.previous_year[i].value;
      }
      previous.push_back(cell_value(earlier, chart.unit, language));
    }
    table.rows.push_back(std::move(row));
    table.rows.push_back(std::move(previous));
  }
  if (table.rows.empty()) {
    return empty_sentence(
        document.charts_withheld ? Phrase::charts_withheld : Phrase::no_monitoring, language);
  }
  return table.render();
}

std::string milestones_table(const Document& document, Language language) {
  if (document.milestones.empty()) return empty_sentence(Phrase::no_milestones, language);
  Table table{{md(Phrase::col_goal, language), md(Phrase::col_milestone, language),
               md(Phrase::col_due, language), md(Phrase::col_done_on, language),
               md(Phrase::col_status, language)},
              {},
              {}};
  for (const MilestoneLine& line : document.milestones) {
    table.rows.push_back(
        {md(line.goal_title.empty() ? line.goal_id : line.goal_title) + " (" + md(line.goal_id) +
             ")",
         md(line.title), md(format_date(line.due, language)),
         line.done_on ? md(format_date(*line.done_on, language)) : std::string(kNoValue),
         md(status_label(line.status, language))});
  }
  return table.render();
}

std::string measures_table(const std::vector<MeasureLine>& measures, Phrase empty,
                           Language language) {
  if (measures.empty()) return empty_sentence(empty, language);
  // Overdue first: they are what the meeting has to talk about.
  std::vector<const MeasureLine*> order;
  for (const MeasureLine& measure : measures)
    order.push_back(&measure);
  std::stable_sort(order.begin(), order.end(), [](const MeasureLine* a, const MeasureLine* b) {
    return std::tuple(!a->overdue, a->due) < std::tuple(!b->overdue, b->due);
  });
  Table table{{md(Phrase::col_number, language), md(Phrase::col_measure, language),
               md(Phrase::col_goal, language), md(Phrase::col_owner, language),
               md(Phrase::col_due, language), md(Phrase::col_follow_up, language),
               md(Phrase::col_status, language), md(Phrase::col_last_note, language)},
              {true},
              {}};
  for (const MeasureLine* measure : order) {
    std::string title = md(measure->title);
    if (!measure->agreed_in.empty()) {
      title += "<br>" + md(Phrase::col_agreed_in, language) + ": " + md(measure->agreed_in);
    }
    std::string owner =
        md(measure->owner_party_name.empty() ? measure->owner_party : measure->owner_party_name);
    if (!measure->assignee.empty()) owner += ", " + md(measure->assignee);
    std::string due = md(format_date(measure->due, language));
    if (measure->overdue) due += " **" + md(overdue_label(language)) + "**";
    table.rows.push_back({std::to_string(measure->id), title, md(measure->goal_id), owner, due,
                          measure->follow_up ? md(format_date(*measure->follow_up, language))
                                             : std::string(kNoValue),
                          md(status_label(measure->status, language)), md(measure->last_note)});
  }
  return table.render();
}

std::string escalations_list(const Document& document, Language language) {
  if (document.escalations.empty()) return empty_sentence(Phrase::no_escalations, language);
  std::string out;
  for (const EscalationLine& escalation : document.escalations) {
    out += "- **" + md(status_label(escalation.kind, language)) + "** – " +
           md(Phrase::col_goal, language) + " " + md(escalation.goal_id);
    if (escalation.measure_id) {
      out += ", " + md(Phrase::measure, language) + (language == Language::de ? " Nr. " : " no. ") +
             std::to_string(*escalation.measure_id);
    }
    if (!escalation.milestone.empty()) {
      out += ", " + md(Phrase::col_milestone, language) + " " + md(escalation.milestone);
    }
    const std::string& party =
        escalation.party_name.empty() ? escalation.party : escalation.party_name;
    if (!party.empty()) out += " – " + md(Phrase::escalated_to, language) + " " + md(party);
    out += " – " + md(Phrase::raised_on, language) + " " +
           md(format_local_date(escalation.raised_at, document.time_zone, language));
    const std::string reason = escalation_reason(escalation.as_escalation(), language);
    if (!reason.empty()) out += ": " + md(reason);
    out += "\n";
  }
  return out;
}

std::string entries(const std::vector<std::string>& items, Language language) {
  if (items.empty()) return empty_sentence(Phrase::nothing_recorded, language);
  std::string out;
  for (const std::string& item : items)
    out += "- " + md_item(item) + "\n";
  return out;
}

std::string goal_title(const Document& document, const std::string& goal_id) {
  for (const GoalRow& goal : document.goals) {
    if (goal.id == goal_id) return goal.title;
  }
  return goal_id;
}

std::string parties_text(const std::vector<PartyLine>& parties, Language language) {
  std::string out;
  for (const PartyLine& party : parties) {
    if (!out.empty()) out += "; ";
    out += md(party.name.empty() ? party.id : party.name) + " (" +
           md(carrier_name(party.carrier, language)) + ")";
  }
  return out.empty() ? std::string(kNoValue) : out;
}

std::string short_version(const std::string& version) {
  return version.substr(0, 12);
}

std::string figures_known_at_text(const Document& document, Language language) {
  return document.figures_known_at
             ? format_date_time(*document.figures_known_at, document.time_zone, language)
             : std::string(phrase(Phrase::not_recorded, language));
}

std::string header(const Document& document, Language language) {
  auto item = [](const std::string& label, const std::string& value) {
    return "- **" + label + ":** " + value + "\n";
  };
  std::string out = "# " + md(document_title(document, language)) + "\n\n";
  std::string agreement = md(document.agreement_title) + " (" + md(document.agreement_id) + ")";
  if (document.agreement_year != 0) agreement += ", " + std::to_string(document.agreement_year);
  out += item(md(Phrase::agreement, language), agreement);
  out += item(md(Phrase::parties, language), parties_text(document.parties, language));
  if (document.kind != DocumentKind::year) {
    std::string meeting =
        md(document.workflow_title.empty() ? document.workflow_id : document.workflow_title);
    if (document.meeting_date) {
      meeting += " – " + md(format_date(*document.meeting_date, language));
      if (document.meeting_starts_at) {
        meeting += ", " + md(format_time_of_day(*document.meeting_starts_at, document.time_zone,
                                                language));
      }
    } else if (document.meeting_starts_at) {
      meeting +=
          " – " + md(format_date_time(*document.meeting_starts_at, document.time_zone, language));
    }
    out += item(md(Phrase::meeting, language), meeting);
    out += item(md(Phrase::review, language), md(document.review_id));
    out += item(md(Phrase::participants, language), parties_text(document.participants, language));
  }
  out += item(md(Phrase::reporting_month, language), md(format_month(document.period, language)));
  out +=
      item(md(Phrase::figures_known_at, language), md(figures_known_at_text(document, language)));
  if (document.as_of != std::chrono::year_month_day{}) {
    out += item(md(Phrase::judged_on, language), md(format_date(document.as_of, language)));
  }
  out += item(md(Phrase::rule_set, language), document.rule_set_version.empty()
                                                  ? std::string(kNoValue)
                                                  : md(short_version(document.rule_set_version)));
  if (document.late) out += "\n> **" + md(Phrase::late_note, language) + "**\n";
  return out;
}

}  // namespace

std::string document_title(const Document& document, Language language) {
  const std::string month = std::string(phrase(Phrase::reporting_month, language)) + " " +
                            format_month(document.period, language);
  std::string subject;
  Phrase kind = Phrase::agenda;
  switch (document.kind) {
    case DocumentKind::agenda:
    case DocumentKind::minutes:
      kind = document.kind == DocumentKind::agenda ? Phrase::agenda : Phrase::minutes;
      subject = !document.workflow_title.empty() ? document.workflow_title
                : !document.workflow_id.empty()  ? document.workflow_id
                                                 : document.agreement_title;
      break;
    case DocumentKind::year:
      kind = Phrase::year_overview;
      subject =
          !document.agreement_title.empty() ? document.agreement_title : document.agreement_id;
      break;
  }
  std::string title(phrase(kind, language));
  if (!subject.empty()) title += " – " + subject;
  return title + " – " + month;
}

std::string render_markdown(const Document& document, Language language) {
  const bool minutes_document = document.kind == DocumentKind::minutes;
  const Minutes no_minutes;
  const Minutes& minutes = document.minutes ? *document.minutes : no_minutes;

  std::string out = header(document, language);
  if (minutes_document) {
    out += heading(2, md(Phrase::section_attendance, language)) +
           entries(minutes.attendance, language);
  }
  out += heading(2, md(Phrase::section_status, language)) + status_tables(document, language);
  out += heading(2, md(Phrase::section_course, language)) + course_table(document, language);
  out +=
      heading(2, md(Phrase::section_monitoring, language)) + monitoring_table(document, language);
  out +=
      heading(2, md(Phrase::section_milestones, language)) + milestones_table(document, language);
  out += heading(2, md(Phrase::section_measures, language)) +
         measures_table(document.measures, Phrase::no_open_measures, language);
  out +=
      heading(2, md(Phrase::section_escalations, language)) + escalations_list(document, language);
  if (document.kind != DocumentKind::year) {
    out += heading(2, md(Phrase::section_missed, language));
    if (document.missed_before.empty()) {
      out += empty_sentence(Phrase::no_missed, language);
    } else {
      for (const std::string& review : document.missed_before)
        out += "- " + md_item(review) + "\n";
    }
  }
  if (minutes_document) {
    out += heading(2, md(Phrase::section_assessment, language)) +
           entries(minutes.assessments, language);
    out += heading(2, md(Phrase::section_external, language)) +
           entries(minutes.external_conditions, language);
    out +=
        heading(2, md(Phrase::section_decisions, language)) + entries(minutes.decisions, language);
    out += heading(2, md(Phrase::section_no_measure, language));
    if (minutes.no_measures.empty()) {
      out += empty_sentence(Phrase::nothing_recorded, language);
    } else {
      for (const Minutes::NoMeasure& decision : minutes.no_measures) {
        out += "- **" + md(goal_title(document, decision.goal_id)) + "** (" + md(decision.goal_id) +
               "): " + md(decision.reason) + "\n";
      }
    }
    out += heading(2, md(Phrase::section_new_measures, language)) +
           measures_table(minutes.agreed_measures, Phrase::no_new_measures, language);
    out += heading(2, md(Phrase::section_follow_ups, language));
    if (minutes.follow_ups.empty()) {
      out += empty_sentence(Phrase::no_follow_ups, language);
    } else {
      Table table{{md(Phrase::col_number, language), md(Phrase::col_measure, language),
                   md(Phrase::col_status, language), md(Phrase::col_note, language),
                   md(Phrase::col_actor, language)},
                  {true},
                  {}};
      for (const FollowUpLine& line : minutes.follow_ups) {
        table.rows.push_back({std::to_string(line.measure_id), md(line.measure_title),
                              md(status_label(line.status, language)), md(line.note),
                              md(line.actor)});
      }
      out += table.render();
    }
    out += heading(2, md(Phrase::section_closure, language));
    if (minutes.closed_at) {
      out += "- **" + md(Phrase::closed_at, language) + ":** " +
             md(format_date_time(*minutes.closed_at, document.time_zone, language)) + "\n";
      out += "- **" + md(Phrase::closed_by, language) + ":** " +
             (minutes.closed_by.empty() ? std::string(kNoValue) : md(minutes.closed_by)) + "\n";
    } else {
      out += empty_sentence(Phrase::not_closed, language);
    }
  }
  out +=
      "\n---\n\n" + md(Phrase::created_with, language) + " · " +
      md(Phrase::figures_known_at, language) + ": " +
      md(figures_known_at_text(document, language)) + " · " + md(Phrase::rule_set, language) +
      ": " +
      (document.rule_set_version.empty() ? std::string(kNoValue) : md(document.rule_set_version)) +
      "\n";
  return out;
}

}  // namespace zielwerk::report
