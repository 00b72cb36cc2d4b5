#include "zielwerk/engine/evaluation_report.h"

#include <map>
#include <set>

#include "zielwerk/common/text.h"
#include "zielwerk/storage/milestone_store.h"

namespace zielwerk::engine {
namespace {

using ObservationIndex =
    std::map<std::pair<std::string, YearMonth>, const storage::StoredObservation*>;

ObservationIndex index_observations(const std::vector<storage::StoredObservation>& rows) {
  ObservationIndex index;
  for (const auto& row : rows)
    index.emplace(std::make_pair(row.metric, row.period), &row);
  return index;
}

// Base series from the index; `reads` (optional) collects every lookup.
rules::MetricLookup lookup_in(const ObservationIndex& index,
                              std::set<std::pair<std::string, YearMonth>>* reads = nullptr) {
  return [&index, reads](std::string_view metric, YearMonth month) {
    auto key = std::make_pair(std::string(metric), month);
    if (reads != nullptr) reads->insert(key);
    const auto it = index.find(key);
    if (it == index.end()) {
      return rules::MonthValue::missing(key.first + " " + month.to_string() + " is missing");
    }
    return rules::MonthValue::of(it->second->value);
  };
}

GoalEvaluation evaluate_goal(const Project& project, const rules::Goal& goal,
                             rules::Evaluator& evaluator, const rules::MetricLookup& observed,
                             YearMonth period, std::chrono::year_month_day as_of,
                             const rules::MilestoneProgress& progress) {
  GoalEvaluation evaluation;
  evaluation.result = evaluator.evaluate(goal, period, as_of, progress);
  if (goal.kind() == rules::GoalKind::target) {
    evaluation.forecast = rules::forecast_year_end(project.rules, goal, period, observed);
  }
  if (const auto* spec = std::get_if<rules::MilestoneSpec>(&goal.spec)) {
    const auto done = progress.find(goal.id);
    for (const auto& milestone : spec->milestones) {
      MilestoneState state;
      state.milestone = &milestone;
      std::optional<std::chrono::year_month_day> done_on;
      if (done != progress.end()) {
        const auto it = done->second.find(milestone.id);
        if (it != done->second.end()) done_on = it->second;
      }
      state.status = rules::milestone_status(milestone, done_on, as_of);
      if (state.status == rules::GoalStatus::done) state.done_on = done_on;
      evaluation.milestones.push_back(state);
    }
  }
  return evaluation;
}

GoalExplanation explanation_of(const Project& project, storage::Database& database,
                               const rules::Goal& goal_spec, const EvaluationInputs& inputs,
                               YearMonth period, std::optional<Timestamp> known_at);

}  // namespace

Result<EvaluationInputs> load_evaluation_inputs(const Project& project, storage::Database& database,
                                                std::optional<Timestamp> known_at) {
  EvaluationInputs inputs;
  const Status read = database.snapshot([&]() -> Status {
    inputs.observations =
        storage::load_current_observations(database, project.config.region, known_at);
    for (const auto& record : storage::load_milestone_records(database, known_at)) {
      inputs.progress[record.goal][record.milestone] = record.done_on;
    }
    return Ok{};
  });
  if (!read) return read.error();
  return inputs;
}

EvaluationReport evaluate_period(const Project& project, const EvaluationInputs& inputs,
                                 YearMonth period, std::optional<Timestamp> known_at) {
  EvaluationReport report;
  report.agreement = project.rules.agreement.id;
  report.rule_set_version = project.rules.version;
  report.period = period;
  report.known_at = known_at;
  report.as_of = period.last_day();
  const ObservationIndex index = index_observations(inputs.observations);
  const rules::MetricLookup observed = lookup_in(index);
  rules::Evaluator evaluator(project.rules, observed);
  for (const auto& goal : project.rules.goals) {
    report.goals.push_back(
        evaluate_goal(project, goal, evaluator, observed, period, report.as_of, inputs.progress));
  }
  return report;
}

std::vector<std::pair<YearMonth, std::optional<double>>> metric_course(
    const Project& project, const EvaluationInputs& inputs, std::string_view metric_id,
    YearMonth first, YearMonth last) {
  const ObservationIndex index = index_observations(inputs.observations);
  rules::Evaluator evaluator(project.rules, lookup_in(index));
  std::vector<std::pair<YearMonth, std::optional<double>>> course;
  for (YearMonth month = first; month <= last; month = month.plus_months(1)) {
    const rules::MonthValue value = evaluator.value(metric_id, month);
    course.emplace_back(month, value.number);
  }
  return course;
}

Result<GoalExplanation> explain_goal(const Project& project, storage::Database& database,
                                     const std::string& goal_id, YearMonth period,
                                     std::optional<Timestamp> known_at) {
  const rules::Goal* goal = project.rules.find_goal(goal_id);
  if (goal == nullptr) {
    return Error::usage("unknown goal '" + goal_id + "'" +
                        did_you_mean(goal_id, project.rules.goal_ids()));
  }
  std::optional<Result<GoalExplanation>> result;
  const Status read = database.snapshot([&]() -> Status {
    auto inputs = load_evaluation_inputs(project, database, known_at);
    if (!inputs) return inputs.error();
    result.emplace(explanation_of(project, database, *goal, inputs.value(), period, known_at));
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

namespace {

GoalExplanation explanation_of(const Project& project, storage::Database& database,
                               const rules::Goal& goal_spec, const EvaluationInputs& inputs,
                               YearMonth period, std::optional<Timestamp> known_at) {
  const rules::Goal* goal = &goal_spec;
  const ObservationIndex index = index_observations(inputs.observations);
  std::set<std::pair<std::string, YearMonth>> reads;
  // Only the value's own reads are explained; the forecast reads more months.
  const rules::MetricLookup recording = lookup_in(index, &reads);
  rules::Evaluator evaluator(project.rules, recording);
  GoalExplanation explanation;
  explanation.evaluation = evaluate_goal(project, *goal, evaluator, lookup_in(index), period,
                                         period.last_day(), inputs.progress);
  if (!goal->metric().empty()) explanation.metrics = project.rules.metrics_read_by(goal->metric());
  for (const auto& [metric, month] : reads) {
    ExplainedInput input;
    input.metric = metric;
    input.month = month;
    if (const auto it = index.find({metric, month}); it != index.end()) input.used = *it->second;
    for (auto& revision : storage::load_revisions(database, metric, project.config.region, month)) {
      if (!known_at || revision.imported_at <= *known_at)
        input.history.push_back(std::move(revision));
    }
    explanation.inputs.push_back(std::move(input));
  }
  return explanation;
}

}  // namespace

}  // namespace zielwerk::engine
