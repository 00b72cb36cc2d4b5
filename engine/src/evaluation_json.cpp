#include "zielwerk/engine/evaluation_json.h"

#include <nlohmann/json.hpp>

#include "json_objects.h"
#include "zielwerk/common/calendar.h"

namespace zielwerk::engine {
namespace {

nlohmann::json number_or_null(std::optional<double> value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json goal_object(const GoalEvaluation& goal) {
  const rules::Goal& spec = *goal.result.goal;
  nlohmann::json json = {
      {"id", spec.id},
      {"title", spec.title},
      {"section", spec.section},
      {"kind", rules::to_string(spec.kind())},
      {"responsibility", rules::to_string(spec.responsibility)},
      {"binding", spec.binding},
      {"status", rules::to_string(goal.result.status)},
  };
  if (const auto* target = std::get_if<rules::TargetSpec>(&spec.spec)) {
    json["metric"] = target->metric;
    json["actual"] = number_or_null(goal.result.actual);
    json["target"] = target->target;
    json["op"] = rules::to_string(target->op);
    json["unit"] = rules::to_string(target->unit);
    json["tolerance"] = target->tolerance;
    if (goal.forecast) {
      json["forecast"] = {
          {"period", goal.forecast->year_end.to_string()},
          {"value", number_or_null(goal.forecast->value)},
          {"status", rules::to_string(goal.forecast->status)},
          {"best_case", number_or_null(goal.forecast->best_case)},
          {"reachable", goal.forecast->reachable},
      };
    }
  } else if (const auto* monitoring = std::get_if<rules::MonitoringSpec>(&spec.spec)) {
    json["metric"] = monitoring->metric;
    json["actual"] = number_or_null(goal.result.actual);
    json["previous"] = number_or_null(goal.result.previous);
    json["change_pct"] = number_or_null(goal.result.change_pct);
    json["unit"] = rules::to_string(monitoring->unit);
  } else {
    nlohmann::json milestones = nlohmann::json::array();
    for (const auto& m : goal.milestones) {
      milestones.push_back({
          {"id", m.milestone->id},
          {"title", m.milestone->title},
          {"due", format_date(m.milestone->due)},
          {"done_on",
           m.done_on ? nlohmann::json(format_date(*m.done_on)) : nlohmann::json(nullptr)},
          {"status", rules::to_string(m.status)},
      });
    }
    json["milestones"] = milestones;
  }
  if (goal.result.status == rules::GoalStatus::no_data)
    json["why_missing"] = goal.result.why_missing;
  return json;
}

nlohmann::json report_object(const EvaluationReport& report) {
  nlohmann::json goals = nlohmann::json::array();
  for (const auto& goal : report.goals)
    goals.push_back(goal_object(goal));
  return {
      {"agreement", report.agreement},
      {"period", report.period.to_string()},
      {"known_at", report.known_at ? nlohmann::json(format_timestamp(*report.known_at))
                                   : nlohmann::json(nullptr)},
      {"rule_set_version", report.rule_set_version},
      {"goals", goals},
  };
}

std::string evaluation_json(const EvaluationReport& report, int indent) {
  return report_object(report).dump(indent);
}

std::string goal_evaluation_json(const GoalEvaluation& goal) {
  return goal_object(goal).dump();
}

}  // namespace zielwerk::engine
