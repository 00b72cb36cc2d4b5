#include "zielwerk/engine/evaluation_report.h"

#include <map>
#include <set>

#include "zielwerk/common/text.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/workflows/time_zone.h"

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

// Which months of which series are still within their release lag on a day.
struct Finality {
  std::map<std::string, int, std::less<>> lag_months;  // base series -> lag
  std::chrono::year_month_day day{};

  bool provisional(std::string_view metric, YearMonth month) const {
    const auto it = lag_months.find(metric);
    return it != lag_months.end() && !is_final(month, it->second, day);
  }
};

Finality finality_of(const Project& project, std::chrono::year_month_day day) {
  Finality finality;
  finality.day = day;
  for (const auto& metric : project.rules.metrics) {
    if (metric.is_base_series() && !metric.plan) {
      finality.lag_months[metric.id] =
          metric.release_lag_months.value_or(project.config.release_lag_months);
    }
  }
  return finality;
}

// Base series from the index; `reads` (optional) collects every lookup,
// `finality` (optional) marks figures still within their release lag.
rules::MetricLookup lookup_in(const ObservationIndex& index,
                              std::set<std::pair<std::string, YearMonth>>* reads = nullptr,
                              const Finality* finality = nullptr) {
  return [&index, reads, finality](std::string_view metric, YearMonth month) {
    auto key = std::make_pair(std::string(metric), month);
    if (reads != nullptr) reads->insert(key);
    const auto it = index.find(key);
    if (it == index.end()) {
      std::string why = key.first + " " + month.to_string() + " is missing";
      const auto first = index.lower_bound(std::make_pair(key.first, YearMonth()));
      if (first != index.end() && first->first.first == key.first && month < first->first.second) {
        why += " (its figures begin with " + first->first.second.to_string() + ")";
      }
      return rules::MonthValue::missing(std::move(why));
    }
    if (!it->second->missing.empty()) {
      return rules::MonthValue::missing(key.first + " " + month.to_string() + " is missing: " +
                                        it->second->missing + " in the figures imported");
    }
    return rules::MonthValue::of(it->second->value,
                                 finality != nullptr && finality->provisional(metric, month));
  };
}

std::chrono::year_month_day judged_on(const Project& project, std::optional<Timestamp> known_at,
                                      std::chrono::year_month_day today) {
  if (!known_at) return today;
  return workflows::local_date(project.config.time_zone, *known_at);
}

GoalEvaluation evaluate_goal(const Project& project, const rules::Goal& goal,
                             rules::Evaluator& evaluator, const rules::MetricLookup& observed,
                             YearMonth period, std::chrono::year_month_day as_of,
                             const rules::MilestoneProgress& progress) {
  GoalEvaluation evaluation;
  evaluation.result = evaluator.evaluate(goal, period, as_of, progress);
  if (goal.kind() == rules::GoalKind::target) {
    evaluation.forecast =
        rules::forecast_year_end(project.rules, goal, period, observed, evaluation.result.target);
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
                               YearMonth period, std::optional<Timestamp> known_at,
                               std::chrono::year_month_day today);

}  // namespace

bool is_final(YearMonth month, int lag_months, std::chrono::year_month_day day) {
  const YearMonth final_from = month.plus_months(1 + lag_months);
  return YearMonth(static_cast<int>(day.year()),
                   static_cast<int>(static_cast<unsigned>(day.month()))) >= final_from;
}

Result<EvaluationInputs> load_evaluation_inputs(const Project& project, storage::Database& database,
                                                std::optional<Timestamp> known_at) {
  EvaluationInputs inputs;
  const Status read = database.snapshot([&]() -> Status {
    inputs.observations =
        storage::load_current_observations(database, project.config.region, known_at);
    const auto later = [&](Timestamp time) {
      if (!inputs.latest_record || *inputs.latest_record < time) inputs.latest_record = time;
    };
    for (const auto& row : inputs.observations)
      later(row.imported_at);
    for (const auto& record : storage::load_milestone_records(database, known_at)) {
      inputs.progress[record.goal][record.milestone] = record.done_on;
      later(record.recorded_at);
    }
    return Ok{};
  });
  if (!read) return read.error();
  return inputs;
}

EvaluationReport evaluate_period(const Project& project, const EvaluationInputs& inputs,
                                 YearMonth period, std::optional<Timestamp> known_at,
                                 std::chrono::year_month_day today) {
  EvaluationReport report;
  report.agreement = project.rules.agreement.id;
  report.rule_set_version = project.rules.version;
  report.period = period;
  report.known_at = known_at;
  report.as_of = period.last_day();
  report.figures_judged_on = judged_on(project, known_at, today);
  const ObservationIndex index = index_observations(inputs.observations);
  const Finality finality = finality_of(project, report.figures_judged_on);
  const rules::MetricLookup observed = lookup_in(index, nullptr, &finality);
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

std::vector<std::pair<YearMonth, std::optional<double>>> soll_course(const Project& project,
                                                                     const EvaluationInputs& inputs,
                                                                     const rules::Goal& goal) {
  std::vector<std::pair<YearMonth, std::optional<double>>> course;
  if (goal.kind() != rules::GoalKind::target) return course;
  const ObservationIndex index = index_observations(inputs.observations);
  rules::Evaluator evaluator(project.rules, lookup_in(index));
  const int year = project.rules.agreement.year;
  for (int month = 1; month <= 12; ++month) {
    const YearMonth at(year, month);
    course.emplace_back(at, evaluator.evaluate(goal, at, at.last_day(), inputs.progress).soll);
  }
  return course;
}

Result<GoalExplanation> explain_goal(const Project& project, storage::Database& database,
                                     const std::string& goal_id, YearMonth period,
                                     std::optional<Timestamp> known_at,
                                     std::chrono::year_month_day today) {
  const rules::Goal* goal = project.rules.find_goal(goal_id);
  if (goal == nullptr) {
    return Error::usage("unknown goal '" + goal_id + "'" +
                        did_you_mean(goal_id, project.rules.goal_ids()));
  }
  std::optional<Result<GoalExplanation>> result;
  const Status read = database.snapshot([&]() -> Status {
    auto inputs = load_evaluation_inputs(project, database, known_at);
    if (!inputs) return inputs.error();
    result.emplace(
        explanation_of(project, database, *goal, inputs.value(), period, known_at, today));
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

namespace {

GoalExplanation explanation_of(const Project& project, storage::Database& database,
                               const rules::Goal& goal_spec, const EvaluationInputs& inputs,
                               YearMonth period, std::optional<Timestamp> known_at,
                               std::chrono::year_month_day today) {
  const rules::Goal* goal = &goal_spec;
  const ObservationIndex index = index_observations(inputs.observations);
  std::set<std::pair<std::string, YearMonth>> reads;
  const Finality finality = finality_of(project, judged_on(project, known_at, today));
  // Only the value's own reads (with the previous year's, which the Soll and
  // a relative target read) are explained; the forecast reads more months.
  const rules::MetricLookup recording = lookup_in(index, &reads, &finality);
  rules::Evaluator evaluator(project.rules, recording);
  GoalExplanation explanation;
  explanation.evaluation =
      evaluate_goal(project, *goal, evaluator, lookup_in(index, nullptr, &finality), period,
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
