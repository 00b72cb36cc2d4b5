#include "zielwerk/domain/audit_vocabulary.h"

#include <array>

namespace zielwerk::domain {
namespace {

struct OperationEntry {
  AuditOperation operation;
  std::string_view name;
  std::string_view meaning;
};

// The one table of operations: enum, name, meaning, in declaration order.
constexpr std::array<OperationEntry, 15> kOperations = {{
    {AuditOperation::rules_change, "rules.change",
     "the rule set differs from the one noted last: its files and goals"},
    {AuditOperation::project_change, "project.change",
     "zielwerk.yaml differs from the one noted last: actors, their parties and roles, the "
     "calendar"},
    {AuditOperation::workflow_change, "workflow.change",
     "the workflows differ from those noted last: participants, scope, meetings, escalation"},
    {AuditOperation::observations_import, "observations.import",
     "a file of monthly figures was imported"},
    {AuditOperation::milestone_done, "milestone.done",
     "a milestone of a qualitative goal was recorded as done"},
    {AuditOperation::review_prepare, "review.prepare",
     "a review was prepared: snapshot of the figures and agenda"},
    {AuditOperation::review_missed, "review.missed", "a meeting passed while zielwerk did not run"},
    {AuditOperation::review_record, "review.record", "minutes were recorded in a review"},
    {AuditOperation::review_close, "review.close", "a review was closed"},
    {AuditOperation::measure_add, "measure.add", "a control measure was agreed"},
    {AuditOperation::measure_update, "measure.update",
     "a measure was followed up: status, dates, assignee or a note"},
    {AuditOperation::escalation_measure_overdue, "escalation.measure_overdue",
     "an overdue measure was escalated"},
    {AuditOperation::escalation_milestone_overdue, "escalation.milestone_overdue",
     "an overdue milestone was escalated"},
    {AuditOperation::escalation_measure_demanded, "escalation.measure_demanded",
     "a review's agenda demands a measure for a goal"},
    {AuditOperation::access_denied, "access.denied",
     "an actor tried a change it may not make; nothing was changed"},
}};

struct KindEntry {
  AuditObjectKind kind;
  std::string_view name;
  std::string_view meaning;
};

constexpr std::array<KindEntry, 12> kKinds = {{
    {AuditObjectKind::goal, "goal", "a goal of the agreement"},
    {AuditObjectKind::workflow, "workflow", "a review workflow"},
    {AuditObjectKind::review, "review", "a review meeting, workflow/reviewed month"},
    {AuditObjectKind::review_entry, "review_entry", "one line of a review's minutes"},
    {AuditObjectKind::measure, "measure", "a control measure, by number"},
    {AuditObjectKind::measure_followup, "measure_followup", "one follow-up of a measure"},
    {AuditObjectKind::milestone, "milestone", "a milestone, goal/milestone"},
    {AuditObjectKind::escalation, "escalation", "an escalation, by number"},
    {AuditObjectKind::import, "import", "an import of one file, by number"},
    {AuditObjectKind::rule_set, "rule_set", "a rule-set version, by the record that noted it"},
    {AuditObjectKind::config_set, "config_set",
     "a configuration (zielwerk.yaml, workflows), by the record that noted it"},
    {AuditObjectKind::actor, "actor", "an actor of zielwerk.yaml whose party or roles changed"},
}};

// Each table lists its enum in declaration order, so an entry is found by index.
constexpr bool operations_in_order() {
  for (std::size_t i = 0; i < kOperations.size(); ++i) {
    if (static_cast<std::size_t>(kOperations[i].operation) != i) return false;
  }
  return true;
}
constexpr bool kinds_in_order() {
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (static_cast<std::size_t>(kKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(operations_in_order(), "kOperations must follow AuditOperation's order");
static_assert(kinds_in_order(), "kKinds must follow AuditObjectKind's order");

}  // namespace

std::string_view to_string(AuditOperation operation) {
  return kOperations[static_cast<std::size_t>(operation)].name;
}

std::optional<AuditOperation> parse_audit_operation(std::string_view name) {
  for (const auto& entry : kOperations) {
    if (entry.name == name) return entry.operation;
  }
  return std::nullopt;
}

std::string_view to_string(AuditObjectKind kind) {
  return kKinds[static_cast<std::size_t>(kind)].name;
}

const std::vector<AuditTerm>& audit_operations() {
  static const std::vector<AuditTerm> terms = [] {
    std::vector<AuditTerm> all;
    for (const auto& entry : kOperations)
      all.push_back({std::string(entry.name), std::string(entry.meaning)});
    return all;
  }();
  return terms;
}

const std::vector<AuditTerm>& audit_object_kinds() {
  static const std::vector<AuditTerm> terms = [] {
    std::vector<AuditTerm> all;
    for (const auto& entry : kKinds)
      all.push_back({std::string(entry.name), std::string(entry.meaning)});
    return all;
  }();
  return terms;
}

}  // namespace zielwerk::domain
