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

std::string to_string(Reference reference) {
  return reference == Reference::soll ? "soll" : "target";
}

std::optional<double> GoalResult::soll_gap() const {
  if (!actual || !soll) return std::nullopt;
  return *actual - *soll;
}

GoalStatus judge(Comparison op, double reference, double band, std::optional<double> actual) {
  if (!actual) return GoalStatus::no_data;
  const double value = judged(*actual);
  const double goal = judged(reference);
  if (satisfies(op, value, goal)) return GoalStatus::met;
  // The band lies on the wrong side of the reference: below a floor, above a ceiling.
  const double width = judged(band);
  const bool within_band =
      is_floor(op) ? value >= judged(goal - width) : value <= judged(goal + width);
  return within_band && width > 0 ? GoalStatus::at_risk : GoalStatus::missed;
}

GoalStatus judge_target(const TargetSpec& target, std::optional<double> actual) {
  if (!target.target) return GoalStatus::no_data;
  return judge(target.op, *target.target, target.tolerance, actual);
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

Evaluator::Evaluator(const RuleSet& rules, MetricLookup base_series,
                     PreviousYearSource previous_year)
    : rules_(rules),
      base_series_(std::move(base_series)),
      previous_year_(std::move(previous_year)) {}

YearCourse Evaluator::course(const Goal& goal, int year) {
  if (previous_year_) return previous_year_(goal, year);
  YearCourse course;
  course.year = year;
  for (int month = 1; month <= 12; ++month) {
    course.months.at(static_cast<std::size_t>(month - 1)) =
        value(goal.metric(), YearMonth(year, month));
  }
  return course;
}

void Evaluator::evaluate_target(const TargetSpec& target, const Goal& goal, YearMonth period,
                                GoalResult& result) {
  const int year = rules_.agreement.year;
  MonthValue actual = value(target.metric, period);
  result.actual = actual.number;
  result.provisional = actual.number && actual.provisional;
  result.why_missing = actual.why_missing;

  const YearCourse previous_year = course(goal, year - 1);
  result.previous_year = previous_year.at(12).number;
  // A year earlier: from the previous year's course inside the agreement
  // year, so that Soll, change and relative target read the same values.
  const MonthValue previous = period.year() == year ? previous_year.at(period.month())
                                                    : value(target.metric, period.plus_months(-12));
  result.previous = previous.number;
  if (result.actual && result.previous && *result.previous != 0) {
    result.change_pct = 100.0 * (*result.actual - *result.previous) / *result.previous;
  }

  const Derived resolved = resolve_target(target, previous_year);
  result.target = resolved.value;
  if (!resolved.value) {
    result.status = GoalStatus::no_data;
    if (result.why_missing.empty() || actual.number) result.why_missing = resolved.why_missing;
    return;
  }
  const MetricLookup plan = [this](std::string_view id, YearMonth month) {
    return value(id, month);
  };
  const Derived soll = soll_at(target, *resolved.value, period, year, previous_year, plan);
  result.soll = soll.value;
  result.soll_why_missing = soll.why_missing;
  result.judged_against = soll.value ? Reference::soll : Reference::target;
  const double reference = soll.value.value_or(*resolved.value);
  result.band = tolerance_at(target, *resolved.value, reference);
  result.status = judge(target.op, reference, result.band, actual.number);
}

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
    evaluate_target(*target, goal, period, result);
  } else if (const auto* monitoring = std::get_if<MonitoringSpec>(&goal.spec)) {
    MonthValue actual = value(monitoring->metric, period);
    MonthValue previous = value(monitoring->metric, period.plus_months(-12));
    result.actual = actual.number;
    result.provisional = actual.number && actual.provisional;
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
