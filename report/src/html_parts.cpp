#include "zielwerk/report/html_parts.h"

#include <algorithm>
#include <tuple>
#include <type_traits>

#include "goal_text.h"
#include "zielwerk/report/svg_chart.h"

namespace zielwerk::report {

// The documents speak through the catalogue and formats of locale/.
using namespace zielwerk::locale;
namespace {

// Escaped text with its line breaks kept (notes and reasons may span lines).
// Control characters other than tab and newline are dropped: they have no
// place in a document and some are not allowed in HTML at all.
std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool end = i == text.size();
    const auto byte = end ? 0 : static_cast<unsigned char>(text[i]);
    const bool line_break = !end && byte == '\n';
    const bool control = !end && ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F);
    if (end || line_break || control) {
      out += html_escape(text.substr(start, i - start));
      if (line_break) out += "<br>";
      start = i + 1;
    }
  }
  return out;
}

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + html_escape(value) + "\"";
}

std::string th(Phrase phrase_id, Language language, std::string_view css_class = {}) {
  std::string out = "<th scope=\"col\"";
  if (!css_class.empty()) out += attribute("class", css_class);
  return out + ">" + html_escape(phrase(phrase_id, language)) + "</th>";
}

std::string td(std::string_view html, std::string_view css_class = {}) {
  std::string out = "<td";
  if (!css_class.empty()) out += attribute("class", css_class);
  return out + ">" + std::string(html) + "</td>";
}

std::string num(const std::optional<std::string>& text) {
  return td(text ? html_escape(*text) : std::string(kNoValue), "num");
}

template <typename Status>
std::string status_cell(Status status, Language language) {
  const std::string name = [&] {
    if constexpr (std::is_same_v<Status, rules::GoalStatus>) {
      return rules::to_string(status);
    } else {
      return domain::to_string(status);
    }
  }();
  return "<td class=\"status status-" + html_escape(name) + "\"" + attribute("data-status", name) +
         ">" + html_escape(status_label(status, language)) + "</td>";
}

std::string empty_sentence(Phrase phrase_id, Language language) {
  return "<p class=\"empty\">" + html_escape(phrase(phrase_id, language)) + "</p>\n";
}

// The goal's title with, below it, its section, the side responsible and its
// id: one column instead of three keeps the status table within an A4 page.
std::string goal_cell(const GoalRow& goal, Language language) {
  std::string html = html_text(goal.title);
  if (!goal.binding) {
    html += " <span class=\"informational\">(" +
            html_escape(phrase(Phrase::informational, language)) + ")</span>";
  }
  std::string meta;
  if (!goal.section.empty()) {
    meta += html_escape(phrase(Phrase::col_section, language)) + " " + html_escape(goal.section) +
            " · ";
  }
  meta += html_escape(responsibility_name(goal.responsibility, language)) + " · " +
          html_escape(goal.id);
  html += "<span class=\"goal-id\">" + meta + "</span>";
  return td(html, "goal");
}

std::string row_start(const GoalRow& goal) {
  return "<tr" + attribute("data-goal", goal.id) +
         attribute("data-kind", rules::to_string(goal.kind)) + ">";
}

std::string common_cells(const GoalRow& goal, Language language) {
  return goal_cell(goal, language) + status_cell(goal.status, language);
}

std::string table_start(Phrase caption, std::string_view css_class, Language language,
                        std::initializer_list<std::pair<Phrase, std::string_view>> columns) {
  std::string out = "<table" + attribute("class", css_class) + ">\n<caption>" +
                    html_escape(phrase(caption, language)) + "</caption>\n<thead><tr>";
  for (const auto& [column, column_class] : columns)
    out += th(column, language, column_class);
  return out + "</tr></thead>\n<tbody>\n";
}

// A number cell with an optional line of detail below it.
std::string num_with_detail(const std::string& text, const std::string& detail,
                            std::string_view extra_html = {}) {
  std::string html = text.empty() ? std::string(kNoValue) : html_escape(text);
  html += extra_html;
  if (!detail.empty()) html += "<span class=\"detail\">" + html_escape(detail) + "</span>";
  return td(html, "num");
}

std::string provisional_flag(bool provisional, Language language) {
  if (!provisional) return {};
  return "<span class=\"provisional\" data-provisional=\"true\">" +
         html_escape(phrase(Phrase::provisional, language)) + "</span>";
}

std::string target_row(const GoalRow& goal, Language language) {
  std::string out = row_start(goal) + common_cells(goal, language);
  out += num_with_detail(actual_text(goal, language), {},
                         provisional_flag(goal.provisional && goal.actual, language));
  std::string soll = goal.soll ? html_escape(soll_text(goal, language)) : std::string(kNoValue);
  if (const std::string detail = soll_detail(goal, language); !detail.empty()) {
    soll += "<span class=\"detail\">" + html_escape(detail) + "</span>";
  }
  out += td(soll, "num soll");
  out += num_with_detail(reference_gap_text(goal, language), {});
  out += num_with_detail(target_text(goal, language), target_detail(goal, language));
  if (goal.forecast) {
    std::string html =
        html_escape(format_quantity(*goal.forecast, goal.unit, language, goal.target));
    if (goal.forecast_status) {
      const std::string name = rules::to_string(*goal.forecast_status);
      html += "<span class=\"forecast-status status-" + html_escape(name) + "\"" +
              attribute("data-forecast-status", name) + ">" +
              html_escape(status_label(*goal.forecast_status, language)) + "</span>";
    }
    out += td(html, "num forecast");
  } else {
    out += num(std::nullopt);
  }
  if (goal.reachable) {
    const std::string word = html_escape(yes_no(*goal.reachable, language));
    out += td(*goal.reachable ? word : "<strong>" + word + "</strong>",
              *goal.reachable ? "reachable" : "reachable unreachable");
  } else {
    out += td(std::string(kNoValue), "reachable");
  }
  return out + "</tr>\n";
}

std::string monitoring_row(const GoalRow& goal, Language language) {
  std::string out = row_start(goal) + common_cells(goal, language);
  out += num_with_detail(goal.actual ? format_quantity(*goal.actual, goal.unit, language) : "", {},
                         provisional_flag(goal.provisional && goal.actual, language));
  out += num(goal.previous ? std::optional(format_quantity(*goal.previous, goal.unit, language))
                           : std::nullopt);
  out += num(goal.change_pct ? std::optional(format_change_pct(*goal.change_pct, language))
                             : std::nullopt);
  return out + "</tr>\n";
}

std::string dates_cell(std::chrono::year_month_day date, bool overdue, Language language) {
  std::string html = html_escape(format_date(date, language));
  if (overdue) {
    html += "<span class=\"flag-overdue\" data-overdue=\"true\">" +
            html_escape(overdue_label(language)) + "</span>";
  }
  return td(html, "date");
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
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
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string document_css() {
  // Status colours: dark text on light backgrounds, each pair with a
  // contrast ratio above 7:1 (WCAG AAA), and the status is also written as
  // symbol and word, so neither colour vision nor a colour printer is needed.
  return R"css(:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 11pt; line-height: 1.4; color: #1a1a1a; background: #ffffff;
  max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.45rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; padding-bottom: .15rem;
  border-bottom: 1px solid #8c8c8c; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1rem; margin: 1.25rem 0 .4rem; break-after: avoid; page-break-after: avoid; }
p { margin: .4rem 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.25rem; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.notice { border-left: 4px solid #7a1510; padding: .3rem .6rem; background: #fbe9e7; color: #5a0f0b; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; font-size: 10pt; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 .3rem; }
th, td { border: 1px solid #8c8c8c; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }  /* long German compounds must not push a table off the page */
td.goal { min-width: 11em; }
thead { display: table-header-group; }
thead th { background: #e6e6e6; color: #1a1a1a; }
tr, figure, .chart-figure, li { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
.goal-id, .detail { display: block; color: #4d4d4d; font-size: .85em; }
.informational { color: #4d4d4d; font-style: italic; }
.status, .forecast-status { font-weight: 600; white-space: nowrap; }
.forecast-status { display: block; font-size: .85em; padding: 0 .2rem; margin-top: .1rem; text-align: right; }
.status-met, .status-done { background: #d7efd8; color: #0b4a1b; }
.status-at_risk { background: #fff0b3; color: #573a00; }
.status-missed, .status-overdue { background: #f8d3d0; color: #731410; }
.status-no_data, .status-dropped { background: #ebebeb; color: #2e2e2e; }
.status-observed, .status-in_progress { background: #dce7f5; color: #13355c; }
.status-open, .status-agreed { background: #eeeff4; color: #272a33; }
.unreachable { color: #731410; }
.provisional { display: block; font-size: .85em; font-style: italic; color: #4d4d4d; }
.note { font-size: .9em; color: #404040; }
.flag-overdue { display: block; font-weight: 700; color: #731410; }
tr.overdue td { border-top-width: 2px; }
ul.escalations, ul.entries { padding-left: 1.2rem; margin: .4rem 0 1rem; }
ul.escalations li, ul.entries li { margin: .25rem 0; }
figure.chart-figure { margin: .75rem 0 1.25rem; }
figure.chart-figure figcaption { font-size: 10pt; color: #333333; margin-top: .2rem; }
svg.chart { display: block; width: 100%; height: auto; max-height: 85mm; }
.empty { font-style: italic; color: #404040; }
footer { margin-top: 2rem; padding-top: .4rem; border-top: 1px solid #8c8c8c; font-size: 9pt; color: #404040; }
@page { size: A4; margin: 18mm 15mm 20mm 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .3rem; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
}
)css";
}

std::string html_status_table(const std::vector<GoalRow>& goals, Language language) {
  if (goals.empty()) return empty_sentence(Phrase::no_goals, language);
  std::string targets;
  std::string monitoring;
  std::string milestones;
  for (const GoalRow& goal : goals) {
    switch (goal.kind) {
      case rules::GoalKind::target:
        targets += target_row(goal, language);
        break;
      case rules::GoalKind::monitoring:
        monitoring += monitoring_row(goal, language);
        break;
      case rules::GoalKind::milestone:
        milestones += row_start(goal) + common_cells(goal, language) + "</tr>\n";
        break;
    }
  }
  std::string out;
  if (!targets.empty()) {
    out += table_start(Phrase::target_goals, "status-table targets", language,
                       {{Phrase::col_goal, {}},
                        {Phrase::col_status, {}},
                        {Phrase::col_actual, "num"},
                        {Phrase::col_soll, "num"},
                        {Phrase::col_soll_gap, "num"},
                        {Phrase::col_target, "num"},
                        {Phrase::col_forecast, "num"},
                        {Phrase::col_reachable, {}}}) +
           targets + "</tbody>\n</table>\n";
  }
  if (!monitoring.empty()) {
    out += table_start(Phrase::monitoring_goals, "status-table monitoring", language,
                       {{Phrase::col_goal, {}},
                        {Phrase::col_status, {}},
                        {Phrase::col_value, "num"},
                        {Phrase::col_previous_year, "num"},
                        {Phrase::col_change, "num"}}) +
           monitoring + "</tbody>\n</table>\n";
  }
  if (!milestones.empty()) {
    out += table_start(Phrase::milestone_goals, "status-table milestones", language,
                       {{Phrase::col_goal, {}}, {Phrase::col_status, {}}}) +
           milestones + "</tbody>\n</table>\n";
  }
  const bool provisional = std::any_of(goals.begin(), goals.end(), [](const GoalRow& goal) {
    return goal.provisional && goal.actual.has_value();
  });
  if (provisional) {
    out += "<p class=\"note provisional-note\">" +
           html_escape(phrase(Phrase::provisional_note, language)) + "</p>\n";
  }
  return out;
}

std::string html_chart_figure(const Chart& chart, Language language) {
  std::string caption =
      "<strong>" + html_text(chart.title) + "</strong> (" + html_escape(chart.goal_id) + ")";
  if (!chart.course.empty()) {
    caption += ", " + html_escape(format_month(chart.course.front().month, language)) +
               (language == Language::de ? " bis " : " to ") +
               html_escape(format_month(chart.course.back().month, language));
  }
  if (chart.kind == rules::GoalKind::monitoring) {
    caption += ", " + html_escape(phrase(Phrase::year_earlier, language)) + " " +
               (language == Language::de ? "gestrichelt" : "dashed");
  }
  return "<figure class=\"chart-figure\"" + attribute("data-goal", chart.goal_id) + ">\n" +
         render_chart_svg(chart, language) + "\n<figcaption>" + caption +
         "</figcaption>\n</figure>\n";
}

std::string html_measures_table(const std::vector<MeasureLine>& measures, Language language) {
  if (measures.empty()) return empty_sentence(Phrase::no_open_measures, language);
  // Overdue first: they are what the meeting has to talk about.
  std::vector<const MeasureLine*> order;
  for (const MeasureLine& measure : measures)
    order.push_back(&measure);
  std::stable_sort(order.begin(), order.end(), [](const MeasureLine* a, const MeasureLine* b) {
    return std::tuple(!a->overdue, a->due) < std::tuple(!b->overdue, b->due);
  });
  std::string out = "<table class=\"measures\">\n<thead><tr>" +
                    th(Phrase::col_number, language, "num") + th(Phrase::col_measure, language) +
                    th(Phrase::col_goal, language) + th(Phrase::col_owner, language) +
                    th(Phrase::col_due, language) + th(Phrase::col_follow_up, language) +
                    th(Phrase::col_status, language) + th(Phrase::col_last_note, language) +
                    "</tr></thead>\n<tbody>\n";
  for (const MeasureLine* measure : order) {
    out += "<tr" + attribute("class", measure->overdue ? "measure overdue" : "measure") +
           attribute("data-goal", measure->goal_id) +
           attribute("data-measure", std::to_string(measure->id)) + ">";
    out += td(std::to_string(measure->id), "num");
    std::string title = html_text(measure->title);
    if (!measure->agreed_in.empty()) {
      title += "<span class=\"detail\">" + html_escape(phrase(Phrase::col_agreed_in, language)) +
               ": " + html_escape(measure->agreed_in) + "</span>";
    }
    out += td(title);
    out += td(html_escape(measure->goal_id));
    std::string owner = html_escape(measure->owner_party_name.empty() ? measure->owner_party
                                                                      : measure->owner_party_name);
    if (!measure->assignee.empty()) {
      owner += "<span class=\"detail\">" + html_escape(measure->assignee) + "</span>";
    }
    out += td(owner);
    out += dates_cell(measure->due, measure->overdue, language);
    out += measure->follow_up ? dates_cell(*measure->follow_up, false, language)
                              : td(std::string(kNoValue), "date");
    out += status_cell(measure->status, language);
    out += td(html_text(measure->last_note));
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string html_escalations_list(const std::vector<EscalationLine>& escalations, Language language,
                                  const std::string& time_zone) {
  if (escalations.empty()) return empty_sentence(Phrase::no_escalations, language);
  std::string out = "<ul class=\"escalations\">\n";
  for (const EscalationLine& escalation : escalations) {
    const std::string kind = domain::to_string(escalation.kind);
    out += "<li" + attribute("class", "escalation escalation-" + kind) +
           attribute("data-goal", escalation.goal_id) + attribute("data-kind", kind) + ">";
    out += "<strong>" + html_escape(status_label(escalation.kind, language)) + "</strong>";
    out += " – " + html_escape(phrase(Phrase::col_goal, language)) + " " +
           html_escape(escalation.goal_id);
    if (escalation.measure_id) {
      out += ", " + html_escape(phrase(Phrase::measure, language)) + " " +
             (language == Language::de ? "Nr. " : "no. ") + std::to_string(*escalation.measure_id);
    }
    if (!escalation.milestone.empty()) {
      out += ", " + html_escape(phrase(Phrase::col_milestone, language)) + " " +
             html_escape(escalation.milestone);
    }
    const std::string& party =
        escalation.party_name.empty() ? escalation.party : escalation.party_name;
    if (!party.empty()) {
      out += " – " + html_escape(phrase(Phrase::escalated_to, language)) + " " + html_escape(party);
    }
    out += " – " + html_escape(phrase(Phrase::raised_on, language)) + " " +
           html_escape(format_local_date(escalation.raised_at, time_zone, language));
    if (const std::string reason = escalation_reason(escalation.as_escalation(), language);
        !reason.empty()) {
      out += "<span class=\"detail\">" + html_text(reason) + "</span>";
    }
    out += "</li>\n";
  }
  return out + "</ul>\n";
}

std::string html_follow_ups_table(const std::vector<FollowUpLine>& follow_ups, Language language) {
  if (follow_ups.empty()) return empty_sentence(Phrase::no_follow_ups, language);
  std::string out = "<table class=\"follow-ups\">\n<thead><tr>" +
                    th(Phrase::col_number, language, "num") + th(Phrase::col_measure, language) +
                    th(Phrase::col_status, language) + th(Phrase::col_note, language) +
                    th(Phrase::col_actor, language) + "</tr></thead>\n<tbody>\n";
  for (const FollowUpLine& follow_up : follow_ups) {
    out += "<tr" + attribute("data-measure", std::to_string(follow_up.measure_id)) + ">";
    out += td(std::to_string(follow_up.measure_id), "num");
    out += td(html_text(follow_up.measure_title));
    out += status_cell(follow_up.status, language);
    out += td(html_text(follow_up.note));
    out += td(html_escape(follow_up.actor));
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string html_milestones_table(const std::vector<MilestoneLine>& milestones, Language language) {
  if (milestones.empty()) return empty_sentence(Phrase::no_milestones, language);
  std::string out = "<table class=\"milestones\">\n<thead><tr>" + th(Phrase::col_goal, language) +
                    th(Phrase::col_milestone, language) + th(Phrase::col_due, language) +
                    th(Phrase::col_done_on, language) + th(Phrase::col_status, language) +
                    "</tr></thead>\n<tbody>\n";
  for (const MilestoneLine& milestone : milestones) {
    out += "<tr" + attribute("data-goal", milestone.goal_id) +
           attribute("data-milestone", milestone.milestone_id) + ">";
    out += td(html_text(milestone.goal_title.empty() ? milestone.goal_id : milestone.goal_title) +
              "<span class=\"goal-id\">" + html_escape(milestone.goal_id) + "</span>");
    out += td(html_text(milestone.title));
    out += td(html_escape(format_date(milestone.due, language)), "date");
    out += milestone.done_on ? td(html_escape(format_date(*milestone.done_on, language)), "date")
                             : td(std::string(kNoValue), "date");
    out += status_cell(milestone.status, language);
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

}  // namespace zielwerk::report
