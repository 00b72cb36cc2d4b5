// Meeting documents (report/document.h) as Markdown or as one self-contained
// HTML page, in German or English.
//
// Both show, in this order: the header (agreement, parties, meeting date and
// local start time, participants, reporting month, figures known at, rule-set
// version), for minutes the attendance, the goals' status, the course of each
// target goal, the monitoring comparison with the previous year, milestones,
// open measures (overdue first and flagged), escalations, reviews missed
// before this one (not in the year overview), and for minutes the assessment,
// external conditions, decisions, decisions without a measure, newly agreed
// measures, follow-ups and who closed the review when. An empty section says
// so ("Keine offenen Maßnahmen.") rather than vanish; the minutes' sections
// appear only in minutes. A footer names zielwerk and the data the document
// rests on.
//
// HTML: `<!DOCTYPE html>`, `<html lang="de|en">`, UTF-8, inline CSS and
// inline SVG charts only (no scripts, no external fonts, images or links to
// resources), printable on A4. Markdown (GitHub flavoured) cannot hold charts:
// it shows the last six months of each chart's course as a table instead
// (target goals with their year-end forecast and target; monitoring goals
// with the same months a year earlier). All text from data is escaped for the
// format.
#pragma once

#include <string>

#include "zielwerk/locale/catalogue.h"
#include "zielwerk/locale/format.h"
#include "zielwerk/report/document.h"

namespace zielwerk::report {

// How many months of each chart's course the Markdown rendering tabulates.
inline constexpr int kMarkdownCourseMonths = 6;

// The document's title: "Tagesordnung – <workflow> – Berichtsmonat Juni 2025",
// "Protokoll – …", "Jahresübersicht – <agreement> – Berichtsmonat Juni 2025".
std::string document_title(const Document& document, locale::Language language);

std::string render_markdown(const Document& document, locale::Language language);
std::string render_html(const Document& document, locale::Language language);

}  // namespace zielwerk::report
