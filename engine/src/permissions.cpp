#include "zielwerk/engine/permissions.h"

#include <algorithm>
#include <array>

#include "zielwerk/common/text.h"
#include "zielwerk/domain/audit_vocabulary.h"

namespace zielwerk::engine {
namespace {

using rules::Responsibility;
using rules::Role;

constexpr std::array kAllActions = {
    Action::import_figures, Action::run_workflows, Action::record_milestone, Action::record_minutes,
    Action::close_review,   Action::add_measure,   Action::update_measure,
};

constexpr std::array kAllRoles = {Role::coordinator, Role::reviewer, Role::auditor, Role::system};

bool uses_goal(Action action) {
  return action == Action::record_milestone || action == Action::record_minutes ||
         action == Action::add_measure || action == Action::update_measure;
}

bool uses_workflow(Action action) {
  return action == Action::record_minutes || action == Action::close_review ||
         action == Action::add_measure || action == Action::update_measure;
}

bool grants(Role role, Action action) {
  const auto actions = actions_of(role);
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

// "a or b", "a, b or c"; "" for none.
std::string either(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return parts.empty() ? "" : parts.front();
  const std::vector<std::string> head(parts.begin(), parts.end() - 1);
  return join(head, ", ") + " or " + parts.back();
}

std::string both(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return parts.empty() ? "" : parts.front();
  const std::vector<std::string> head(parts.begin(), parts.end() - 1);
  return join(head, ", ") + " and " + parts.back();
}

// "(party kreis, kommunal side)": the side a party stands for in a refusal.
std::string side_of(const rules::Party& party) {
  if (party.carrier == rules::Carrier::joint_institution && party.acts_on.size() > 1)
    return "joint institution (gE), sides " + both(party.acts_on);
  if (party.acts_on.size() > 1) return "sides " + both(party.acts_on);
  if (party.acts_on.empty()) return "acts on no goal";
  return party.acts_on.front() + " side";
}

// "the BA side (agentur) or the jobcenter (gE)": who may act on a goal of
// `side`. Parties of the side's own carrier first, then the others acting on it.
std::string who_acts_on(const Project& project, const Responsibility& side) {
  std::vector<std::string> own_ids;
  std::vector<std::string> others;
  for (const auto& party : project.rules.agreement.parties) {
    if (!party.acts_on_side(side)) continue;
    if (rules::to_string(party.carrier) == side)
      own_ids.push_back(party.id);
    else
      others.push_back("the " + party.id + " (" + rules::to_string(party.carrier) + ")");
  }
  std::string text;
  if (!own_ids.empty()) text = "the " + side + " side (" + join(own_ids, ", ") + ")";
  if (!others.empty()) text += (text.empty() ? "" : " or ") + either(others);
  return text.empty() ? "no party of the agreement" : text;
}

std::string role_list(const std::vector<Role>& roles) {
  if (roles.empty()) return "no role";
  std::vector<std::string> names;
  for (const auto role : roles)
    names.push_back(rules::to_string(role));
  return (roles.size() == 1 ? "role " : "roles ") + join(names, ", ");
}

}  // namespace

std::string to_string(Action action) {
  switch (action) {
    case Action::import_figures:
      return "import figures";
    case Action::run_workflows:
      return "run workflows";
    case Action::record_milestone:
      return "record a milestone";
    case Action::record_minutes:
      return "record review minutes";
    case Action::close_review:
      return "close a review";
    case Action::add_measure:
      return "add a measure";
    case Action::update_measure:
      return "update a measure";
  }
  return "?";
}

std::string operation_name(Action action) {
  using domain::AuditOperation;
  const auto name = [](AuditOperation operation) {
    return std::string(domain::to_string(operation));
  };
  switch (action) {
    case Action::import_figures:
      return name(AuditOperation::observations_import);
    case Action::run_workflows:
      return "run";  // no record of its own: each step it performs has one
    case Action::record_milestone:
      return name(AuditOperation::milestone_done);
    case Action::record_minutes:
      return name(AuditOperation::review_record);
    case Action::close_review:
      return name(AuditOperation::review_close);
    case Action::add_measure:
      return name(AuditOperation::measure_add);
    case Action::update_measure:
      return name(AuditOperation::measure_update);
  }
  return "?";
}

std::vector<Action> actions_of(Role role) {
  switch (role) {
    case Role::coordinator:
      return {kAllActions.begin(), kAllActions.end()};
    case Role::reviewer:
      return {Action::record_milestone, Action::record_minutes, Action::close_review,
              Action::add_measure, Action::update_measure};
    case Role::system:
      return {Action::import_figures, Action::run_workflows};
    case Role::auditor:
      return {};
  }
  return {};
}

std::optional<std::string> refusal(const Project& project, const rules::Actor& actor, Action action,
                                   const Subject& subject) {
  const std::string who = "actor " + quoted(actor.id);
  const std::string attempt = " may not " + to_string(action);

  // 1. Roles: the union of what the actor's roles grant.
  const bool granted = std::any_of(actor.roles.begin(), actor.roles.end(),
                                   [&](Role role) { return grants(role, action); });
  if (!granted) {
    std::vector<std::string> needed;
    for (const auto role : kAllRoles)
      if (grants(role, action)) needed.push_back(rules::to_string(role));
    return who + " (party " + actor.party + ", " + role_list(actor.roles) + ")" + attempt +
           ": that needs the role " + either(needed);
  }

  const bool check_goal = uses_goal(action) && !subject.goal.empty();
  const bool check_workflow = uses_workflow(action) && !subject.workflow.empty();
  const std::string for_goal = " for goal " + quoted(subject.goal);
  const std::string in_workflow = " in workflow " + quoted(subject.workflow);

  // 2. The subject must name the project's goal and workflow: anything else is a caller error.
  const rules::Goal* goal = check_goal ? project.rules.find_goal(subject.goal) : nullptr;
  if (check_goal && goal == nullptr) {
    return who + attempt + for_goal + ": the project has no goal " + quoted(subject.goal) +
           did_you_mean(subject.goal, project.rules.goal_ids()) + " (an error of the caller)";
  }
  const workflows::Workflow* workflow = nullptr;
  if (check_workflow) {
    const auto it =
        std::find_if(project.workflows.begin(), project.workflows.end(),
                     [&](const workflows::Workflow& w) { return w.id == subject.workflow; });
    if (it == project.workflows.end()) {
      std::vector<std::string> ids;
      for (const auto& w : project.workflows)
        ids.push_back(w.id);
      return who + attempt + in_workflow + ": the project has no workflow " +
             quoted(subject.workflow) + did_you_mean(subject.workflow, ids) +
             " (an error of the caller)";
    }
    workflow = &*it;
  }

  // 3. Side: the party's carrier must be responsible for the goal.
  if (goal != nullptr) {
    const rules::Party* party = project.rules.agreement.find_party(actor.party);
    if (party == nullptr) {
      return who + " (party " + actor.party + ")" + attempt + for_goal + ": " +
             quoted(actor.party) + " is not a party of the agreement, so it has no side";
    }
    if (!party->acts_on_side(goal->responsibility)) {
      return who + " (party " + actor.party + ", " + side_of(*party) + ")" + attempt + for_goal +
             ": it is a " + goal->responsibility + " goal, recorded by " +
             who_acts_on(project, goal->responsibility);
    }
  }

  // 4. Participation: the actor's party must take part in the workflow.
  if (workflow != nullptr && std::find(workflow->participants.begin(), workflow->participants.end(),
                                       actor.party) == workflow->participants.end()) {
    if (workflow->participants.size() == 1) {
      return who + " (party " + actor.party + ")" + attempt + in_workflow +
             ": only its participant " + workflow->participants.front() + " acts in it";
    }
    return who + " (party " + actor.party + ")" + attempt + in_workflow +
           ": only its participants " + both(workflow->participants) + " act in it";
  }
  return std::nullopt;
}

}  // namespace zielwerk::engine
