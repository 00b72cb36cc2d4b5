// `zielwerk evaluate`: every goal of the agreement for one reporting month,
// on the stored observations (the latest revisions, or those known at a past
// time), with the year-end forecast and, on request, the numbers behind a value.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/forecast.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/observation_store.h"

namespace zielwerk::engine {

struct MilestoneState {
  const rules::Milestone* milestone = nullptr;
  std::optional<std::chrono::year_month_day> done_on;  // recorded and on or before the period end
  rules::GoalStatus status = rules::GoalStatus::open;  // done, open or overdue
};

struct GoalEvaluation {
  rules::GoalResult result;                        // result.goal points into the project's rules
  std::optional<rules::YearEndForecast> forecast;  // target goals
  std::vector<MilestoneState> milestones;          // milestone goals
};

struct EvaluationReport {
  std::string agreement;
  std::string rule_set_version;
  YearMonth period;
  std::optional<Timestamp> known_at;
  std::chrono::year_month_day as_of{};  // milestones are judged at the period's last day
  // The day the release lags are counted to (the date of known_at, else
  // today): a month is final from the first day of the month `lag` months
  // after the month following it.
  std::chrono::year_month_day figures_judged_on{};
  std::vector<GoalEvaluation> goals;  // in the order of the rule files
};

// What evaluation reads from the database, loaded once.
struct EvaluationInputs {
  std::vector<storage::StoredObservation> observations;  // current per (metric, period)
  rules::MilestoneProgress progress;
  // The time of the latest import or milestone record read (nullopt: none):
  // evaluating with this known-at reads exactly these inputs.
  std::optional<Timestamp> latest_record;
};

// Whether the figures of `month` of a series with release lag `lag_months` are
// final on `day`: from the first day of month + 1 + lag on (June with three
// months: from 1 October).
bool is_final(YearMonth month, int lag_months, std::chrono::year_month_day day);
// Read in one snapshot (the caller's when it has one); a failing database is
// ErrorKind::storage.
Result<EvaluationInputs> load_evaluation_inputs(const Project& project, storage::Database& database,
                                                std::optional<Timestamp> known_at);

// `today` (the project's local date) is the day release lags are counted to
// when there is no known_at; with one, its local date is.
EvaluationReport evaluate_period(const Project& project, const EvaluationInputs& inputs,
                                 YearMonth period, std::optional<Timestamp> known_at,
                                 std::chrono::year_month_day today);

// The value of a metric at each month from `first` to `last`, oldest first;
// nullopt where an input of that month is missing. For charts of a goal's
// course: the same values `evaluate` computes for each of those months.
std::vector<std::pair<YearMonth, std::optional<double>>> metric_course(
    const Project& project, const EvaluationInputs& inputs, std::string_view metric_id,
    YearMonth first, YearMonth last);

// The Soll path of a target goal through its agreement year, January to
// December, from `inputs` (nullopt where it cannot be computed); empty for
// goals of other kinds. The same values `evaluate` shows for each month.
std::vector<std::pair<YearMonth, std::optional<double>>> soll_course(const Project& project,
                                                                     const EvaluationInputs& inputs,
                                                                     const rules::Goal& goal);

// One base-series value an evaluation read, with its history.
struct ExplainedInput {
  std::string metric;
  YearMonth month;
  std::optional<storage::StoredObservation> used;   // none: missing
  std::vector<storage::StoredObservation> history;  // every stored revision, oldest first
};

struct GoalExplanation {
  GoalEvaluation evaluation;
  std::vector<const rules::Metric*> metrics;  // the goal's metric, then every metric it reads
  std::vector<ExplainedInput> inputs;         // by metric, then month
};

// Read in one snapshot. An unknown goal id is a usage error with a
// did-you-mean; a failing database ErrorKind::storage.
Result<GoalExplanation> explain_goal(const Project& project, storage::Database& database,
                                     const std::string& goal_id, YearMonth period,
                                     std::optional<Timestamp> known_at,
                                     std::chrono::year_month_day today);

}  // namespace zielwerk::engine
