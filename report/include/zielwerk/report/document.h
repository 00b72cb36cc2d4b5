// A meeting document as data: what an agenda, the minutes of a review or the
// year overview show, independent of language and output format. The builder
// (report/build.h) fills it from the project and the database; the renderers
// (report/render.h) turn it into Markdown or HTML. Plain values, no pointers
// into the project, so a document can outlive the project it was built from.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/agenda.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::report {

enum class DocumentKind {
  agenda,   // a prepared review before it was closed
  minutes,  // a closed review: the agenda plus what was recorded
  year      // `report year`: the whole agreement at one reporting month
};

struct PartyLine {
  std::string id;
  std::string name;
  rules::Carrier carrier = rules::Carrier::ba;
};

// One row of the status table.
struct GoalRow {
  std::string id;
  std::string title;
  std::string section;  // I, II, III, IV
  rules::GoalKind kind = rules::GoalKind::target;
  rules::Responsibility responsibility = "BA";
  bool binding = true;
  rules::GoalStatus status = rules::GoalStatus::no_data;
  rules::Unit unit = rules::Unit::count;
  bool provisional = false;  // target and monitoring goals: figures within their release lag
  // target goals
  std::optional<double> actual;
  std::optional<double> target;  // the yearly target (computed for a relative one)
  std::optional<rules::Comparison> op;
  double tolerance = 0;
  std::optional<double> gap;       // actual - target, in the goal's unit
  std::optional<double> soll;      // the Soll path at the month
  std::optional<double> soll_gap;  // actual - soll
  std::optional<rules::SollPathSpec::Source> soll_source;
  rules::Reference judged_against = rules::Reference::target;
  std::vector<double> edges;                      // where the status turns (AgendaGoal::edges)
  std::optional<double> target_change_pct;        // a relative target's change
  std::optional<double> planned_change_pct;       // a declared target's planned change
  std::optional<double> previous_year;            // the value at December of the previous year
  std::optional<double> change_against_previous;  // target goals: actual against M − 12, in %
  std::optional<double> forecast;
  std::optional<rules::GoalStatus> forecast_status;
  std::optional<bool> reachable;
  // monitoring goals (actual is the month's value)
  std::optional<double> previous;
  std::optional<double> change_pct;
};

struct ChartPoint {
  YearMonth month;
  std::optional<double> value;  // none: no data for that month
};

// One chart per target goal (the JFW course against the target and the
// year-end forecast) and per monitoring goal (the monthly course against the
// same months a year earlier).
struct Chart {
  std::string goal_id;
  std::string title;
  rules::GoalKind kind = rules::GoalKind::target;
  rules::Unit unit = rules::Unit::count;
  std::vector<ChartPoint> course;  // oldest first, ending with the reporting month
  // Target goals.
  std::optional<double> target;
  std::optional<rules::Comparison> op;
  double tolerance = 0;
  std::optional<ChartPoint> forecast;  // the year-end forecast (December of the agreement year)
  // The Soll path through the agreement year, January..December (empty when
  // the goal has none); the tolerance band follows it, scaled as the
  // evaluation scales it (rules/target_path.h).
  std::vector<ChartPoint> soll_path;
  // Monitoring goals: the value of the same month a year earlier, for each
  // month of `course` (same length, same order).
  std::vector<ChartPoint> previous_year;
};

struct MilestoneLine {
  std::string goal_id;
  std::string goal_title;
  std::string milestone_id;
  std::string title;
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> done_on;
  rules::GoalStatus status = rules::GoalStatus::open;  // done, open, overdue
};

struct MeasureLine {
  std::int64_t id = 0;
  std::string goal_id;
  std::string title;
  std::string owner_party;       // party id
  std::string owner_party_name;  // for display; the id when the party is unknown
  std::string assignee;
  std::string agreed_in;  // review id
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> follow_up;
  domain::MeasureStatus status = domain::MeasureStatus::agreed;
  bool overdue = false;
  std::string last_note;  // the latest follow-up's note, if any
};

struct EscalationLine {
  domain::EscalationKind kind = domain::EscalationKind::measure_demanded;
  std::string goal_id;
  std::optional<std::int64_t> measure_id;
  std::string milestone;
  std::string party;              // escalated to (party id)
  std::string party_name;         // for display
  domain::EscalationFacts facts;  // worded by the renderer in its language
  Timestamp raised_at{};

  // The escalation as the catalogue words it (locale::escalation_reason).
  domain::AgendaEscalation as_escalation() const {
    return {kind, goal_id, measure_id, milestone, party, raised_at, facts};
  }
};

struct FollowUpLine {
  std::int64_t measure_id = 0;
  std::string measure_title;
  domain::MeasureStatus status = domain::MeasureStatus::agreed;  // after the follow-up
  std::string note;
  std::string actor;
};

// What was recorded in a review (minutes documents only).
struct Minutes {
  std::vector<std::string> attendance;  // the names of the actors or parties recorded
  std::vector<std::string> assessments;
  std::vector<std::string> external_conditions;
  std::vector<std::string> decisions;
  struct NoMeasure {
    std::string goal_id;
    std::string reason;
  };
  std::vector<NoMeasure> no_measures;
  std::vector<MeasureLine> agreed_measures;  // newly agreed in this review
  std::vector<FollowUpLine> follow_ups;      // recorded for this review
  std::optional<Timestamp> closed_at;
  std::string closed_by;
};

struct Document {
  DocumentKind kind = DocumentKind::agenda;
  // The agreement.
  std::string agreement_id;
  std::string agreement_title;
  int agreement_year = 0;
  std::vector<PartyLine> parties;
  // The meeting (agenda and minutes; empty for the year overview).
  std::string review_id;
  std::string workflow_id;
  std::string workflow_title;
  std::vector<PartyLine> participants;
  std::optional<std::chrono::year_month_day> meeting_date;  // local
  std::optional<Timestamp> meeting_starts_at;
  std::string time_zone;  // for showing times in local time
  bool late = false;
  std::vector<std::string> missed_before;  // review ids
  // What the document reports on.
  YearMonth period;                           // the reporting month
  std::chrono::year_month_day as_of{};        // overdue is judged on this day
  std::optional<Timestamp> figures_known_at;  // the data revisions known then
  std::string rule_set_version;
  std::vector<GoalRow> goals;  // in the order of the rule files
  std::vector<Chart> charts;   // in the order of `goals`
  // A review prepared under other rules than today's: its courses cannot be
  // recomputed as the meeting saw them, so `charts` is empty and the
  // documents say why instead of drawing lines the table does not match.
  bool charts_withheld = false;
  std::vector<MilestoneLine> milestones;
  std::vector<MeasureLine> measures;  // open measures (overdue flagged)
  std::vector<EscalationLine> escalations;
  std::optional<Minutes> minutes;  // DocumentKind::minutes only
};

}  // namespace zielwerk::report
