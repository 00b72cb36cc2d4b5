// HTML building blocks of meeting documents, shared by the HTML renderer
// (report/render.h) and the read-only web dashboard. Every function returns a
// fragment with all text from data escaped; none writes a script, an event
// handler or a reference to an external resource.
//
// Hooks for tests and style: every element about a goal carries
// `data-goal="ID"`; every status cell is `<td class="status status-NAME"
// data-status="NAME">` with NAME as rules::to_string / domain::to_string
// ("met", "at_risk", "in_progress", ...) and shows the status as symbol and
// word ("▲ gefährdet"), so it reads without colour. An empty list renders as a
// sentence saying so ("Keine offenen Maßnahmen.") instead of an empty table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/locale/catalogue.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/document.h"

namespace zielwerk::report {

// Escapes & < > " ' so the text is safe in element content and in quoted
// attribute values.
std::string html_escape(std::string_view text);

// The stylesheet of documents and dashboard: traffic-light status colours
// with dark text (contrast above 7:1), A4 print rules (@page, margins, table
// headers repeating on each page, no page break inside a chart or table row).
std::string document_css();

// The goals' status: one table per kind present (target goals: value, target,
// gap, year-end forecast, reachable; monitoring goals: value, the same month a
// year earlier, change; milestone goals: status), one row per goal in the
// order given. The goal's cell holds its title and, below it, its section, the
// side responsible and its id (one column instead of three fits A4).
std::string html_status_table(const std::vector<GoalRow>& goals, locale::Language language);

// `<figure class="chart-figure" data-goal="ID">` with the chart's SVG and a caption.
std::string html_chart_figure(const Chart& chart, locale::Language language);

// Measures, overdue first (then by due date), overdue ones flagged "✖ überfällig".
std::string html_measures_table(const std::vector<MeasureLine>& measures,
                                locale::Language language);

// Escalations with their kind, goal, addressee, reason and the local date
// they were raised in `time_zone` (UTC when empty or unknown).
std::string html_escalations_list(const std::vector<EscalationLine>& escalations,
                                  locale::Language language, const std::string& time_zone);

// Follow-ups recorded in a review: measure, status after it, note, who.
std::string html_follow_ups_table(const std::vector<FollowUpLine>& follow_ups,
                                  locale::Language language);

// Milestones with due date, done date and status, in the order given.
std::string html_milestones_table(const std::vector<MilestoneLine>& milestones,
                                  locale::Language language);

}  // namespace zielwerk::report
