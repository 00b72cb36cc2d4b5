// The meaning of a goal as pure code: the value of every metric at a reporting
// month, and each goal's status against its target, its previous year or its
// milestones. No I/O: observations come in through a MetricLookup, milestone
// progress as a map, "today" as a date argument.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/rules/formula.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::rules {

enum class GoalStatus { met, at_risk, missed, no_data, observed, done, open, overdue };

std::string to_string(GoalStatus status);  // "met", "at_risk", ...
std::optional<GoalStatus> parse_goal_status(std::string_view text);
const std::vector<std::string>& goal_status_names();

// Done milestones: goal id -> milestone id -> the date it was done.
using MilestoneProgress =
    std::map<std::string, std::map<std::string, std::chrono::year_month_day, std::less<>>,
             std::less<>>;

struct GoalResult {
  const Goal* goal = nullptr;
  GoalStatus status = GoalStatus::no_data;
  std::optional<double> actual;      // target and monitoring goals
  std::optional<double> previous;    // monitoring: the same month a year earlier
  std::optional<double> change_pct;  // monitoring: 100 * (actual - previous) / previous
  std::string why_missing;           // for no_data: the first missing input
};

// Values are judged at a precision of 1e-6 in the goal's unit, so that a
// computed 59.99999999999 % counts as the 60 % it is.
inline constexpr double kComparisonPrecision = 1e-6;

// met / at_risk / missed for a value, no_data without one.
GoalStatus judge_target(const TargetSpec& target, std::optional<double> actual);

// One milestone as of a date: done when it was done by `as_of`, overdue when
// not and its due date has passed, open otherwise.
GoalStatus milestone_status(const Milestone& milestone,
                            std::optional<std::chrono::year_month_day> done_on,
                            std::chrono::year_month_day as_of);

// done when every milestone was done by `as_of`; overdue when one not done by
// then was due before `as_of`; open otherwise. `done` maps milestone id -> date.
GoalStatus judge_milestones(
    const MilestoneSpec& spec,
    const std::map<std::string, std::chrono::year_month_day, std::less<>>& done,
    std::chrono::year_month_day as_of);

// Evaluates metrics and goals of one rule set. Derived metric values are
// memoised per (metric, month), so shared inputs are computed once. The rule
// set and the lookup must outlive the evaluator. Not thread-safe.
class Evaluator {
 public:
  // `base_series` resolves metrics without a formula (imported observations).
  Evaluator(const RuleSet& rules, MetricLookup base_series);

  MonthValue value(std::string_view metric_id, YearMonth month);

  GoalResult evaluate(const Goal& goal, YearMonth period, std::chrono::year_month_day as_of,
                      const MilestoneProgress& progress);

  // Every goal in declaration order.
  std::vector<GoalResult> evaluate_all(YearMonth period, std::chrono::year_month_day as_of,
                                       const MilestoneProgress& progress);

 private:
  const RuleSet& rules_;
  MetricLookup base_series_;
  std::map<std::pair<std::string, YearMonth>, MonthValue, std::less<>> memo_;
};

}  // namespace zielwerk::rules
