#include "zielwerk/rules/model.h"

#include <algorithm>

namespace zielwerk::rules {

std::string to_string(Carrier carrier) {
  switch (carrier) {
    case Carrier::ba:
      return "BA";
    case Carrier::kommunal:
      return "kommunal";
    case Carrier::joint_institution:
      return "gE";
    case Carrier::zkt:
      return "zkT";
    case Carrier::land:
      return "Land";
    case Carrier::bmas:
      return "BMAS";
  }
  return "?";
}

std::vector<std::string> default_sides(Carrier carrier) {
  // The joint institution carries out the tasks of both carriers (§ 44b SGB II).
  if (carrier == Carrier::joint_institution) return {"BA", "kommunal"};
  return {to_string(carrier)};
}

bool Party::acts_on_side(std::string_view side) const {
  return std::find(acts_on.begin(), acts_on.end(), side) != acts_on.end();
}

std::string to_string(GoalKind kind) {
  switch (kind) {
    case GoalKind::target:
      return "target";
    case GoalKind::monitoring:
      return "monitoring";
    case GoalKind::milestone:
      return "milestone";
  }
  return "?";
}

std::string to_string(Comparison comparison) {
  switch (comparison) {
    case Comparison::at_least:
      return ">=";
    case Comparison::more_than:
      return ">";
    case Comparison::at_most:
      return "<=";
    case Comparison::less_than:
      return "<";
  }
  return "?";
}

std::string to_string(Unit unit) {
  switch (unit) {
    case Unit::count:
      return "count";
    case Unit::percent:
      return "percent";
    case Unit::eur:
      return "eur";
  }
  return "?";
}

std::string to_string(SollPathSpec::Source source) {
  switch (source) {
    case SollPathSpec::Source::previous_year:
      return "previous_year";
    case SollPathSpec::Source::flat:
      return "flat";
    case SollPathSpec::Source::declared:
      return "declared";
    case SollPathSpec::Source::plan:
      return "plan";
  }
  return "?";
}

bool is_floor(Comparison comparison) {
  return comparison == Comparison::at_least || comparison == Comparison::more_than;
}

const Party* Agreement::find_party(std::string_view party_id) const {
  const auto it = std::find_if(parties.begin(), parties.end(),
                               [&](const Party& p) { return p.id == party_id; });
  return it == parties.end() ? nullptr : &*it;
}

std::vector<std::string> Agreement::sides() const {
  std::vector<std::string> all;
  for (const auto& party : parties)
    for (const auto& side : party.acts_on)
      if (std::find(all.begin(), all.end(), side) == all.end()) all.push_back(side);
  return all;
}

std::optional<std::chrono::year_month_day> Agreement::in_force_from() const {
  std::optional<std::chrono::year_month_day> last;
  for (const auto& signature : signatures) {
    if (!last || signature.date > *last) {
      last = signature.date;
    }
  }
  return last;
}

const Milestone* MilestoneSpec::find(std::string_view milestone_id) const {
  const auto it = std::find_if(milestones.begin(), milestones.end(),
                               [&](const Milestone& m) { return m.id == milestone_id; });
  return it == milestones.end() ? nullptr : &*it;
}

SourceLocation Goal::location_of(std::string_view field) const {
  const auto it = field_locations.find(field);
  return it == field_locations.end() ? location : it->second;
}

const std::string& Goal::metric() const {
  static const std::string kNone;
  if (const auto* target = std::get_if<TargetSpec>(&spec)) {
    return target->metric;
  }
  if (const auto* monitoring = std::get_if<MonitoringSpec>(&spec)) {
    return monitoring->metric;
  }
  return kNone;
}

const Metric* RuleSet::find_metric(std::string_view metric_id) const {
  const auto it = std::find_if(metrics.begin(), metrics.end(),
                               [&](const Metric& m) { return m.id == metric_id; });
  return it == metrics.end() ? nullptr : &*it;
}

const Goal* RuleSet::find_goal(std::string_view goal_id) const {
  const auto it =
      std::find_if(goals.begin(), goals.end(), [&](const Goal& g) { return g.id == goal_id; });
  return it == goals.end() ? nullptr : &*it;
}

std::vector<std::string> RuleSet::metric_ids() const {
  std::vector<std::string> ids;
  for (const auto& metric : metrics) {
    ids.push_back(metric.id);
  }
  return ids;
}

std::vector<const Metric*> RuleSet::metrics_read_by(std::string_view metric_id) const {
  std::vector<const Metric*> found;
  // The loader rejects cycles; the check against `found` also stops repeats.
  const auto visit = [&](const auto& self, std::string_view id) -> void {
    const Metric* metric = find_metric(id);
    if (metric == nullptr || std::find(found.begin(), found.end(), metric) != found.end()) return;
    found.push_back(metric);
    if (!metric->formula) return;
    for (const auto& reference : metric->formula->references())
      self(self, reference.id);
  };
  visit(visit, metric_id);
  return found;
}

std::vector<std::string> RuleSet::goal_ids() const {
  std::vector<std::string> ids;
  for (const auto& goal : goals) {
    ids.push_back(goal.id);
  }
  return ids;
}

}  // namespace zielwerk::rules
