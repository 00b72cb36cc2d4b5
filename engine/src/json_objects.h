// Inside the engine: the evaluation JSON as objects, for the review snapshot and agenda.
#pragma once

#include <nlohmann/json.hpp>

#include "zielwerk/engine/evaluation_report.h"

namespace zielwerk::engine {

nlohmann::json goal_object(const GoalEvaluation& goal);
nlohmann::json report_object(const EvaluationReport& report);

}  // namespace zielwerk::engine
