// The evaluation of a reporting month as facts and as JSON: the document
// `evaluate --format json` prints (the contract's fields, docs/evaluation.md)
// and the snapshot a prepared review freezes. One builder from an evaluation
// (evaluation_of) and one writer (engine/documents.h) for both, so what a
// review saw reads exactly like an evaluation.
#pragma once

#include <string>

#include "zielwerk/domain/agenda.h"
#include "zielwerk/engine/evaluation_report.h"

namespace zielwerk::engine {

// A goal's evaluation as the facts an agenda, a snapshot and a report show.
domain::AgendaGoal agenda_goal(const GoalEvaluation& goal);
// Every goal of the report, in its order.
domain::Evaluation evaluation_of(const EvaluationReport& report);

// {"agreement", "period", "known_at", "rule_set_version", "goals": [...]};
// `indent` as nlohmann::json::dump (-1: compact).
std::string evaluation_json(const EvaluationReport& report, int indent = -1);

}  // namespace zielwerk::engine
