#include "zielwerk/engine/milestones.h"

#include <nlohmann/json.hpp>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/domain/audit_vocabulary.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::engine {

Status record_milestone_done(const Project& project, storage::Database& database,
                             const MilestoneDone& request) {
  const rules::Goal* goal = project.rules.find_goal(request.goal);
  if (goal == nullptr) {
    return Error::usage("unknown goal '" + request.goal + "'" +
                        did_you_mean(request.goal, project.rules.goal_ids()));
  }
  const auto* spec = std::get_if<rules::MilestoneSpec>(&goal->spec);
  if (spec == nullptr) {
    return Error::usage("goal '" + goal->id + "' is a " + rules::to_string(goal->kind()) +
                        " goal and has no milestones");
  }
  std::vector<std::string> ids;
  for (const auto& milestone : spec->milestones)
    ids.push_back(milestone.id);
  const rules::Milestone* milestone = spec->find(request.milestone);
  if (milestone == nullptr) {
    return Error::usage("goal '" + goal->id + "' has no milestone '" + request.milestone + "'" +
                        did_you_mean(request.milestone, ids) + "; milestones: " + join(ids, ", "));
  }
  const auto today = workflows::local_date(project.config.time_zone, request.now);
  if (request.date > today) {
    return Error::usage("the date " + format_date(request.date) + " is in the future (today is " +
                        format_date(today) + "); record a milestone once it is done");
  }
  if (const Status allowed =
          authorize(project, database, request.actor, request.now, Action::record_milestone,
                    {goal->id, ""}, {{"milestone", goal->id + "/" + milestone->id}});
      !allowed) {
    return allowed;
  }

  return database.write([&]() -> Status {
    if (const Status begun = begin_change(project, database, request.actor, request.now); !begun) {
      return begun;
    }
    std::map<std::string, std::chrono::year_month_day, std::less<>> done;
    for (const auto& record : storage::load_milestone_records(database, std::nullopt)) {
      if (record.goal == goal->id) done.emplace(record.milestone, record.done_on);
    }
    if (const auto it = done.find(milestone->id); it != done.end()) {
      return Error::usage("milestone '" + milestone->id + "' of goal '" + goal->id +
                          "' is already recorded as done on " + format_date(it->second));
    }
    if (spec->ordered) {
      const auto position = static_cast<std::size_t>(milestone - spec->milestones.data());
      if (position > 0) {
        const rules::Milestone& before = spec->milestones[position - 1];
        const auto it = done.find(before.id);
        if (it == done.end()) {
          return Error::usage("the milestones of goal '" + goal->id + "' are done in order: '" +
                              before.id + "' comes before '" + milestone->id +
                              "' and is not done yet");
        }
        if (it->second > request.date) {
          return Error::usage("the milestones of goal '" + goal->id + "' are done in order: '" +
                              before.id + "' was done on " + format_date(it->second) + ", after " +
                              format_date(request.date));
        }
      }
    }
    const storage::AuditEvent event =
        audit_event(project, request.actor, request.now, domain::AuditOperation::milestone_done,
                    {{"goal", goal->id}, {"milestone", goal->id + "/" + milestone->id}},
                    {{"goal", goal->id},
                     {"milestone", milestone->id},
                     {"done_on", format_date(request.date)},
                     {"due", format_date(milestone->due)}});
    storage::insert_milestone_record(database, {goal->id, milestone->id, request.date, request.now,
                                                request.actor, storage::next_audit_seq(database)});
    storage::append_audit_record(database, event);
    claim_database(database, project);
    return Ok{};
  });
}

}  // namespace zielwerk::engine
