// Goal definitions as canonical JSON and their differences: what the audit trail
// records when the rule set changes, so an auditor can see which goal changed how.
// Pure functions; no database, no clock.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/rules/model.h"

namespace zielwerk::engine {

// Canonical JSON text (keys sorted, no whitespace) of an object mapping each goal id to its
// definition: everything that is agreed about the goal and changes what it means, and nothing
// about where it was written (no file names, lines, object paths).
//
// Every goal: "title", "description", "section", "responsibility" ("BA"/"kommunal"),
// "binding", "kind" ("target"/"monitoring"/"milestone"), and by kind
//   target:     "target": {"metric", "comparison" (">=", ">", "<=", "<"), "value", "unit",
//                          "tolerance", "planned_change_pct" (null when absent)}
//   monitoring: "monitoring": {"metric", "unit"}
//   milestone:  "ordered", "milestones": {<milestone id>: {"title", "due" ("YYYY-MM-DD"),
//                                         "position" (1-based, in declaration order)}}
// Numbers are JSON numbers. Goals in different rule files, or moved between files, give the
// same text; a comment-only change gives the same text.
std::string goal_definitions_json(const rules::RuleSet& rules);

struct GoalFieldChange {
  std::string field;   // dotted path, e.g. "target.value", "milestones.erste-schulung.due"
  std::string before;  // JSON text of the old value; "null" when the field is new
  std::string after;   // JSON text of the new value; "null" when the field was removed
};

enum class GoalChangeKind { added, removed, changed };
std::string to_string(GoalChangeKind kind);  // "added", "removed", "changed"

struct GoalChange {
  std::string goal;
  GoalChangeKind kind = GoalChangeKind::changed;
  std::vector<GoalFieldChange> fields;  // for `changed`, sorted by field; empty otherwise
};

// Goals added, removed or changed from `before` to `after` (two goal_definitions_json texts),
// sorted by goal id. Definitions are compared field by field: nested objects are flattened into
// dotted paths, arrays and other values compare as whole values (numbers by value, so 80 and
// 80.0 are equal). `before` may be empty text (no earlier version): then every goal is added;
// likewise an empty `after` removes every goal. Text that is not JSON, or not an object of
// objects, is std::invalid_argument.
std::vector<GoalChange> diff_goal_definitions(std::string_view before, std::string_view after);

// The changes as canonical JSON, for audit record details: an array of
// {"goal", "change" (to_string of the kind), "fields": [{"field", "before", "after"}]} with
// before/after as JSON values, not strings. A field whose before/after is not JSON text is
// std::invalid_argument.
std::string goal_changes_json(const std::vector<GoalChange>& changes);

}  // namespace zielwerk::engine
