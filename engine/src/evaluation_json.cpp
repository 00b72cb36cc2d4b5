#include "zielwerk/engine/evaluation_json.h"

#include "zielwerk/engine/documents.h"

namespace zielwerk::engine {

domain::AgendaGoal agenda_goal(const GoalEvaluation& goal) {
  const rules::Goal& spec = *goal.result.goal;
  domain::AgendaGoal facts;
  facts.id = spec.id;
  facts.title = spec.title;
  facts.section = spec.section;
  facts.kind = spec.kind();
  facts.responsibility = spec.responsibility;
  facts.binding = spec.binding;
  facts.status = goal.result.status;
  const rules::GoalResult& result = goal.result;
  if (const auto* target = std::get_if<rules::TargetSpec>(&spec.spec)) {
    facts.metric = target->metric;
    facts.actual = result.actual;
    facts.unit = target->unit;
    facts.provisional = result.provisional;
    facts.previous = result.previous;
    facts.change_pct = result.change_pct;
    facts.target = result.target;
    facts.op = target->op;
    facts.tolerance = target->tolerance;
    facts.target_change_pct = target->target_change_pct;
    facts.planned_change_pct = target->planned_change_pct;
    facts.previous_year = result.previous_year;
    facts.soll = result.soll;
    facts.soll_source = target->soll_path.source;
    if (!result.soll) facts.soll_why_missing = result.soll_why_missing;
    facts.judged_against = result.judged_against;
    facts.judged_tolerance = result.band;
    if (goal.forecast) {
      facts.forecast = domain::ForecastFacts{goal.forecast->year_end, goal.forecast->value,
                                             goal.forecast->status, goal.forecast->best_case,
                                             goal.forecast->reachable};
    }
  } else if (const auto* monitoring = std::get_if<rules::MonitoringSpec>(&spec.spec)) {
    facts.metric = monitoring->metric;
    facts.actual = goal.result.actual;
    facts.unit = monitoring->unit;
    facts.provisional = goal.result.provisional;
    facts.previous = goal.result.previous;
    facts.change_pct = goal.result.change_pct;
  } else {
    for (const auto& m : goal.milestones) {
      facts.milestones.push_back(
          {m.milestone->id, m.milestone->title, m.milestone->due, m.done_on, m.status});
    }
  }
  if (goal.result.status == rules::GoalStatus::no_data) facts.why_missing = goal.result.why_missing;
  return facts;
}

domain::Evaluation evaluation_of(const EvaluationReport& report) {
  domain::Evaluation evaluation;
  evaluation.agreement = report.agreement;
  evaluation.period = report.period;
  evaluation.known_at = report.known_at;
  evaluation.rule_set_version = report.rule_set_version;
  for (const auto& goal : report.goals)
    evaluation.goals.push_back(agenda_goal(goal));
  return evaluation;
}

std::string evaluation_json(const EvaluationReport& report, int indent) {
  return encode_evaluation(evaluation_of(report), indent);
}

}  // namespace zielwerk::engine
