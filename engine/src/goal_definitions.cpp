#include "zielwerk/engine/goal_definitions.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <variant>

#include "zielwerk/common/calendar.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;

// Canonical text: nlohmann::json keeps object keys sorted; no whitespace. Invalid UTF-8 (which
// the rule loader does not let through) would be replaced rather than throw, as in the audit log.
std::string canonical(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json definition(const rules::Goal& goal) {
  json object = {
      {"title", goal.title},     {"description", goal.description},
      {"section", goal.section}, {"responsibility", goal.responsibility},
      {"binding", goal.binding}, {"kind", rules::to_string(goal.kind())},
  };
  if (const auto* target = std::get_if<rules::TargetSpec>(&goal.spec)) {
    object["target"] = {
        {"metric", target->metric},
        {"comparison", rules::to_string(target->op)},
        {"value", target->target ? json(*target->target) : json(nullptr)},
        {"unit", rules::to_string(target->unit)},
        {"tolerance", target->tolerance},
        {"planned_change_pct",
         target->planned_change_pct ? json(*target->planned_change_pct) : json(nullptr)},
    };
    // Only when set, so that definitions stored before relative targets and
    // declared paths existed compare equal to the same goal today.
    if (target->target_change_pct) object["target"]["change_pct"] = *target->target_change_pct;
    const rules::SollPathSpec& path = target->soll_path;
    if (path.source != rules::SollPathSpec::Source::previous_year) {
      json soll = {{"source", rules::to_string(path.source)}};
      if (path.source == rules::SollPathSpec::Source::declared) soll["values"] = path.values;
      if (path.source == rules::SollPathSpec::Source::plan) soll["series"] = path.series;
      object["target"]["soll_path"] = std::move(soll);
    }
  } else if (const auto* monitoring = std::get_if<rules::MonitoringSpec>(&goal.spec)) {
    object["monitoring"] = {
        {"metric", monitoring->metric},
        {"unit", rules::to_string(monitoring->unit)},
    };
  } else if (const auto* milestones = std::get_if<rules::MilestoneSpec>(&goal.spec)) {
    object["ordered"] = milestones->ordered;
    json by_id = json::object();
    int position = 0;
    for (const auto& milestone : milestones->milestones) {
      by_id[milestone.id] = {
          {"title", milestone.title},
          {"due", format_date(milestone.due)},
          {"position", ++position},
      };
    }
    object["milestones"] = std::move(by_id);
  }
  return object;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

json parse_json(std::string_view text, const char* what) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string(what) + " is not valid JSON: " + e.what());
  }
}

// A goal_definitions_json text as an object of objects; blank text is no goals.
json parse_definitions(std::string_view text, const char* what) {
  if (is_blank(text)) return json::object();
  json parsed = parse_json(text, what);
  if (!parsed.is_object()) {
    throw std::invalid_argument(std::string(what) + " is not a JSON object of goal definitions");
  }
  for (const auto& [goal, definition] : parsed.items()) {
    if (!definition.is_object()) {
      throw std::invalid_argument(std::string(what) + ": the definition of goal '" + goal +
                                  "' is not a JSON object");
    }
  }
  return parsed;
}

// Every leaf of `value` by its dotted path. Arrays, scalars and empty objects are leaves.
void flatten(const json& value, const std::string& path, std::map<std::string, json>& leaves) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, child] : value.items())
      flatten(child, path.empty() ? key : path + "." + key, leaves);
    return;
  }
  leaves.emplace(path, value);
}

// The fields that differ; a field that is null on one side and absent on the other is no change.
std::vector<GoalFieldChange> field_changes(const json& before, const json& after) {
  std::map<std::string, json> old_leaves;
  std::map<std::string, json> new_leaves;
  flatten(before, "", old_leaves);
  flatten(after, "", new_leaves);
  std::map<std::string, std::pair<json, json>> paired;
  for (auto& [path, value] : old_leaves)
    paired[path].first = std::move(value);
  for (auto& [path, value] : new_leaves)
    paired[path].second = std::move(value);

  std::vector<GoalFieldChange> changes;
  for (const auto& [path, values] : paired) {
    if (values.first == values.second) continue;
    changes.push_back({path, canonical(values.first), canonical(values.second)});
  }
  return changes;  // sorted by field: std::map order
}

}  // namespace

std::string goal_definitions_json(const rules::RuleSet& rules) {
  json goals = json::object();
  for (const auto& goal : rules.goals)
    goals[goal.id] = definition(goal);
  return canonical(goals);
}

std::string to_string(GoalChangeKind kind) {
  switch (kind) {
    case GoalChangeKind::added:
      return "added";
    case GoalChangeKind::removed:
      return "removed";
    case GoalChangeKind::changed:
      return "changed";
  }
  return "?";
}

std::vector<GoalChange> diff_goal_definitions(std::string_view before, std::string_view after) {
  const json old_goals = parse_definitions(before, "the earlier goal definitions");
  const json new_goals = parse_definitions(after, "the new goal definitions");

  std::vector<GoalChange> changes;
  auto old_it = old_goals.begin();
  auto new_it = new_goals.begin();
  // Both objects iterate in key order: merge them.
  while (old_it != old_goals.end() || new_it != new_goals.end()) {
    if (new_it == new_goals.end() || (old_it != old_goals.end() && old_it.key() < new_it.key())) {
      changes.push_back({old_it.key(), GoalChangeKind::removed, {}});
      ++old_it;
    } else if (old_it == old_goals.end() || new_it.key() < old_it.key()) {
      changes.push_back({new_it.key(), GoalChangeKind::added, {}});
      ++new_it;
    } else {
      auto fields = field_changes(old_it.value(), new_it.value());
      if (!fields.empty())
        changes.push_back({old_it.key(), GoalChangeKind::changed, std::move(fields)});
      ++old_it;
      ++new_it;
    }
  }
  return changes;
}

std::string goal_changes_json(const std::vector<GoalChange>& changes) {
  json list = json::array();
  for (const auto& change : changes) {
    json fields = json::array();
    for (const auto& field : change.fields) {
      fields.push_back({
          {"field", field.field},
          {"before", parse_json(field.before, ("'before' of " + field.field).c_str())},
          {"after", parse_json(field.after, ("'after' of " + field.field).c_str())},
      });
    }
    list.push_back({
        {"goal", change.goal},
        {"change", to_string(change.kind)},
        {"fields", std::move(fields)},
    });
  }
  return canonical(list);
}

}  // namespace zielwerk::engine
