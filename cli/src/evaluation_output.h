// The evaluation of a reporting month as a table for people, JSON for scripts
// (the contract's fields, docs/evaluation.md) and CSV for spreadsheets, and
// the explanation of one goal's value.
#pragma once

#include <ostream>

#include "zielwerk/engine/evaluation_report.h"

namespace zielwerk::cli {

void write_evaluation_table(const engine::EvaluationReport& report, const std::string& title,
                            std::ostream& out);
void write_evaluation_json(const engine::EvaluationReport& report, std::ostream& out);
void write_evaluation_csv(const engine::EvaluationReport& report, std::ostream& out);

void write_explanation_text(const engine::GoalExplanation& explanation, YearMonth period,
                            std::ostream& out);
void write_explanation_json(const engine::GoalExplanation& explanation, YearMonth period,
                            std::ostream& out);

}  // namespace zielwerk::cli
