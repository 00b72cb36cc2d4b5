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
#include "zielwerk/rules/target_path.h"

namespace zielwerk::rules {

enum class GoalStatus { met, at_risk, missed, no_data, observed, done, open, overdue };

std::string to_string(GoalStatus status);  // "met", "at_risk", ...
std::optional<GoalStatus> parse_goal_status(std::string_view text);
const std::vector<std::string>& goal_status_names();

// Done milestones: goal id -> milestone id -> the date it was done.
using MilestoneProgress =
    std::map<std::string, std::map<std::string, std::chrono::year_month_day, std::less<>>,
             std::less<>>;

// What a target goal's status was judged against: its Soll for the month, or
// the yearly target (outside the agreement year, or when the path cannot be
// computed).
enum class Reference { soll, target };
std::string to_string(Reference reference);  // "soll", "target"

struct GoalResult {
  const Goal* goal = nullptr;
  GoalStatus status = GoalStatus::no_data;
  std::optional<double> actual;  // target and monitoring goals
  // The goal's value a year earlier (the same formula, so the same windows, at
  // M − 12) and the change against it: 100 * (actual - previous) / previous.
  std::optional<double> previous;
  std::optional<double> change_pct;
  std::string why_missing;  // for no_data: the first missing input
  // Whether the value reads a figure still within its release lag.
  bool provisional = false;
  // Target goals.
  std::optional<double> target;         // the yearly target, declared or computed
  std::optional<double> previous_year;  // the value at December of the year before the agreement
  std::optional<double> soll;           // the Soll path at the period
  std::string soll_why_missing;         // no Soll in the agreement year: why
  Reference judged_against = Reference::target;
  double band = 0;  // the tolerance at what the status was judged against

  // actual − soll in the goal's unit, when both exist.
  std::optional<double> soll_gap() const;
};

// Values are judged at a precision of 1e-6 in the goal's unit, so that a
// computed 59.99999999999 % counts as the 60 % it is.
inline constexpr double kComparisonPrecision = 1e-6;

// met / at_risk / missed for a value against `reference` (a Soll or a target)
// with the tolerance band `band` on its wrong side; no_data without a value.
GoalStatus judge(Comparison op, double reference, double band, std::optional<double> actual);

// judge() against a declared target with the goal's tolerance; no_data for a
// relative target (its target needs the previous year: see Evaluator).
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

// Where the previous year's course of a target goal's value comes from: the
// seam through which relative targets and the derived Soll path get "the
// previous year". The default evaluates the goal's own metric at the twelve
// months of the year before the agreement year, on the same figures.
using PreviousYearSource = std::function<YearCourse(const Goal& goal, int year)>;

// Evaluates metrics and goals of one rule set. Derived metric values are
// memoised per (metric, month), so shared inputs are computed once. The rule
// set and the lookup must outlive the evaluator. Not thread-safe.
//
// A target goal at a month M of its agreement year is judged against its Soll
// for M (target_path.h) with the tolerance scaled to it; outside the agreement
// year, or when the path cannot be computed, against the yearly target.
class Evaluator {
 public:
  // `base_series` resolves metrics without a formula (imported observations
  // and plan series).
  Evaluator(const RuleSet& rules, MetricLookup base_series,
            PreviousYearSource previous_year = nullptr);

  MonthValue value(std::string_view metric_id, YearMonth month);

  // The goal's value at each month of `year` (from the PreviousYearSource when
  // one was given).
  YearCourse course(const Goal& goal, int year);

  GoalResult evaluate(const Goal& goal, YearMonth period, std::chrono::year_month_day as_of,
                      const MilestoneProgress& progress);

  // Every goal in declaration order.
  std::vector<GoalResult> evaluate_all(YearMonth period, std::chrono::year_month_day as_of,
                                       const MilestoneProgress& progress);

 private:
  void evaluate_target(const TargetSpec& target, const Goal& goal, YearMonth period,
                       GoalResult& result);

  const RuleSet& rules_;
  MetricLookup base_series_;
  PreviousYearSource previous_year_;
  std::map<std::pair<std::string, YearMonth>, MonthValue, std::less<>> memo_;
};

}  // namespace zielwerk::rules
