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
  std::vector<GoalEvaluation> goals;    // in the order of the rule files
};

// What evaluation reads from the database, loaded once.
struct EvaluationInputs {
  std::vector<storage::StoredObservation> observations;  // current per (metric, period)
  rules::MilestoneProgress progress;
};
// Read in one snapshot (the caller's when it has one); a failing database is
// ErrorKind::storage.
Result<EvaluationInputs> load_evaluation_inputs(const Project& project, storage::Database& database,
                                                std::optional<Timestamp> known_at);

EvaluationReport evaluate_period(const Project& project, const EvaluationInputs& inputs,
                                 YearMonth period, std::optional<Timestamp> known_at);

// The value of a metric at each month from `first` to `last`, oldest first;
// nullopt where an input of that month is missing. For charts of a goal's
// course: the same values `evaluate` computes for each of those months.
std::vector<std::pair<YearMonth, std::optional<double>>> metric_course(
    const Project& project, const EvaluationInputs& inputs, std::string_view metric_id,
    YearMonth first, YearMonth last);

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
                                     std::optional<Timestamp> known_at);

}  // namespace zielwerk::engine
