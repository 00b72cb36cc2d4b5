// Who may do what: the permission policy for the actors of zielwerk.yaml. Pure
// code on a loaded Project (no database, no clock). A command that changes data
// asks `refusal` before it writes; a refused attempt changes nothing and is
// recorded as `access.denied`. The rules are documented in docs/permissions.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "zielwerk/engine/project.h"
#include "zielwerk/rules/project_config.h"

namespace zielwerk::engine {

// What an actor attempts. The comment names the command and which fields of
// `Subject` the action uses; fields an action does not use are ignored.
enum class Action {
  import_figures,    // zielwerk import (no goal, no workflow)
  run_workflows,     // zielwerk run / serve: prepare reviews, escalate (no goal, no workflow)
  record_milestone,  // milestone done (goal given)
  record_minutes,    // review record: attendance, assessment, external conditions, decisions,
                     // no-measure (workflow given; goal given for goal-level entries)
  close_review,      // review close (workflow given)
  add_measure,       // measure add (goal and workflow given)
  update_measure,    // measure update (goal and workflow given)
};

// The action in plain words for messages and docs, lower case, without a full
// stop: "import figures", "run workflows", "record a milestone", "record review
// minutes", "close a review", "add a measure", "update a measure".
std::string to_string(Action action);
// The operation the action records in the audit trail, e.g. "measure.add";
// an `access.denied` record names it as the attempted operation.
std::string operation_name(Action action);

// What an action is about: ids of the project's goal and workflow. Empty means
// not applicable (e.g. minutes for the whole review have no goal).
struct Subject {
  std::string goal;
  std::string workflow;
};

// nullopt when `actor` may perform `action` on `subject`; otherwise the reason,
// one sentence without a full stop naming the actor, its party or roles and
// what the rule requires, e.g. "actor 'sozialamt-kreis' (party kreis, kommunal
// side) may not add a measure for goal 'iq-frauen': it is a BA goal, recorded by
// the BA side (agentur) or the jobcenter (gE)". Checked in this order, the
// first failing rule giving the reason:
//  1. roles: one of the actor's roles grants the action (`actions_of`; union);
//  2. subject: a goal or workflow id the action uses names one of `project`
//     (an unknown id is the caller's error, refused, never a crash);
//  3. side: for a goal, the party acts on the goal's side (Party::acts_on:
//     as declared, or by carrier: BA -> BA goals, kommunal -> kommunal goals,
//     gE -> both, zkT -> zkT goals, Land -> Land goals); applies to
//     record_milestone, record_minutes, add_measure and update_measure;
//  4. participation: for a workflow, the actor's party is one of its
//     participants; applies to record_minutes, close_review, add_measure and
//     update_measure.
// import_figures and run_workflows depend on the roles only. `actor` need not
// be one of project.config.actors; a party the agreement does not know is
// refused wherever side or participation is checked.
std::optional<std::string> refusal(const Project& project, const rules::Actor& actor, Action action,
                                   const Subject& subject);

// The actions a role grants, in declaration order of Action: coordinator all,
// reviewer record_milestone..update_measure, system import_figures and
// run_workflows, auditor none (it reads only). For docs, --help and tests.
std::vector<Action> actions_of(rules::Role role);

}  // namespace zielwerk::engine
