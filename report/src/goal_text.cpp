#include "goal_text.h"

#include <vector>

namespace zielwerk::report {

using namespace zielwerk::locale;

std::string actual_text(const GoalRow& goal, Language language) {
  if (!goal.actual) return {};
  // The edges of its status, and the Soll and target shown beside it, so that
  // no neighbouring figure reads the same when it is not.
  std::vector<double> edges = goal.edges;
  if (goal.soll) edges.push_back(*goal.soll);
  if (goal.target) edges.push_back(*goal.target);
  return format_quantity(*goal.actual, goal.unit, language, edges);
}

std::string soll_text(const GoalRow& goal, Language language) {
  if (!goal.soll) return {};
  return format_quantity(*goal.soll, goal.unit, language, goal.actual);
}

std::string reference_gap_text(const GoalRow& goal, Language language) {
  if (goal.soll_gap) return format_gap(*goal.soll_gap, goal.unit, language);
  if (goal.gap) return format_gap(*goal.gap, goal.unit, language);
  return {};
}

std::string soll_detail(const GoalRow& goal, Language language) {
  if (goal.judged_against == rules::Reference::target) {
    return std::string(phrase(Phrase::judged_against_target, language));
  }
  if (!goal.soll_source) return {};
  return std::string(soll_source_name(*goal.soll_source, language));
}

std::string target_text(const GoalRow& goal, Language language) {
  if (!goal.target) return {};
  if (!goal.op) return format_quantity(*goal.target, goal.unit, language, goal.actual);
  return format_target(*goal.op, *goal.target, goal.unit, language, goal.actual);
}

std::string target_detail(const GoalRow& goal, Language language) {
  std::vector<std::string> parts;
  if (goal.target_change_pct) {
    std::string part = std::string(phrase(Phrase::previous_year_value, language)) + " ";
    part += goal.previous_year ? format_quantity(*goal.previous_year, goal.unit, language)
                               : std::string(kNoValue);
    parts.push_back(part + " " + format_change_pct(*goal.target_change_pct, language));
  }
  if (goal.planned_change_pct) {
    parts.push_back(std::string(phrase(Phrase::planned_change, language)) + " " +
                    format_change_pct(*goal.planned_change_pct, language));
  }
  if ((goal.target_change_pct || goal.planned_change_pct) && goal.change_against_previous) {
    parts.push_back(std::string(phrase(Phrase::change_against_previous, language)) + " " +
                    format_change_pct(*goal.change_against_previous, language));
  }
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? "" : " · ") + part;
  return out;
}

}  // namespace zielwerk::report
