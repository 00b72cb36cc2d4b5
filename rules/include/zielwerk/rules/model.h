// The agreement as zielwerk understands it: parties, metrics and goals, loaded
// from rule files. Plain values; every object keeps where it was declared so
// later stages (validation, explain, audit) can point at the rule.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/formula.h"

namespace zielwerk::rules {

// What kind of institution a party is: "BA" (the agency), "kommunal" (the
// municipal carrier), "gE" (the joint institution), "zkT" (an approved
// municipal carrier that runs its jobcenter alone), "Land" (a Land ministry),
// "BMAS" (the federal ministry).
enum class Carrier { ba, kommunal, joint_institution, zkt, land, bmas };
// The side a goal is the responsibility of: a label that the agreement's
// parties act on ("BA", "kommunal", "zkT", ...; see Party::acts_on). Not a
// fixed set: an agreement declares its sides through its parties.
using Responsibility = std::string;
enum class GoalKind { target, monitoring, milestone };
enum class Comparison { at_least, more_than, at_most, less_than };  // >=  >  <=  <
enum class Unit { count, percent, eur };

std::string to_string(Carrier carrier);
// The sides a party of `carrier` acts on when it declares no `acts_on`: its own
// label, and for the joint institution both carriers' ("BA", "kommunal").
std::vector<std::string> default_sides(Carrier carrier);
std::string to_string(GoalKind kind);
std::string to_string(Comparison comparison);  // ">=", ">", "<=", "<"
std::string to_string(Unit unit);

// Higher is better for floors (>=, >), lower is better for ceilings (<=, <).
bool is_floor(Comparison comparison);

struct Party {
  std::string id;
  std::string name;
  Carrier carrier = Carrier::ba;
  // The sides whose goals this party may act on (record milestones, minutes on
  // a goal, measures): as declared (`acts_on`), else default_sides(carrier).
  // Empty: it acts on no goal, only in the reviews it takes part in.
  std::vector<std::string> acts_on;
  SourceLocation location;

  bool acts_on_side(std::string_view side) const;
};

struct Signature {
  std::string party;
  std::string name;
  std::string function;
  std::string place;
  std::chrono::year_month_day date;
  SourceLocation location;
};

struct Agreement {
  std::string id;
  std::string title;
  int year = 0;
  std::string planning_basis;
  std::vector<Party> parties;
  std::vector<Signature> signatures;
  SourceLocation location;

  const Party* find_party(std::string_view party_id) const;
  // Every side some party acts on, in the order of the parties, each once.
  std::vector<std::string> sides() const;
  // The agreement is in force from the last signature; nullopt without signatures.
  std::optional<std::chrono::year_month_day> in_force_from() const;
};

// The release lag zielwerk assumes when neither the project nor the series
// declares one: BA statistics become final three months after the month ends.
inline constexpr int kDefaultReleaseLagMonths = 3;
inline constexpr int kMaxReleaseLagMonths = 24;

struct Metric {
  std::string id;
  std::string title;
  std::string source;
  Unit unit = Unit::count;
  std::optional<Formula> formula;  // derived metrics only; base series are imported
  // `kind: plan`: an imported series of planned values (a goal's Soll path),
  // not observations. Formulas do not read plan series.
  bool plan = false;
  // Months after a month's end until its figures are final; nullopt: the
  // project's `release_lag_months` (base series only).
  std::optional<int> release_lag_months;
  // Where each of formula->references() stands in the rule file.
  std::vector<SourceLocation> reference_locations;
  SourceLocation location;
  std::string object_path;  // e.g. `metrics[3] "iq_frauen"`, for messages

  bool is_base_series() const { return !formula.has_value(); }
};

// How a target goal's yearly target is reached through the year: its Soll
// for each month of the agreement year (docs/evaluation.md, "The Soll path").
struct SollPathSpec {
  enum class Source {
    previous_year,  // the previous year's course: target × value(M−12) ÷ value(Dec of Y−1)
    flat,           // the target in every month (shares that do not accumulate)
    declared,       // twelve values in the rule file, January..December
    plan,           // an imported series of kind plan
  };
  Source source = Source::previous_year;
  std::vector<double> values;  // declared: January..December
  std::string series;          // plan: the metric id
};

std::string to_string(SollPathSpec::Source source);  // "previous_year", "flat", ...

struct TargetSpec {
  std::string metric;
  Comparison op = Comparison::at_least;
  // The yearly target: declared (`target: 15.5`), or a change in percent
  // against the previous year's value (`target: {change_pct: -6.9}`), which
  // the evaluation computes. Exactly one of the two is set.
  std::optional<double> target;
  std::optional<double> target_change_pct;
  Unit unit = Unit::count;
  double tolerance = 0;  // in the goal's unit; the at_risk band on the wrong side
  // The agreement's planned change against the previous year, beside a
  // declared target ("20.4 % (−2.5 %)"): shown and compared, not judged.
  std::optional<double> planned_change_pct;
  SollPathSpec soll_path;

  bool is_relative() const { return target_change_pct.has_value(); }
};

struct MonitoringSpec {
  std::string metric;
  Unit unit = Unit::count;
  // The only comparison so far: the same month one year earlier.
};

struct Milestone {
  std::string id;
  std::string title;
  std::chrono::year_month_day due;
  SourceLocation location;
};

struct MilestoneSpec {
  bool ordered = false;  // each milestone can only be done after the one before it
  std::vector<Milestone> milestones;

  const Milestone* find(std::string_view milestone_id) const;
};

struct Goal {
  std::string id;
  std::string title;
  std::string description;
  std::string section;  // roman numeral of the agreement's section: I, II, III, IV
  Responsibility responsibility = "BA";
  bool binding = true;  // false: informational ("nachrichtlich")
  std::variant<TargetSpec, MonitoringSpec, MilestoneSpec> spec;
  SourceLocation location;
  std::string object_path;  // e.g. `goal_groups[0].goals[1] "iq-frauen"`, for messages
  // Where each field's value was written (in the goal or in its group's defaults).
  std::map<std::string, SourceLocation, std::less<>> field_locations;

  GoalKind kind() const { return static_cast<GoalKind>(spec.index()); }
  SourceLocation location_of(std::string_view field) const;
  // The metric a target or monitoring goal reads; empty for milestones.
  const std::string& metric() const;
};

// One coherent, validated set of rules: what `check` accepts and the engine evaluates.
struct RuleSet {
  Agreement agreement;
  std::vector<Metric> metrics;
  std::vector<Goal> goals;
  // sha256 over the rule files' names and contents: the rule-set version that
  // evaluations and audit records carry.
  std::string version;
  // What the version is made of: each rule file's name in the project and the
  // sha256 of its content, in load order.
  struct File {
    std::string name;
    std::string sha256;
  };
  std::vector<File> files;

  const Metric* find_metric(std::string_view metric_id) const;
  const Goal* find_goal(std::string_view goal_id) const;
  std::vector<std::string> metric_ids() const;
  // The metric, then every metric its formula reads, directly or through other
  // derived metrics: depth first in order of appearance, each once.
  std::vector<const Metric*> metrics_read_by(std::string_view metric_id) const;
  std::vector<std::string> goal_ids() const;
};

}  // namespace zielwerk::rules
