// The evaluation of a reporting month as JSON: the document `evaluate --format
// json` prints (the contract's fields, docs/evaluation.md) and the snapshot a
// prepared review freezes. One writer for both, so what a review saw reads
// exactly like an evaluation.
#pragma once

#include <string>

#include "zielwerk/engine/evaluation_report.h"

namespace zielwerk::engine {

// {"agreement", "period", "known_at", "rule_set_version", "goals": [...]};
// `indent` as nlohmann::json::dump (-1: compact).
std::string evaluation_json(const EvaluationReport& report, int indent = -1);

// One element of "goals".
std::string goal_evaluation_json(const GoalEvaluation& goal);

}  // namespace zielwerk::engine
