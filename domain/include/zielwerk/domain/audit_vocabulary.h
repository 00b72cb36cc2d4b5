// The vocabulary of zielwerk's audit trail: every operation a record can have
// and every kind of object a record can name, each once, with its meaning.
// The engine writes records with these names only; queries, docs/audit.md and
// --help list the same words.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zielwerk::domain {

enum class AuditOperation {
  rules_change,                  // rules.change
  project_change,                // project.change
  workflow_change,               // workflow.change
  observations_import,           // observations.import
  milestone_done,                // milestone.done
  review_prepare,                // review.prepare
  review_missed,                 // review.missed
  review_record,                 // review.record
  review_close,                  // review.close
  measure_add,                   // measure.add
  measure_update,                // measure.update
  escalation_measure_overdue,    // escalation.measure_overdue
  escalation_milestone_overdue,  // escalation.milestone_overdue
  escalation_measure_demanded,   // escalation.measure_demanded
  access_denied,                 // access.denied
};

// The name records carry, e.g. "measure.add".
std::string_view to_string(AuditOperation operation);
std::optional<AuditOperation> parse_audit_operation(std::string_view name);

enum class AuditObjectKind {
  goal,
  workflow,
  review,
  review_entry,
  measure,
  measure_followup,
  milestone,
  escalation,
  import,
  rule_set,
  config_set,
  actor,
};
std::string_view to_string(AuditObjectKind kind);  // "goal", "review_entry", ...

struct AuditTerm {
  std::string name;
  std::string meaning;
};

// Every operation with what it means, in declaration order.
const std::vector<AuditTerm>& audit_operations();
// Every object kind with what it names, in declaration order.
const std::vector<AuditTerm>& audit_object_kinds();

}  // namespace zielwerk::domain
