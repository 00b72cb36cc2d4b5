// Workflow definitions: which parties review which goals, and when they meet.
//
// This header fixes the *shape* of a workflow file and what `check` validates
// about it (references to parties and goals, a meeting rule that names a real
// time). Producing meeting dates from the rule, agendas and escalation are built
// on top of it. Pure code: files come in as parsed YAML documents.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/rules/yaml_document.h"

namespace zielwerk::workflows {

enum class Frequency { monthly, quarterly };  // quarterly: January, April, July, October
enum class HolidayRule { skip, next_business_day, previous_business_day };

struct MeetingRule {
  Frequency frequency = Frequency::monthly;
  std::chrono::weekday weekday = std::chrono::Tuesday;  // Monday..Friday
  int week = 1;                                         // 1..4, or -1 for the last in the month
  std::chrono::minutes time_of_day{10 * 60};            // local civil time of the project
  HolidayRule on_holiday = HolidayRule::next_business_day;
  // The reporting month a meeting reviews, relative to the meeting's month
  // (-1: the month before, the latest with figures). -12..0.
  int reviews_month = -1;
  // How many days before a meeting `run` prepares it: freezes the evaluation
  // snapshot and builds the agenda the participants receive. 0..28.
  int prepare_days_before = 5;
};

// When the engine puts a goal or a measure on a review's agenda as an escalation.
struct EscalationRules {
  // A binding target goal with one of these statuses in this many consecutive
  // reviews (this one included), and no open measure for it: the agenda demands
  // a measure, and the review cannot be closed until it is decided.
  std::vector<rules::GoalStatus> demand_measure_on = {rules::GoalStatus::missed,
                                                      rules::GoalStatus::at_risk};
  int demand_measure_after = 2;  // 1..12
  // A measure past its due date is escalated to the next review and to this
  // party; empty: to the measure's owner party.
  std::string overdue_measures_to;
};

// Which goals a review covers: every filter given must match.
struct Scope {
  std::optional<rules::Responsibility> responsibility;
  std::vector<std::string> sections;
  std::vector<std::string> goals;
};

struct Workflow {
  std::string id;
  std::string title;
  std::vector<std::string> participants;  // party ids of the agreement
  Scope scope;
  MeetingRule meetings;
  EscalationRules escalation;
  SourceLocation location;
  std::string file;
};

// Reads the workflow files and validates them against `rules` (parties, goals,
// sections). Every problem is reported; returns nullopt when there is an error.
std::optional<std::vector<Workflow>> load_workflows(const std::vector<rules::FileReference>& files,
                                                    const rules::RuleSet& rules,
                                                    Diagnostics& diagnostics,
                                                    const rules::YamlLimits& limits = {});

// The same from texts in memory (display name -> content), for tests.
std::optional<std::vector<Workflow>> load_workflows_from_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, const rules::RuleSet& rules,
    Diagnostics& diagnostics);

// The goals of `rules` a workflow's scope selects, in declaration order.
std::vector<const rules::Goal*> goals_in_scope(const Scope& scope, const rules::RuleSet& rules);

// Keys per JSON Schema $defs name (workflowFile, workflow, scope, meetings, escalation).
std::map<std::string, std::vector<std::string>> workflow_file_keys();

}  // namespace zielwerk::workflows
