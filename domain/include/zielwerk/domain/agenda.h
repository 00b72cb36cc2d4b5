// What a review froze when it was prepared, as values: the evaluation of the
// reviewed month (the snapshot) and the agenda built from it. The same goal
// facts are what `evaluate --format json` prints, so a review's snapshot reads
// exactly like an evaluation. Plain values without pointers into the rule
// set: a stored agenda outlives the rules it was prepared under.
//
// Their one JSON form (versioned, "agenda_version" / "snapshot_version") is
// engine/documents.h; everything else passes these structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::domain {

struct ForecastFacts {
  YearMonth period;  // December of the agreement year
  std::optional<double> value;
  rules::GoalStatus status = rules::GoalStatus::no_data;
  std::optional<double> best_case;
  bool reachable = false;
};

struct MilestoneFacts {
  std::string id;
  std::string title;
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> done_on;
  rules::GoalStatus status = rules::GoalStatus::open;  // done, open or overdue
};

// One goal at a reporting month: its definition as far as a reader needs it,
// its status and, by kind, the figures behind it.
struct AgendaGoal {
  std::string id;
  std::string title;
  std::string section;
  rules::GoalKind kind = rules::GoalKind::target;
  rules::Responsibility responsibility = "BA";
  bool binding = true;
  rules::GoalStatus status = rules::GoalStatus::no_data;
  // Target and monitoring goals.
  std::string metric;
  std::optional<double> actual;
  std::optional<rules::Unit> unit;
  bool provisional = false;  // the value reads figures still within their release lag
  // The value a year earlier (monitoring: the same month; target goals: the
  // same formula at M − 12) and the change against it in percent.
  std::optional<double> previous;
  std::optional<double> change_pct;
  // Target goals.
  std::optional<double> target;  // the yearly target (computed for a relative one)
  std::optional<rules::Comparison> op;
  double tolerance = 0;
  std::optional<double> target_change_pct;   // a relative target: the change it allows
  std::optional<double> planned_change_pct;  // beside a declared target: the planned change
  std::optional<double> previous_year;       // the value at December of the previous year
  std::optional<double> soll;                // the Soll path at the month
  std::optional<rules::SollPathSpec::Source> soll_source;
  std::string soll_why_missing;  // in the agreement year without a Soll: why
  rules::Reference judged_against = rules::Reference::target;
  double judged_tolerance = 0;  // the band at what the status was judged against
  std::optional<ForecastFacts> forecast;
  // Milestone goals.
  std::vector<MilestoneFacts> milestones;
  std::string why_missing;  // no_data: the first missing input

  // actual − target in the goal's unit, when both exist.
  std::optional<double> gap() const;
  // actual − soll in the goal's unit, when both exist.
  std::optional<double> soll_gap() const;
  // What the status was judged against: the Soll, or the target.
  std::optional<double> reference() const {
    return judged_against == rules::Reference::soll ? soll : target;
  }
  // Where the status turns: the reference, the edge of its tolerance band
  // (below a floor, above a ceiling) and the yearly target. A value is shown
  // with the digits that tell it apart from each of them.
  std::vector<double> edges() const;
};

// The evaluation of one reporting month: what `evaluate --format json` prints.
struct Evaluation {
  std::string agreement;
  YearMonth period;
  std::optional<Timestamp> known_at;
  std::string rule_set_version;
  std::vector<AgendaGoal> goals;  // in the order of the rule files
};

// An import whose rows a snapshot read: enough to find each revision again.
struct DataRevision {
  std::int64_t import_id = 0;
  std::string file;
  std::string sha256;
  Timestamp imported_at{};
  std::int64_t rows = 0;
};

struct Snapshot {
  Evaluation evaluation;
  std::optional<Timestamp> figures_known_at;
  Timestamp prepared_at{};
  std::vector<DataRevision> data_revisions;  // by import id
};

// A measure up for follow-up, as it stood when the agenda was prepared.
struct AgendaMeasure {
  std::int64_t id = 0;
  std::string goal;
  std::string title;
  std::string agreed_in;  // review id
  std::string owner;      // party id
  std::string assignee;
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> follow_up;
  MeasureStatus status = MeasureStatus::agreed;
  bool overdue = false;        // on the meeting's day
  bool follow_up_due = false;  // on the meeting's day
};

// An escalation on the agenda: what it is about and its facts, no sentence.
struct AgendaEscalation {
  EscalationKind kind = EscalationKind::measure_demanded;
  std::string goal;
  std::optional<std::int64_t> measure;
  std::string milestone;
  std::string party;  // escalated to
  Timestamp raised_at{};
  EscalationFacts facts;
};

struct Agenda {
  std::string review;  // the review's id
  std::string workflow;
  std::string title;                      // the workflow's title
  std::vector<std::string> participants;  // party ids
  YearMonth period;                       // the reviewed month
  std::chrono::year_month_day meeting_date{};
  Timestamp starts_at{};
  std::string holiday;  // the holiday the meeting was moved for, if any
  bool late = false;
  std::vector<AgendaGoal> goals;  // the workflow's scope
  std::vector<AgendaMeasure> measures;
  std::vector<AgendaEscalation> escalations;
  std::vector<std::string> missed_reviews;  // since the last held one
};

// The measure as the agenda of a meeting on `meeting_day` shows it.
AgendaMeasure agenda_measure(const Measure& measure, std::chrono::year_month_day meeting_day);
// The escalation as an agenda shows it.
AgendaEscalation agenda_escalation(const Escalation& escalation);

}  // namespace zielwerk::domain
