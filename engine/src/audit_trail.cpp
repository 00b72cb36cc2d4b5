#include "zielwerk/engine/audit_trail.h"

namespace zielwerk::engine {

const std::vector<AuditTerm>& audit_operations() {
  static const std::vector<AuditTerm> operations = {
      {"rules.change", "the rule set differs from the one noted last: its files and goals"},
      {"observations.import", "a file of monthly figures was imported"},
      {"milestone.done", "a milestone of a qualitative goal was recorded as done"},
      {"review.prepare", "a review was prepared: snapshot of the figures and agenda"},
      {"review.missed", "a meeting passed while zielwerk did not run"},
      {"review.record", "minutes were recorded in a review"},
      {"review.close", "a review was closed"},
      {"measure.add", "a control measure was agreed"},
      {"measure.update", "a measure was followed up: status, dates, assignee or a note"},
      {"escalation.measure_overdue", "an overdue measure was escalated"},
      {"escalation.milestone_overdue", "an overdue milestone was escalated"},
      {"escalation.measure_demanded", "a review's agenda demands a measure for a goal"},
      {"access.denied", "an actor tried a change it may not make; nothing was changed"},
  };
  return operations;
}

const std::vector<AuditTerm>& audit_object_kinds() {
  static const std::vector<AuditTerm> kinds = {
      {"goal", "a goal of the agreement"},
      {"workflow", "a review workflow"},
      {"review", "a review meeting, workflow/reviewed month"},
      {"review_entry", "one line of a review's minutes"},
      {"measure", "a control measure, by number"},
      {"measure_followup", "one follow-up of a measure"},
      {"milestone", "a milestone, goal/milestone"},
      {"escalation", "an escalation, by number"},
      {"import", "an import of one file, by number"},
      {"rule_set", "a rule-set version, by the record that noted it"},
  };
  return kinds;
}

}  // namespace zielwerk::engine
