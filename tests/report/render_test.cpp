#include "zielwerk/report/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"
#include "zielwerk/report/html_parts.h"

namespace zielwerk::report {
namespace {

using namespace zielwerk::locale;

using namespace std::chrono;

using zielwerk::testing::contains;
using zielwerk::testing::count;
using zielwerk::testing::lower;

// Every element opened is closed, in order; HTML's void elements and "<x/>"
// close themselves; the content of <style> is skipped. Not a parser, but it
// catches a broken concatenation.
bool balanced_html(const std::string& markup, std::string* problem) {
  static const std::set<std::string> kVoid = {"meta", "br", "link", "img", "hr", "input"};
  std::vector<std::string> open;
  std::size_t pos = 0;
  while ((pos = markup.find('<', pos)) != std::string::npos) {
    const auto end = markup.find('>', pos);
    if (end == std::string::npos) {
      *problem = "unterminated tag";
      return false;
    }
    const std::string tag = markup.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    if (tag.empty() || tag[0] == '!') continue;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) {
        *problem = "unexpected </" + tag.substr(1) + "> with <" +
                   (open.empty() ? std::string() : open.back()) + "> open";
        return false;
      }
      open.pop_back();
      continue;
    }
    if (tag.back() == '/') continue;
    const std::string name = tag.substr(0, tag.find_first_of(" \t\n"));
    if (kVoid.count(name)) continue;
    open.push_back(name);
    if (name == "style") {
      pos = markup.find("</style>", pos);
      if (pos == std::string::npos) {
        *problem = "unclosed style";
        return false;
      }
    }
  }
  if (!open.empty()) {
    *problem = "unclosed <" + open.back() + ">";
    return false;
  }
  return true;
}

using zielwerk::testing::at;

GoalRow target_goal(std::string id, std::string title, double actual, double target,
                    rules::GoalStatus status) {
  GoalRow row;
  row.id = std::move(id);
  row.title = std::move(title);
  row.section = "I";
  row.kind = rules::GoalKind::target;
  row.unit = rules::Unit::percent;
  row.status = status;
  row.actual = actual;
  row.target = target;
  row.op = rules::Comparison::at_least;
  row.tolerance = 0.5;
  row.gap = actual - target;
  row.forecast = actual + 0.1;
  row.forecast_status = status;
  row.reachable = status != rules::GoalStatus::missed;
  return row;
}

Chart chart_for(const GoalRow& goal) {
  Chart chart;
  chart.goal_id = goal.id;
  chart.title = goal.title;
  chart.kind = goal.kind;
  chart.unit = goal.unit;
  for (int i = 0; i < 24; ++i) {
    chart.course.push_back({YearMonth(2023, 7).plus_months(i), *goal.actual - 1 + 0.04 * i});
  }
  chart.course.back().value = goal.actual;
  chart.target = goal.target;
  chart.op = goal.op;
  chart.tolerance = goal.tolerance;
  chart.forecast = ChartPoint{YearMonth(2025, 12), goal.forecast};
  return chart;
}

// An agenda of the June 2025 review with one goal of each status.
Document agenda() {
  Document document;
  document.kind = DocumentKind::agenda;
  document.agreement_id = "me-aktiv-2025";
  document.agreement_title = "Zielvereinbarung 2025 Jobcenter ME-aktiv";
  document.agreement_year = 2025;
  document.parties = {{"ba", "Regionaldirektion NRW", rules::Carrier::ba},
                      {"kreis", "Kreis Mettmann", rules::Carrier::kommunal},
                      {"jc", "Jobcenter ME-aktiv", rules::Carrier::joint_institution}};
  document.review_id = "znd/2025-07-08";
  document.workflow_id = "znd";
  document.workflow_title = "Zielnachhaltedialog";
  document.participants = {document.parties[0], document.parties[2]};
  document.meeting_date = 2025y / July / 8d;
  document.meeting_starts_at = at("2025-07-08T08:00:00Z");
  document.time_zone = "Europe/Berlin";
  document.period = YearMonth(2025, 6);
  document.as_of = 2025y / July / 8d;
  document.figures_known_at = at("2025-07-07T14:30:00Z");
  document.rule_set_version = "3fa4b2c1d9e0aa11bb22cc33dd44ee55ff6677889900aabbccddeeff00112233";

  document.goals.push_back(
      target_goal("iq-gesamt", "Integrationsquote", 25.0, 24.5, rules::GoalStatus::met));
  document.goals.push_back(target_goal("iq-frauen", "Integrationsquote Frauen", 15.499999, 15.5,
                                       rules::GoalStatus::at_risk));
  // Judged against its Soll for June (from the previous year's course), which it
  // misses by less than the band there; its value is still provisional.
  GoalRow& on_path = document.goals.back();
  on_path.soll = 15.52;
  on_path.soll_gap = 15.499999 - 15.52;
  on_path.soll_source = rules::SollPathSpec::Source::previous_year;
  on_path.judged_against = rules::Reference::soll;
  on_path.edges = {15.52, 15.02, 15.5};
  on_path.planned_change_pct = -1.3;
  on_path.change_against_previous = -4.9;
  on_path.provisional = true;
  document.goals.push_back(
      target_goal("lzb", "Langzeitleistungsbezieher", 12.0, 14.0, rules::GoalStatus::missed));
  GoalRow no_data = target_goal("kdu", "Kosten der Unterkunft", 0, 1, rules::GoalStatus::no_data);
  no_data.actual.reset();
  no_data.gap.reset();
  no_data.forecast.reset();
  no_data.forecast_status.reset();
  no_data.reachable.reset();
  no_data.unit = rules::Unit::eur;
  no_data.responsibility = std::string("kommunal");
  document.goals.push_back(no_data);

  GoalRow monitoring;
  monitoring.id = "elb-bestand";
  monitoring.title = "Bestand eLb";
  monitoring.section = "IV";
  monitoring.kind = rules::GoalKind::monitoring;
  monitoring.status = rules::GoalStatus::observed;
  monitoring.actual = 10154;
  monitoring.previous = 10500;
  monitoring.change_pct = -3.295;
  monitoring.binding = false;
  document.goals.push_back(monitoring);

  GoalRow milestone;
  milestone.id = "netzwerk";
  milestone.title = "Netzwerk Alleinerziehende";
  milestone.section = "III";
  milestone.kind = rules::GoalKind::milestone;
  milestone.status = rules::GoalStatus::overdue;
  document.goals.push_back(milestone);

  for (const GoalRow& goal : document.goals) {
    if (goal.kind == rules::GoalKind::target && goal.actual)
      document.charts.push_back(chart_for(goal));
  }
  Chart kdu;
  kdu.goal_id = "kdu";
  kdu.title = "Kosten der Unterkunft";
  kdu.unit = rules::Unit::eur;
  kdu.target = 1;
  kdu.op = rules::Comparison::at_least;
  for (int i = 0; i < 24; ++i)
    kdu.course.push_back({YearMonth(2023, 7).plus_months(i), {}});
  document.charts.push_back(kdu);
  Chart monitoring_chart;
  monitoring_chart.goal_id = "elb-bestand";
  monitoring_chart.title = "Bestand eLb";
  monitoring_chart.kind = rules::GoalKind::monitoring;
  for (int m = 1; m <= 6; ++m) {
    monitoring_chart.course.push_back({YearMonth(2025, m), 10000.0 + 30 * m});
    monitoring_chart.previous_year.push_back({YearMonth(2024, m), 10400.0 + 20 * m});
  }
  document.charts.push_back(monitoring_chart);

  document.milestones.push_back({"netzwerk", "Netzwerk Alleinerziehende", "konzept", "Konzept",
                                 2025y / March / 31d, 2025y / March / 13d,
                                 rules::GoalStatus::done});
  document.milestones.push_back({"netzwerk", "Netzwerk Alleinerziehende", "start", "Auftakt",
                                 2025y / June / 30d, std::nullopt, rules::GoalStatus::overdue});
  document.milestones.push_back({"netzwerk", "Netzwerk Alleinerziehende", "bilanz", "Bilanz",
                                 2025y / November / 30d, std::nullopt, rules::GoalStatus::open});

  MeasureLine on_time;
  on_time.id = 7;
  on_time.goal_id = "iq-frauen";
  on_time.title = "Teilzeitausbildung bewerben";
  on_time.owner_party = "jc";
  on_time.owner_party_name = "Jobcenter ME-aktiv";
  on_time.assignee = "Team 3";
  on_time.agreed_in = "znd/2025-04-08";
  on_time.due = 2025y / September / 30d;
  on_time.status = domain::MeasureStatus::in_progress;
  MeasureLine overdue = on_time;
  overdue.id = 9;
  overdue.goal_id = "lzb";
  overdue.title = "Aktivierung Langzeitbezieher";
  overdue.due = 2025y / June / 15d;
  overdue.follow_up = 2025y / July / 1d;
  overdue.status = domain::MeasureStatus::agreed;
  overdue.overdue = true;
  overdue.last_note = "verschoben";
  document.measures = {on_time, overdue};  // the overdue one second: the renderer sorts

  EscalationLine escalation;
  escalation.kind = domain::EscalationKind::measure_overdue;
  escalation.goal_id = "lzb";
  escalation.measure_id = 9;
  escalation.party = "ba";
  escalation.party_name = "Regionaldirektion NRW";
  escalation.facts.legacy_reason = "Maßnahme 9 seit 15. Juni 2025 überfällig";
  escalation.raised_at = at("2025-06-30T22:30:00Z");
  document.escalations.push_back(escalation);
  document.missed_before = {"znd/2025-06-10"};
  return document;
}

Document minutes() {
  Document document = agenda();
  document.kind = DocumentKind::minutes;
  Minutes minutes;
  minutes.attendance = {"anna (Jobcenter)", "bernd (RD)"};
  minutes.assessments = {"Integrationen im Plan."};
  minutes.external_conditions = {"Arbeitsmarkt schwächer."};
  minutes.decisions = {"Quartalsbericht an den Beirat."};
  minutes.no_measures = {{"iq-gesamt", "Ziel erreicht"}};
  MeasureLine agreed;
  agreed.id = 12;
  agreed.goal_id = "iq-frauen";
  agreed.title = "Neue Maßnahme";
  agreed.owner_party = "jc";
  agreed.owner_party_name = "Jobcenter ME-aktiv";
  agreed.due = 2025y / October / 31d;
  minutes.agreed_measures = {agreed};
  minutes.follow_ups = {
      {7, "Teilzeitausbildung bewerben", domain::MeasureStatus::in_progress, "läuft", "anna"},
      {5, "Jobmesse", domain::MeasureStatus::done, "fand statt", "anna"},
      {6, "Flyer", domain::MeasureStatus::dropped, "nicht mehr nötig", "bernd"}};
  minutes.closed_at = at("2025-07-08T10:15:00Z");
  minutes.closed_by = "anna";
  document.minutes = minutes;
  return document;
}

Document year_overview() {
  Document document = agenda();
  document.kind = DocumentKind::year;
  document.review_id.clear();
  document.workflow_id.clear();
  document.workflow_title.clear();
  document.participants.clear();
  document.meeting_date.reset();
  document.meeting_starts_at.reset();
  document.missed_before.clear();
  return document;
}

Document empty_document() {
  Document document = agenda();
  document.goals.clear();
  document.charts.clear();
  document.milestones.clear();
  document.measures.clear();
  document.escalations.clear();
  document.missed_before.clear();
  return document;
}

void expect_safe_html(const std::string& html) {
  std::string problem;
  EXPECT_TRUE(balanced_html(html, &problem)) << problem;
  const std::string text = lower(html);
  EXPECT_FALSE(contains(text, "<script"));
  EXPECT_FALSE(contains(text, "http://"));
  EXPECT_FALSE(contains(text, "https://"));
  EXPECT_FALSE(contains(text, " src="));
  EXPECT_FALSE(contains(text, "href="));
  EXPECT_FALSE(contains(text, "url("));
  EXPECT_FALSE(contains(text, "@import"));
  EXPECT_FALSE(contains(text, "@font-face"));
  EXPECT_FALSE(contains(text, "onclick"));
  EXPECT_FALSE(contains(text, "nan"));
}

// ---------------------------------------------------------------------------
// HTML

TEST(RenderHtml, IsACompleteSelfContainedPage) {
  const std::string html = render_html(agenda(), Language::de);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"de\">", 0), 0u);
  EXPECT_TRUE(contains(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(contains(html,
                       "<title>Tagesordnung – Zielnachhaltedialog – Berichtsmonat Juni "
                       "2025</title>"));
  EXPECT_TRUE(contains(html, "<style>"));
  expect_safe_html(html);
  EXPECT_TRUE(
      render_html(agenda(), Language::en).starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}

TEST(RenderHtml, PrintsOnA4) {
  const std::string css = document_css();
  EXPECT_TRUE(contains(css, "@page { size: A4;"));
  EXPECT_TRUE(contains(css, "break-inside: avoid"));
  EXPECT_TRUE(contains(css, "thead { display: table-header-group; }"));
  EXPECT_TRUE(contains(css, "print-color-adjust: exact"));
}

TEST(RenderHtml, HeaderNamesAgreementPartiesMeetingAndData) {
  const std::string html = render_html(agenda(), Language::de);
  EXPECT_TRUE(contains(html, "Zielvereinbarung 2025 Jobcenter ME-aktiv (me-aktiv-2025), 2025"));
  EXPECT_TRUE(contains(html,
                       "Regionaldirektion NRW (BA); Kreis Mettmann (kommunal); Jobcenter "
                       "ME-aktiv (gE)"));
  EXPECT_TRUE(contains(html, "Zielnachhaltedialog – <time>8. Juli 2025, 10:00 Uhr</time>"));
  EXPECT_TRUE(contains(html, "<dd>znd/2025-07-08</dd>"));
  EXPECT_TRUE(contains(html, "<dt>Berichtsmonat</dt><dd>Juni 2025</dd>"));
  EXPECT_TRUE(contains(html, "<dt>Datenstand</dt><dd>7. Juli 2025, 16:30 Uhr</dd>"));
  EXPECT_TRUE(contains(html, ">3fa4b2c1d9e0</code>"));
  EXPECT_FALSE(contains(html, "class=\"notice\""));  // not late

  Document late = agenda();
  late.late = true;
  EXPECT_TRUE(contains(render_html(late, Language::de), "erst nach Beginn der Sitzung"));
}

TEST(RenderHtml, EveryGoalHasARowWithItsStatusAsTextAndSymbol) {
  const Document document = agenda();
  for (const Language language : {Language::de, Language::en}) {
    const std::string html = render_html(document, language);
    for (const GoalRow& goal : document.goals) {
      SCOPED_TRACE(goal.id);
      EXPECT_TRUE(contains(html, "<tr data-goal=\"" + goal.id + "\""));
      const std::string name = rules::to_string(goal.status);
      EXPECT_TRUE(contains(html, "<td class=\"status status-" + name + "\" data-status=\"" + name +
                                     "\">" + status_label(goal.status, language) + "</td>"));
    }
  }
  const std::string html = render_html(document, Language::de);
  EXPECT_TRUE(contains(html, ">✔ erreicht</td>"));
  EXPECT_TRUE(contains(html, ">▲ gefährdet</td>"));
  EXPECT_TRUE(contains(html, ">✖ verfehlt</td>"));
  EXPECT_TRUE(contains(html, ">? keine Daten</td>"));
  EXPECT_TRUE(contains(html, ">● beobachtet</td>"));
  EXPECT_TRUE(contains(html, ">✖ überfällig</td>"));
  EXPECT_TRUE(contains(html, "(nachrichtlich)"));
}

TEST(RenderHtml, StatusTableShowsValueTargetGapAndForecast) {
  const std::string html = render_html(agenda(), Language::de);
  // 15.499999 against 15.5 never reads as "15,5" on both sides; it is provisional, and
  // judged against its Soll 15,52 (from the previous year's course), 0,02 below it.
  EXPECT_TRUE(contains(html,
                       "<td class=\"num\">15,499999 %<span class=\"provisional\" "
                       "data-provisional=\"true\">vorläufig</span></td>"
                       "<td class=\"num soll\">15,52 %<span class=\"detail\">nach "
                       "Vorjahresverlauf</span></td><td class=\"num\">−0,02 Pp.</td>"
                       "<td class=\"num\">≥ 15,500000 %<span class=\"detail\">geplante "
                       "Veränderung −1,3 % · Veränderung ggü. Vorjahr −4,9 %</span></td>"));
  EXPECT_TRUE(contains(html, "<p class=\"note provisional-note\">Vorläufig: "));
  // Without a Soll the status was judged against the target, and the row says so.
  EXPECT_TRUE(contains(html,
                       "<td class=\"num\">12,0 %</td><td class=\"num soll\">–<span "
                       "class=\"detail\">gemessen am Zielwert</span></td>"
                       "<td class=\"num\">−2,0 Pp.</td><td class=\"num\">≥ 14,0 %</td>"));
  EXPECT_TRUE(contains(html, "data-forecast-status=\"missed\">✖ verfehlt</span>"));
  EXPECT_TRUE(contains(html, "<strong>nein</strong>"));
  // Monitoring: value, a year earlier, change.
  EXPECT_TRUE(contains(html,
                       "<td class=\"num\">10.154</td><td class=\"num\">10.500</td>"
                       "<td class=\"num\">−3,3 %</td>"));
  const std::string english = render_html(agenda(), Language::en);
  EXPECT_TRUE(contains(english,
                       "<td class=\"num\">10,154</td><td class=\"num\">10,500</td>"
                       "<td class=\"num\">-3.3 %</td>"));
  EXPECT_TRUE(contains(english, "<td class=\"num\">-2.0 pp</td>"));
}

TEST(RenderHtml, EveryTargetGoalHasAChart) {
  const Document document = agenda();
  const std::string html = render_html(document, Language::de);
  for (const GoalRow& goal : document.goals) {
    if (goal.kind == rules::GoalKind::milestone) continue;
    SCOPED_TRACE(goal.id);
    EXPECT_EQ(count(html, "<svg class=\"chart\" data-goal=\"" + goal.id + "\""), 1u);
    EXPECT_EQ(count(html, "<figure class=\"chart-figure\" data-goal=\"" + goal.id + "\""), 1u);
  }
  // Target charts in the course section, monitoring in its own.
  const auto course = html.find("<section id=\"course\">");
  const auto monitoring = html.find("<section id=\"monitoring\">");
  ASSERT_LT(course, monitoring);
  EXPECT_GT(html.find("<svg class=\"chart\" data-goal=\"elb-bestand\""), monitoring);
  EXPECT_LT(html.find("<svg class=\"chart\" data-goal=\"iq-frauen\""), monitoring);
}

TEST(RenderHtml, WithheldChartsSayWhyInBothFormats) {
  Document document = agenda();
  document.charts.clear();
  document.charts_withheld = true;
  const std::string html = render_html(document, Language::de);
  EXPECT_EQ(count(html, "<svg"), 0u);
  EXPECT_EQ(count(html, "Das Regelwerk hat sich geändert"), 2u);  // courses and monitoring
  EXPECT_TRUE(contains(render_markdown(document, Language::en), "the rules changed since"));
}

TEST(RenderHtml, SectionsInMeetingOrder) {
  const std::string html = render_html(minutes(), Language::de);
  const std::vector<std::string> order = {"id=\"attendance\"",   "id=\"status\"",
                                          "id=\"course\"",       "id=\"monitoring\"",
                                          "id=\"milestones\"",   "id=\"measures\"",
                                          "id=\"escalations\"",  "id=\"missed\"",
                                          "id=\"assessment\"",   "id=\"external-conditions\"",
                                          "id=\"decisions\"",    "id=\"no-measure\"",
                                          "id=\"new-measures\"", "id=\"follow-ups\"",
                                          "id=\"closure\"",      "<footer>"};
  std::size_t previous = 0;
  for (const std::string& marker : order) {
    const auto pos = html.find(marker);
    ASSERT_NE(pos, std::string::npos) << marker;
    EXPECT_GT(pos, previous) << marker;
    previous = pos;
  }
}

TEST(RenderHtml, OverdueMeasuresFirstAndFlagged) {
  const std::string html = render_html(agenda(), Language::de);
  const auto overdue = html.find("data-measure=\"9\"");
  const auto on_time = html.find("data-measure=\"7\"");
  ASSERT_NE(overdue, std::string::npos);
  ASSERT_NE(on_time, std::string::npos);
  EXPECT_LT(overdue, on_time);
  EXPECT_TRUE(
      contains(html, "<tr class=\"measure overdue\" data-goal=\"lzb\" data-measure=\"9\">"));
  EXPECT_TRUE(contains(html,
                       "15. Juni 2025<span class=\"flag-overdue\" data-overdue=\"true\">✖ "
                       "überfällig</span>"));
  EXPECT_TRUE(contains(html, "data-status=\"agreed\">○ vereinbart</td>"));
  EXPECT_TRUE(contains(html, "data-status=\"in_progress\">◐ in Arbeit</td>"));
  EXPECT_TRUE(contains(html, "Jobcenter ME-aktiv<span class=\"detail\">Team 3</span>"));
}

TEST(RenderHtml, MilestonesAndEscalations) {
  const std::string html = render_html(agenda(), Language::de);
  EXPECT_TRUE(contains(html, "<tr data-goal=\"netzwerk\" data-milestone=\"start\">"));
  EXPECT_TRUE(contains(html,
                       ">30. Juni 2025</td><td class=\"date\">–</td><td class=\"status "
                       "status-overdue\" data-status=\"overdue\">✖ überfällig</td>"));
  EXPECT_TRUE(contains(html, ">13. März 2025</td>"));
  EXPECT_TRUE(contains(html,
                       "data-goal=\"lzb\" data-kind=\"measure_overdue\">"
                       "<strong>✖ Maßnahme überfällig</strong>"));
  // Raised 22:30 UTC on 30 June is 1 July in Berlin.
  EXPECT_TRUE(contains(html, "an Regionaldirektion NRW – erhoben am 1. Juli 2025"));
  EXPECT_TRUE(contains(html, "<li>znd/2025-06-10</li>"));
}

TEST(RenderHtml, MinutesOnlySectionsAreAbsentInAgendas) {
  const std::string agenda_html = render_html(agenda(), Language::de);
  for (const std::string id : {"attendance", "assessment", "external-conditions", "decisions",
                               "no-measure", "new-measures", "follow-ups", "closure"}) {
    EXPECT_FALSE(contains(agenda_html, "<section id=\"" + id + "\">")) << id;
  }
  EXPECT_FALSE(contains(agenda_html, "Beschlüsse"));
  EXPECT_FALSE(contains(agenda_html, "Anwesenheit"));
  // Even when an agenda document carries minutes by mistake.
  Document odd = minutes();
  odd.kind = DocumentKind::agenda;
  EXPECT_FALSE(contains(render_html(odd, Language::de), "Anwesenheit"));
}

TEST(RenderHtml, MinutesShowWhatWasRecorded) {
  const std::string html = render_html(minutes(), Language::de);
  EXPECT_TRUE(contains(html, "<title>Protokoll – Zielnachhaltedialog – Berichtsmonat Juni 2025"));
  EXPECT_TRUE(contains(html, "<li>anna (Jobcenter)</li>"));
  EXPECT_TRUE(contains(html, "<li>Integrationen im Plan.</li>"));
  EXPECT_TRUE(contains(html, "<li>Arbeitsmarkt schwächer.</li>"));
  EXPECT_TRUE(contains(html, "<li>Quartalsbericht an den Beirat.</li>"));
  EXPECT_TRUE(contains(html,
                       "<li data-goal=\"iq-gesamt\"><strong>Integrationsquote</strong> "
                       "(iq-gesamt): Ziel erreicht</li>"));
  EXPECT_TRUE(contains(html, "data-measure=\"12\""));
  EXPECT_TRUE(contains(html, "<td>läuft</td><td>anna</td>"));
  EXPECT_TRUE(contains(html, "data-status=\"done\">✔ erledigt</td><td>fand statt</td>"));
  EXPECT_TRUE(contains(html, "data-status=\"dropped\">✕ verworfen</td><td>nicht mehr nötig</td>"));
  EXPECT_TRUE(contains(html, ">○ offen</td>"));
  EXPECT_TRUE(contains(html, "<dd>8. Juli 2025, 12:15 Uhr</dd>"));
  expect_safe_html(html);
}

TEST(RenderHtml, EmptyMinutesSectionsSaySo) {
  Document document = minutes();
  document.minutes = Minutes{};
  const std::string html = render_html(document, Language::de);
  EXPECT_EQ(count(html, "Nichts festgehalten."), 5u);  // attendance .. no measure
  EXPECT_TRUE(contains(html, "Keine neuen Maßnahmen vereinbart."));
  EXPECT_TRUE(contains(html, "Keine Nachverfolgung festgehalten."));
  EXPECT_TRUE(contains(html, "Der Termin ist noch nicht abgeschlossen."));
}

TEST(RenderHtml, EmptySectionsSaySoRatherThanVanish) {
  const std::string german = render_html(empty_document(), Language::de);
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine Ziele.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine Zielwerte.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine Monitoring-Größen.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine Meilensteine.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine offenen Maßnahmen.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine Eskalationen.</p>"));
  EXPECT_TRUE(contains(german, "<p class=\"empty\">Keine ausgefallenen Termine.</p>"));
  expect_safe_html(german);
  const std::string english = render_html(empty_document(), Language::en);
  EXPECT_TRUE(contains(english, "<p class=\"empty\">No open measures.</p>"));
  EXPECT_TRUE(contains(english, "<p class=\"empty\">No escalations.</p>"));
}

TEST(RenderHtml, YearOverviewHasNoMeeting) {
  const std::string html = render_html(year_overview(), Language::de);
  EXPECT_TRUE(contains(html,
                       "<title>Jahresübersicht – Zielvereinbarung 2025 Jobcenter ME-aktiv – "
                       "Berichtsmonat Juni 2025</title>"));
  EXPECT_FALSE(contains(html, "<dt>Sitzung</dt>"));
  EXPECT_FALSE(contains(html, "id=\"missed\""));
  EXPECT_FALSE(contains(html, "Anwesenheit"));
  EXPECT_TRUE(contains(html, "id=\"measures\""));
  expect_safe_html(html);
}

TEST(RenderHtml, FooterNamesZielwerkAndTheData) {
  const std::string html = render_html(agenda(), Language::de);
  const auto footer = html.find("<footer>");
  ASSERT_NE(footer, std::string::npos);
  const std::string text = html.substr(footer);
  EXPECT_TRUE(contains(text, "Erstellt mit zielwerk"));
  EXPECT_TRUE(contains(text, "Datenstand: 7. Juli 2025, 16:30 Uhr"));
  EXPECT_TRUE(contains(text, "Regelwerk: <code title=\"3fa4b2c1d9e0aa11"));
  Document unknown = agenda();
  unknown.figures_known_at.reset();
  EXPECT_TRUE(contains(render_html(unknown, Language::en), "Figures known at: not recorded"));
}

TEST(RenderHtml, EnglishWordsAndDates) {
  const std::string html = render_html(minutes(), Language::en);
  EXPECT_TRUE(contains(html, "<title>Minutes – Zielnachhaltedialog – Reporting month June 2025"));
  EXPECT_TRUE(contains(html, ">✔ met</td>"));
  EXPECT_TRUE(contains(html, ">▲ at risk</td>"));
  EXPECT_TRUE(contains(html, "Zielnachhaltedialog – <time>8 Jul 2025, 10:00</time>"));
  EXPECT_TRUE(contains(html, "Regionaldirektion NRW (BA); Kreis Mettmann (municipal)"));
  EXPECT_TRUE(contains(html, "Made with zielwerk"));
  EXPECT_FALSE(contains(html, "Berichtsmonat"));
  EXPECT_FALSE(contains(html, ">✔ erreicht<"));
}

// Text from data may contain anything: it is escaped everywhere it appears.
Document hostile() {
  Document document = minutes();
  const std::string evil =
      "<script>alert(1)</script> & | *fett* _x_ [a](javascript:x) `c`\n# zweite";
  document.agreement_title = evil;
  document.workflow_title = evil;
  document.parties[0].name = evil;
  document.goals[0].title = evil;
  document.goals[0].section = evil;
  document.charts[0].title = evil;
  document.milestones[0].title = evil;
  document.measures[0].title = evil;
  document.measures[0].last_note = evil;
  document.measures[0].assignee = evil;
  document.escalations[0].facts.legacy_reason = evil;
  document.missed_before[0] = evil;
  document.minutes->attendance[0] = evil;
  document.minutes->assessments[0] = "- " + evil;
  document.minutes->decisions[0] = "1. " + evil;
  document.minutes->no_measures[0].reason = evil;
  document.minutes->follow_ups[0].note = evil;
  document.minutes->closed_by = evil;
  return document;
}

TEST(RenderHtml, EscapesHostileText) {
  const std::string html = render_html(hostile(), Language::de);
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; | *fett*"));
  EXPECT_TRUE(contains(html, "`c`<br># zweite"));  // line breaks kept as <br>
  std::string problem;
  EXPECT_TRUE(balanced_html(html, &problem)) << problem;
}

TEST(HtmlParts, EveryStatusHasItsCellInBothLanguages) {
  std::vector<GoalRow> rows;
  for (const std::string& name : rules::goal_status_names()) {
    GoalRow row;
    row.id = "goal-" + name;
    row.title = name;
    row.kind = rules::GoalKind::target;
    row.status = *rules::parse_goal_status(name);
    rows.push_back(row);
  }
  for (const Language language : {Language::de, Language::en}) {
    const std::string html = html_status_table(rows, language);
    for (const GoalRow& row : rows) {
      const std::string name = rules::to_string(row.status);
      EXPECT_TRUE(contains(html, "<tr data-goal=\"goal-" + name + "\""));
      EXPECT_TRUE(contains(html, "<td class=\"status status-" + name + "\" data-status=\"" + name +
                                     "\">" + status_label(row.status, language) + "</td>"))
          << name;
    }
  }
  std::vector<MeasureLine> measures;
  for (const std::string& name : domain::measure_status_names()) {
    MeasureLine line;
    line.title = name;
    line.status = *domain::parse_measure_status(name);
    measures.push_back(line);
  }
  for (const Language language : {Language::de, Language::en}) {
    const std::string html = html_measures_table(measures, language);
    for (const MeasureLine& line : measures) {
      const std::string name = domain::to_string(line.status);
      EXPECT_TRUE(contains(html, "<td class=\"status status-" + name + "\" data-status=\"" + name +
                                     "\">" + status_label(line.status, language) + "</td>"))
          << name;
    }
  }
}

TEST(HtmlParts, EscapeCoversAttributeQuotes) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(html_escape("Größe"), "Größe");
}

// ---------------------------------------------------------------------------
// Markdown

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(RenderMarkdown, HeaderAndTitle) {
  const std::string md = render_markdown(agenda(), Language::de);
  EXPECT_TRUE(md.starts_with("# Tagesordnung – Zielnachhaltedialog – Berichtsmonat Juni 2025\n"));
  EXPECT_TRUE(contains(md,
                       "- **Zielvereinbarung:** Zielvereinbarung 2025 Jobcenter ME-aktiv "
                       "(me-aktiv-2025), 2025\n"));
  EXPECT_TRUE(contains(md, "- **Sitzung:** Zielnachhaltedialog – 8. Juli 2025, 10:00 Uhr\n"));
  EXPECT_TRUE(contains(md, "- **Berichtsmonat:** Juni 2025\n"));
  EXPECT_TRUE(contains(md, "- **Datenstand:** 7. Juli 2025, 16:30 Uhr\n"));
  EXPECT_TRUE(contains(md, "- **Regelwerk:** 3fa4b2c1d9e0\n"));
  EXPECT_FALSE(contains(md, "<script"));
  EXPECT_FALSE(contains(md, "http"));
}

TEST(RenderMarkdown, StatusTableWithSymbolAndWord) {
  const Document document = agenda();
  const std::string md = render_markdown(document, Language::de);
  for (const GoalRow& goal : document.goals) {
    EXPECT_TRUE(contains(md, "| " + goal.title + " (" + goal.id + ")")) << goal.id;
  }
  EXPECT_TRUE(contains(md,
                       "| Ist | Soll (Monat) | Abstand zum Soll | Zielwert (Jahr) | Prognose "
                       "Jahresende | Erreichbar |"));
  EXPECT_TRUE(contains(md,
                       "| I | Integrationsquote (iq-gesamt) | BA | ✔ erreicht | 25,0 % | "
                       "–<br>*gemessen am Zielwert* | +0,5 Pp. | ≥ 24,5 % | 25,1 % (✔ erreicht) | "
                       "ja |"));
  EXPECT_TRUE(contains(md,
                       "| ▲ gefährdet | 15,499999 % (vorläufig) | 15,52 %<br>*nach "
                       "Vorjahresverlauf* | −0,02 Pp. | ≥ 15,500000 %<br>*geplante Veränderung "
                       "−1,3 % · Veränderung ggü. Vorjahr −4,9 %* |"));
  EXPECT_TRUE(contains(md, "*Vorläufig: Der Wert enthält Zahlen, deren Wartezeit"));
  EXPECT_TRUE(
      contains(md, "| ✖ verfehlt | 12,0 % | –<br>*gemessen am Zielwert* | −2,0 Pp. | ≥ 14,0 % |"));
  EXPECT_TRUE(contains(
      md, "| kommunal | ? keine Daten | – | –<br>*gemessen am Zielwert* | – | ≥ 1 € | – | – |"));
  EXPECT_TRUE(contains(md, "| ● beobachtet | 10.154 | 10.500 | −3,3 % |"));
  EXPECT_TRUE(contains(md, "*nachrichtlich*"));
  EXPECT_TRUE(contains(md, "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"));
}

TEST(RenderMarkdown, CourseTablesInsteadOfCharts) {
  const std::string md = render_markdown(agenda(), Language::de);
  EXPECT_TRUE(contains(md,
                       "| Ziel | Jan 2025 | Feb 2025 | Mär 2025 | Apr 2025 | Mai 2025 | Jun "
                       "2025 | Prognose | Ziel |"));
  // iq-frauen ends at 15.499999 against 15.5; its forecast 15.599999.
  EXPECT_TRUE(contains(md, "| Integrationsquote Frauen (iq-frauen) |"));
  EXPECT_TRUE(contains(md, "| 15,499999 % | 15,6 % (Dez 2025) | ≥ 15,5 % |"));
  EXPECT_TRUE(contains(md, "| Kosten der Unterkunft (kdu) | – | – | – | – | – | – | – | ≥ 1 € |"));
  // Monitoring: the course and, below it, the same months a year earlier.
  EXPECT_TRUE(contains(md,
                       "| Bestand eLb (elb-bestand) | 10.030 | 10.060 | 10.090 | 10.120 | "
                       "10.150 | 10.180 |"));
  EXPECT_TRUE(contains(md,
                       "| ↳ ein Jahr zuvor | 10.420 | 10.440 | 10.460 | 10.480 | 10.500 | "
                       "10.520 |"));
}

TEST(RenderMarkdown, MeasuresOverdueFirst) {
  const std::string md = render_markdown(agenda(), Language::de);
  const auto overdue = md.find("| 9 | Aktivierung Langzeitbezieher");
  const auto on_time = md.find("| 7 | Teilzeitausbildung bewerben");
  ASSERT_NE(overdue, std::string::npos);
  ASSERT_NE(on_time, std::string::npos);
  EXPECT_LT(overdue, on_time);
  EXPECT_TRUE(contains(md,
                       "| 15. Juni 2025 **✖ überfällig** | 1. Juli 2025 | ○ vereinbart | "
                       "verschoben |"));
  EXPECT_TRUE(contains(md,
                       "- **✖ Maßnahme überfällig** – Ziel lzb, Maßnahme Nr. 9 – an "
                       "Regionaldirektion NRW – erhoben am 1. Juli 2025: Maßnahme 9 seit "
                       "15. Juni 2025 überfällig\n"));
  EXPECT_TRUE(contains(md,
                       "| Netzwerk Alleinerziehende (netzwerk) | Auftakt | 30. Juni 2025 | – | "
                       "✖ überfällig |"));
}

TEST(RenderMarkdown, EmptySectionsSaySo) {
  const std::string md = render_markdown(empty_document(), Language::de);
  EXPECT_TRUE(contains(md, "*Keine Ziele.*"));
  EXPECT_TRUE(contains(md, "*Keine Zielwerte.*"));
  EXPECT_TRUE(contains(md, "*Keine Monitoring-Größen.*"));
  EXPECT_TRUE(contains(md, "*Keine Meilensteine.*"));
  EXPECT_TRUE(contains(md, "*Keine offenen Maßnahmen.*"));
  EXPECT_TRUE(contains(md, "*Keine Eskalationen.*"));
  EXPECT_TRUE(contains(md, "*Keine ausgefallenen Termine.*"));
  EXPECT_TRUE(contains(render_markdown(empty_document(), Language::en), "*No open measures.*"));
}

TEST(RenderMarkdown, MinutesOnlyInMinutes) {
  const std::string agenda_md = render_markdown(agenda(), Language::de);
  for (const std::string heading :
       {"## Anwesenheit", "## Bewertung", "## Externe Rahmenbedingungen", "## Beschlüsse",
        "## Neu vereinbarte Maßnahmen", "## Nachverfolgung von Maßnahmen", "## Abschluss"}) {
    EXPECT_FALSE(contains(agenda_md, heading)) << heading;
  }
  const std::string md = render_markdown(minutes(), Language::de);
  EXPECT_TRUE(md.starts_with("# Protokoll – "));
  EXPECT_TRUE(contains(md, "## Anwesenheit\n\n- anna (Jobcenter)\n- bernd (RD)\n"));
  EXPECT_TRUE(contains(md,
                       "## Beschlüsse ohne Maßnahme\n\n- **Integrationsquote** (iq-gesamt): "
                       "Ziel erreicht\n"));
  EXPECT_TRUE(contains(md, "| 12 | Neue Maßnahme |"));
  EXPECT_TRUE(contains(md, "| 7 | Teilzeitausbildung bewerben | ◐ in Arbeit | läuft | anna |"));
  EXPECT_TRUE(contains(md, "- **Abgeschlossen am:** 8. Juli 2025, 12:15 Uhr\n"));
  EXPECT_TRUE(contains(md, "- **Abgeschlossen von:** anna\n"));
}

TEST(RenderMarkdown, YearOverview) {
  const std::string md = render_markdown(year_overview(), Language::en);
  EXPECT_TRUE(
      md.starts_with("# Year overview – Zielvereinbarung 2025 Jobcenter ME-aktiv – "
                     "Reporting month June 2025\n"));
  EXPECT_FALSE(contains(md, "**Meeting:**"));
  EXPECT_FALSE(contains(md, "## Missed reviews"));
  EXPECT_TRUE(contains(md, "| I | Integrationsquote (iq-gesamt) | BA | ✔ met | 25.0 % |"));
}

TEST(RenderMarkdown, FooterNamesZielwerkAndTheData) {
  const std::string md = render_markdown(agenda(), Language::de);
  EXPECT_TRUE(contains(md,
                       "\n---\n\nErstellt mit zielwerk · Datenstand: 7. Juli 2025, 16:30 Uhr · "
                       "Regelwerk: 3fa4b2c1d9e0aa11"));
}

TEST(RenderMarkdown, EscapesHostileText) {
  const std::string md = render_markdown(hostile(), Language::de);
  EXPECT_FALSE(contains(md, "<script"));
  EXPECT_FALSE(contains(md, "[a](javascript"));
  EXPECT_TRUE(contains(md,
                       "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\| \\*fett\\* \\_x\\_ "
                       "\\[a\\](javascript:x) \\`c\\`<br>\\# zweite"));
  // List items from data cannot open nested lists.
  EXPECT_TRUE(contains(md, "\n- \\- &lt;script&gt;"));
  EXPECT_TRUE(contains(md, "\n- 1\\. &lt;script&gt;"));
  // Tables stay tables: every line of a table starts and ends with a pipe
  // and has as many cells as its header.
  const std::vector<std::string> lines = lines_of(md);
  std::size_t columns = 0;
  for (const std::string& line : lines) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    EXPECT_TRUE(line.ends_with(" |")) << line;
    std::size_t cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
    }
    if (columns == 0) columns = cells;
    EXPECT_EQ(cells, columns) << line;
  }
  // Headings come only from the renderer.
  for (const std::string& line : lines) {
    if (line.starts_with("#")) {
      EXPECT_TRUE(line.starts_with("# ") || line.starts_with("## ")) << line;
    }
  }
}

}  // namespace
}  // namespace zielwerk::report
