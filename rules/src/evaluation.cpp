#include "zielwerk/rules/evaluation.h"

#include <array>
#include <cmath>

namespace zielwerk::rules {

namespace {

constexpr std::array<std::pair<GoalStatus, const char*>, 8> kStatusNames = {{
    {GoalStatus::met, "met"},
    {GoalStatus::at_risk, "at_risk"},
    {GoalStatus::missed, "missed"},
    {GoalStatus::no_data, "no_data"},
    {GoalStatus::observed, "observed"},
    {GoalStatus::done, "done"},
    {GoalStatus::open, "open"},
    {GoalStatus::overdue, "overdue"},
}};

// Rounds to the comparison precision so float noise never flips a status.
double judged(double value) {
  return std::round(value / kComparisonPrecision) * kComparisonPrecision;
}

bool satisfies(Comparison op, double actual, double target) {
  switch (op) {
    case Comparison::at_least:
      return actual >= target;
    case Comparison::more_than:
      return actual > target;
    case Comparison::at_most:
      return actual <= target;
    case Comparison::less_than:
      return actual < target;
  }
  return false;
}

}  // namespace

std::string to_string(GoalStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<GoalStatus> parse_goal_status(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

const std::vector<std::string>& goal_status_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& entry : kStatusNames)
      result.emplace_back(entry.second);
    return result;
  }();
  return names;
}

GoalStatus judge_target(const TargetSpec& target, std::optional<double> actual) {
  if (!actual) return GoalStatus::no_data;
  const double value = judged(*actual);
  const double goal = judged(target.target);
  if (satisfies(target.op, value, goal)) return GoalStatus::met;
  // The band lies on the wrong side of the target: below a floor, above a ceiling.
  const double band = judged(target.tolerance);
  const bool within_band = is_floor(target.op) ? value >= goal - band : value <= goal + band;
  return within_band && band > 0 ? GoalStatus::at_risk : GoalStatus::missed;
}

GoalStatus milestone_status(const Milestone& milestone,
                            std::optional<std::chrono::year_month_day> done_on,
                            std::chrono::year_month_day as_of) {
  if (done_on && *done_on <= as_of) return GoalStatus::done;
  return milestone.due < as_of ? GoalStatus::overdue : GoalStatus::open;
}

GoalStatus judge_milestones(
    const MilestoneSpec& spec,
    const std::map<std::string, std::chrono::year_month_day, std::less<>>& done,
    std::chrono::year_month_day as_of) {
  bool all_done = true;
  bool overdue = false;
  for (const auto& milestone : spec.milestones) {
    const auto it = done.find(milestone.id);
    const auto status = milestone_status(
        milestone, it == done.end() ? std::nullopt : std::optional(it->second), as_of);
    all_done = all_done && status == GoalStatus::done;
    overdue = overdue || status == GoalStatus::overdue;
  }
  if (all_done) return GoalStatus::done;
  return overdue ? GoalStatus::overdue : GoalStatus::open;
}

Evaluator::Evaluator(const RuleSet& rules, MetricLookup base_series)
    : rules_(rules), base_series_(std::move(base_series)) {}

MonthValue Evaluator::value(std::string_view metric_id, YearMonth month) {
  const Metric* metric = rules_.find_metric(metric_id);
  if (metric == nullptr) {
    return MonthValue::missing("unknown metric '" + std::string(metric_id) + "'");
  }
  if (metric->is_base_series()) return base_series_(metric_id, month);
  const auto key = std::make_pair(metric->id, month);
  if (const auto it = memo_.find(key); it != memo_.end()) return it->second;
  // The rule loader rejects cycles, so this recursion terminates.
  MonthValue result = metric->formula->evaluate(
      month, [this](std::string_view id, YearMonth m) { return value(id, m); });
  memo_.emplace(key, result);
  return result;
}

GoalResult Evaluator::evaluate(const Goal& goal, YearMonth period,
                               std::chrono::year_month_day as_of,
                               const MilestoneProgress& progress) {
  GoalResult result;
  result.goal = &goal;
  if (const auto* target = std::get_if<TargetSpec>(&goal.spec)) {
    MonthValue actual = value(target->metric, period);
    result.actual = actual.number;
    result.why_missing = actual.why_missing;
    result.status = judge_target(*target, actual.number);
  } else if (const auto* monitoring = std::get_if<MonitoringSpec>(&goal.spec)) {
    MonthValue actual = value(monitoring->metric, period);
    MonthValue previous = value(monitoring->metric, period.plus_months(-12));
    result.actual = actual.number;
    result.previous = previous.number;
    if (!actual.number || !previous.number) {
      result.status = GoalStatus::no_data;
      result.why_missing = actual.number ? previous.why_missing : actual.why_missing;
    } else {
      result.status = GoalStatus::observed;
      if (*previous.number != 0) {
        result.change_pct = 100.0 * (*actual.number - *previous.number) / *previous.number;
      }
    }
  } else {
    static const std::map<std::string, std::chrono::year_month_day, std::less<>> nothing_done;
    const auto it = progress.find(goal.id);
    result.status = judge_milestones(std::get<MilestoneSpec>(goal.spec),
                                     it == progress.end() ? nothing_done : it->second, as_of);
  }
  return result;
}

std::vector<GoalResult> Evaluator::evaluate_all(YearMonth period, std::chrono::year_month_day as_of,
                                                const MilestoneProgress& progress) {
  std::vector<GoalResult> results;
  results.reserve(rules_.goals.size());
  for (const auto& goal : rules_.goals)
    results.push_back(evaluate(goal, period, as_of, progress));
  return results;
}

}  // namespace zielwerk::rules
