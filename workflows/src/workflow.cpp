#include "zielwerk/workflows/workflow.h"

#include <algorithm>
#include <set>

#include "zielwerk/common/text.h"
#include "zielwerk/rules/object_reader.h"

namespace zielwerk::workflows {
namespace {

using rules::Node;
using rules::ObjectReader;

const std::vector<std::string> kFileKeys = {"workflow"};
const std::vector<std::string> kWorkflowKeys = {"id",    "title",    "participants",
                                                "scope", "meetings", "escalation"};
const std::vector<std::string> kScopeKeys = {"responsibility", "sections", "goals"};
const std::vector<std::string> kMeetingKeys = {
    "frequency", "weekday", "week", "time", "on_holiday", "reviews_month", "prepare_days_before"};
const std::vector<std::string> kEscalationKeys = {"demand_measure_on", "demand_measure_after",
                                                  "overdue_measures_to"};
const std::vector<std::string> kDemandStatuses = {"missed", "at_risk"};
const std::vector<std::string> kFrequencies = {"monthly", "quarterly"};
const std::vector<std::string> kWeekdays = {"monday", "tuesday", "wednesday", "thursday", "friday"};
const std::vector<std::string> kHolidayRules = {"skip", "next_business_day",
                                                "previous_business_day"};

template <typename Enum>
Enum enum_at(const std::vector<std::string>& words, const std::string& word) {
  return static_cast<Enum>(std::find(words.begin(), words.end(), word) - words.begin());
}

// "HH:MM" with 00..23 and 00..59.
std::optional<std::chrono::minutes> parse_time_of_day(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return std::chrono::minutes(hours * 60 + minutes);
}

class WorkflowDecoder {
 public:
  WorkflowDecoder(const rules::RuleSet& rules, Diagnostics& diagnostics)
      : rules_(rules), diagnostics_(diagnostics) {}

  std::optional<Workflow> decode(const rules::Document& document) {
    ObjectReader file(document.root(), "", kFileKeys, diagnostics_);
    if (!file.is_map()) return std::nullopt;
    const Node* node = file.get("workflow");
    if (node == nullptr) {
      file.error("workflow", "missing required key 'workflow'");
      return std::nullopt;
    }
    ObjectReader reader(*node, "workflow", kWorkflowKeys, diagnostics_);
    if (!reader.is_map()) return std::nullopt;
    Workflow workflow;
    workflow.location = node->location();
    workflow.file = document.file();
    const auto id = reader.id("id", true);
    if (id) {
      workflow.id = *id;
      reader.name_object(*id);
    }
    if (const auto title = reader.text("title", true)) workflow.title = *title;
    decode_participants(reader, workflow);
    if (const Node* scope = reader.get("scope")) {
      decode_scope(*scope, reader.child_path("scope"), workflow.scope);
    } else {
      reader.error_at(node->location(), "missing required key 'scope'");
    }
    if (const Node* meetings = reader.get("meetings")) {
      decode_meetings(*meetings, reader.child_path("meetings"), workflow.meetings);
    } else {
      reader.error_at(node->location(), "missing required key 'meetings'");
    }
    if (const Node* escalation = reader.get("escalation")) {
      decode_escalation(*escalation, reader.child_path("escalation"), workflow);
    }
    if (!id) return std::nullopt;
    return workflow;
  }

 private:
  void decode_participants(ObjectReader& reader, Workflow& workflow) {
    const auto participants = reader.id_list("participants", true);
    std::set<std::string> seen;
    for (const auto& [party, where] : participants) {
      if (rules_.agreement.find_party(party) == nullptr) {
        std::vector<std::string> ids;
        for (const auto& p : rules_.agreement.parties)
          ids.push_back(p.id);
        reader.error_at(where,
                        "participants: unknown party '" + party + "'" + did_you_mean(party, ids));
        continue;
      }
      if (!seen.insert(party).second) {
        reader.error_at(where, "participants: '" + party + "' is listed twice");
        continue;
      }
      workflow.participants.push_back(party);
    }
    // One participant is a review too: the jobcenter's own controlling round
    // prepares, minutes and follows up measures like a dialogue between parties.
  }

  void decode_scope(const Node& node, const std::string& path, Scope& scope) {
    ObjectReader reader(node, path, kScopeKeys, diagnostics_);
    if (!reader.is_map()) return;
    if (const auto responsibility = reader.text("responsibility", false)) {
      // The sides are the agreement's: whatever its parties act on.
      const auto sides = rules_.agreement.sides();
      if (std::find(sides.begin(), sides.end(), *responsibility) == sides.end()) {
        reader.error("responsibility", "no party of the agreement acts on '" + *responsibility +
                                           "' goals" + did_you_mean(*responsibility, sides) +
                                           " (sides of the parties: " + join(sides, ", ") + ")");
      } else {
        scope.responsibility = *responsibility;
      }
    }
    if (const Node* sections = reader.list("sections", false)) {
      std::set<std::string> known;
      for (const auto& goal : rules_.goals)
        known.insert(goal.section);
      for (const Node* item : sections->items()) {
        if (!item->is_scalar() || known.count(item->text()) == 0) {
          reader.error_at(
              item->location(),
              "sections: no goal is in section " + item->describe() + " (sections in use: " +
                  join(std::vector<std::string>(known.begin(), known.end()), ", ") + ")");
          continue;
        }
        scope.sections.push_back(item->text());
      }
    }
    for (const auto& [goal, where] : reader.id_list("goals", false)) {
      if (rules_.find_goal(goal) == nullptr) {
        reader.error_at(
            where, "goals: unknown goal '" + goal + "'" + did_you_mean(goal, rules_.goal_ids()));
        continue;
      }
      scope.goals.push_back(goal);
    }
    const bool filtered = scope.responsibility || !scope.sections.empty() || !scope.goals.empty();
    if (!filtered && !reader.has("responsibility") && !reader.has("sections") &&
        !reader.has("goals")) {
      reader.error_at(node.location(),
                      "give at least one of responsibility, sections, goals to say what the "
                      "review covers");
    } else if (filtered && goals_in_scope(scope, rules_).empty()) {
      reader.error_at(node.location(), "the scope selects no goal (all filters must match)");
    }
  }

  void decode_meetings(const Node& node, const std::string& path, MeetingRule& rule) {
    ObjectReader reader(node, path, kMeetingKeys, diagnostics_);
    if (!reader.is_map()) return;
    if (const auto frequency = reader.choice("frequency", true, kFrequencies)) {
      rule.frequency = enum_at<Frequency>(kFrequencies, *frequency);
    }
    if (const auto weekday = reader.choice("weekday", true, kWeekdays)) {
      rule.weekday = std::chrono::weekday(
          static_cast<unsigned>(enum_at<int>(kWeekdays, *weekday) + 1));  // Monday == 1
    }
    if (const auto week = reader.integer("week", true, -1, 4)) {
      if (*week == 0) {
        reader.error("week", "expected 1, 2, 3, 4 or -1 (the last), got 0");
      } else {
        rule.week = static_cast<int>(*week);
      }
    }
    if (const auto time = reader.text("time", true)) {
      if (const auto parsed = parse_time_of_day(*time)) {
        rule.time_of_day = *parsed;
      } else {
        reader.error("time", "expected a local time HH:MM (00:00 to 23:59), got '" + *time +
                                 "' (quote it: \"10:00\")");
      }
    }
    if (const auto on_holiday = reader.choice("on_holiday", false, kHolidayRules)) {
      rule.on_holiday = enum_at<HolidayRule>(kHolidayRules, *on_holiday);
    }
    if (const auto months = reader.integer("reviews_month", false, -12, 0)) {
      rule.reviews_month = static_cast<int>(*months);
    }
    // At least a day: a review prepared at its meeting's start would be late.
    if (const auto days = reader.integer("prepare_days_before", false, 1, 28)) {
      rule.prepare_days_before = static_cast<int>(*days);
    }
  }

  void decode_escalation(const Node& node, const std::string& path, Workflow& workflow) {
    ObjectReader reader(node, path, kEscalationKeys, diagnostics_);
    if (!reader.is_map()) return;
    EscalationRules& rules = workflow.escalation;
    if (const Node* statuses = reader.list("demand_measure_on", false)) {
      rules.demand_measure_on.clear();
      if (statuses->items().empty()) {
        reader.error_at(statuses->location(),
                        "demand_measure_on: list at least one of missed, at_risk");
      }
      for (const Node* item : statuses->items()) {
        const bool known =
            item->is_scalar() && std::find(kDemandStatuses.begin(), kDemandStatuses.end(),
                                           item->text()) != kDemandStatuses.end();
        if (!known) {
          reader.error_at(item->location(),
                          "demand_measure_on: expected missed or at_risk, got " + item->describe());
          continue;
        }
        const auto status = *rules::parse_goal_status(item->text());
        if (std::find(rules.demand_measure_on.begin(), rules.demand_measure_on.end(), status) !=
            rules.demand_measure_on.end()) {
          reader.error_at(item->location(),
                          "demand_measure_on: '" + item->text() + "' is listed twice");
          continue;
        }
        rules.demand_measure_on.push_back(status);
      }
    }
    if (const auto reviews = reader.integer("demand_measure_after", false, 1, 12)) {
      rules.demand_measure_after = static_cast<int>(*reviews);
    }
    if (const auto party = reader.id("overdue_measures_to", false)) {
      if (std::find(workflow.participants.begin(), workflow.participants.end(), *party) ==
          workflow.participants.end()) {
        reader.error("overdue_measures_to",
                     "'" + *party + "' is not a participant of the workflow" +
                         did_you_mean(*party, workflow.participants) +
                         " (participants: " + join(workflow.participants, ", ") + ")");
      } else {
        rules.overdue_measures_to = *party;
      }
    }
  }

  const rules::RuleSet& rules_;
  Diagnostics& diagnostics_;
};

std::optional<std::vector<Workflow>> finish(
    const std::vector<std::optional<rules::Document>>& documents, const rules::RuleSet& rules,
    Diagnostics& diagnostics, std::size_t errors_before) {
  WorkflowDecoder decoder(rules, diagnostics);
  std::vector<Workflow> workflows;
  for (const auto& document : documents) {
    if (!document) continue;
    auto workflow = decoder.decode(*document);
    if (!workflow) continue;
    const auto first = std::find_if(workflows.begin(), workflows.end(),
                                    [&](const Workflow& w) { return w.id == workflow->id; });
    if (first != workflows.end()) {
      diagnostics.error(workflow->location, "workflow \"" + workflow->id +
                                                "\": duplicate workflow id (first in " +
                                                first->file + ")");
      continue;
    }
    workflows.push_back(std::move(*workflow));
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return workflows;
}

}  // namespace

std::optional<std::vector<Workflow>> load_workflows(const std::vector<rules::FileReference>& files,
                                                    const rules::RuleSet& rules,
                                                    Diagnostics& diagnostics,
                                                    const rules::YamlLimits& limits) {
  const std::size_t errors_before = diagnostics.error_count();
  std::vector<std::optional<rules::Document>> documents;
  for (const auto& file : files) {
    documents.push_back(rules::load_yaml_file(file.path, file.display_name, diagnostics, limits));
  }
  return finish(documents, rules, diagnostics, errors_before);
}

std::optional<std::vector<Workflow>> load_workflows_from_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, const rules::RuleSet& rules,
    Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  std::vector<std::optional<rules::Document>> documents;
  for (const auto& [name, text] : sources) {
    documents.push_back(rules::parse_yaml(text, name, diagnostics));
  }
  return finish(documents, rules, diagnostics, errors_before);
}

std::vector<const rules::Goal*> goals_in_scope(const Scope& scope, const rules::RuleSet& rules) {
  std::vector<const rules::Goal*> selected;
  for (const auto& goal : rules.goals) {
    if (scope.responsibility && goal.responsibility != *scope.responsibility) continue;
    if (!scope.sections.empty() && std::find(scope.sections.begin(), scope.sections.end(),
                                             goal.section) == scope.sections.end()) {
      continue;
    }
    if (!scope.goals.empty() &&
        std::find(scope.goals.begin(), scope.goals.end(), goal.id) == scope.goals.end()) {
      continue;
    }
    selected.push_back(&goal);
  }
  return selected;
}

std::map<std::string, std::vector<std::string>> workflow_file_keys() {
  return {{"workflowFile", kFileKeys},
          {"workflow", kWorkflowKeys},
          {"scope", kScopeKeys},
          {"meetings", kMeetingKeys},
          {"escalation", kEscalationKeys}};
}

}  // namespace zielwerk::workflows
