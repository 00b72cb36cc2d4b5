#include "zielwerk/engine/measures.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;
using storage::MeasureStatus;
using storage::ReviewState;

json date_or_null(const std::optional<std::chrono::year_month_day>& date) {
  return date ? json(format_date(*date)) : json(nullptr);
}

// Due and follow-up dates are about the time after the meeting that sets them.
Status check_dates(const storage::ReviewRecord& review,
                   const std::optional<std::chrono::year_month_day>& due,
                   const std::optional<std::chrono::year_month_day>& follow_up) {
  if (review.meeting_date) {
    for (const auto& [date, name] :
         {std::pair{due, "due date"}, std::pair{follow_up, "follow-up date"}}) {
      if (date && *date < *review.meeting_date) {
        return Error::usage(std::string("the ") + name + " " + format_date(*date) +
                            " is before the meeting of review '" + review.id + "' on " +
                            format_date(*review.meeting_date));
      }
    }
  }
  return Ok{};
}

Status check_follow_up_before_due(std::chrono::year_month_day due,
                                  const std::optional<std::chrono::year_month_day>& follow_up) {
  if (follow_up && due < *follow_up) {
    return Error::usage("the follow-up date " + format_date(*follow_up) +
                        " is after the due date " + format_date(due) +
                        "; follow a measure up before it is due");
  }
  return Ok{};
}

// Whether a measure may go from `from` to `to` (a different status).
bool allowed_transition(MeasureStatus from, MeasureStatus to) {
  switch (from) {
    case MeasureStatus::agreed:
      return to != MeasureStatus::agreed;
    case MeasureStatus::in_progress:
      return to == MeasureStatus::done || to == MeasureStatus::dropped;
    case MeasureStatus::done:
    case MeasureStatus::dropped:
      return false;
  }
  return false;
}

}  // namespace

Result<std::int64_t> add_measure(const Project& project, storage::Database& database,
                                 const NewMeasure& request) {
  if (is_blank(request.title)) return Error::usage("a measure needs a title: what is to be done");
  if (is_blank(request.assignee)) {
    return Error::usage("a measure needs an assignee: the role or team that carries it out");
  }
  if (const Status status = check_follow_up_before_due(request.due, request.follow_up); !status) {
    return status.error();
  }
  const rules::Goal* goal = project.rules.find_goal(request.goal);
  if (goal == nullptr) {
    return Error::usage("unknown goal '" + request.goal + "'" +
                        did_you_mean(request.goal, project.rules.goal_ids()));
  }

  if (const Status allowed =
          authorize(project, database, request.actor, request.now, Action::add_measure,
                    {goal->id, workflow_of_review(project, database, request.review_id)},
                    {{"review", request.review_id}});
      !allowed) {
    return allowed.error();
  }

  std::int64_t id = 0;
  const Status written = database.write([&]() -> Status {
    note_rule_set(project, database, request.actor, request.now);
    auto review = stored_review(database, request.review_id);
    if (!review) return review.error();
    auto workflow = open_review_workflow(project, review.value(), "no measure can be agreed in it");
    if (!workflow) return workflow.error();
    const workflows::Workflow& flow = *workflow.value();
    const auto scope = goal_ids_in_scope(project, flow);
    if (std::find(scope.begin(), scope.end(), goal->id) == scope.end()) {
      return Error::usage("goal '" + goal->id + "' (" + rules::to_string(goal->responsibility) +
                          ", section " + goal->section + ") is not in the scope of the workflow '" +
                          flow.id + "' of review '" + request.review_id +
                          "'; its goals: " + join(scope, ", "));
    }
    if (std::find(flow.participants.begin(), flow.participants.end(), request.owner_party) ==
        flow.participants.end()) {
      return Error::usage("the owner '" + request.owner_party +
                          "' is not a participant of the workflow '" + flow.id + "'" +
                          did_you_mean(request.owner_party, flow.participants) +
                          "; participants: " + join(flow.participants, ", "));
    }
    if (const Status status = check_dates(review.value(), request.due, request.follow_up);
        !status) {
      return status;
    }

    storage::MeasureRecord measure;
    measure.goal = goal->id;
    measure.review_id = request.review_id;
    measure.title = request.title;
    measure.owner_party = request.owner_party;
    measure.assignee = request.assignee;
    measure.due_on = request.due;
    measure.follow_up_on = request.follow_up;
    measure.status = MeasureStatus::agreed;
    measure.created_at = request.now;
    measure.created_by = request.actor;
    measure.updated_at = request.now;
    id = storage::insert_measure(database, measure);
    storage::append_audit_record(
        database,
        audit_event(
            project, request.actor, request.now, "measure.add",
            {{"measure", std::to_string(id)}, {"goal", goal->id}, {"review", request.review_id}},
            {{"measure", id},
             {"goal", goal->id},
             {"review", request.review_id},
             {"workflow", flow.id},
             {"title", request.title},
             {"owner", request.owner_party},
             {"assignee", request.assignee},
             {"due", format_date(request.due)},
             {"follow_up", date_or_null(request.follow_up)},
             {"status", storage::to_string(MeasureStatus::agreed)}}));
    claim_database(database, project);
    return Ok{};
  });
  if (!written) return written.error();
  return id;
}

Status update_measure(const Project& project, storage::Database& database,
                      const MeasureChange& change) {
  if (change.assignee && is_blank(*change.assignee)) {
    return Error::usage("the assignee must not be empty: name the role or team");
  }
  if (!is_blank(change.reason) && change.status != MeasureStatus::dropped) {
    return Error::usage(
        "a reason is recorded when a measure is dropped; for other remarks "
        "give a note");
  }

  {
    // Who may follow it up depends on its goal and workflow; an unknown measure
    // is reported below, to those allowed to ask.
    const auto stored = storage::find_measure(database, change.id);
    // A goal the rules no longer define cannot be judged by side; its measure
    // must still be followed up to the end (by the workflow's participants).
    const Subject subject =
        stored ? Subject{project.rules.find_goal(stored->goal) != nullptr ? stored->goal : "",
                         workflow_of_review(project, database, stored->review_id)}
               : Subject{};
    if (const Status allowed =
            authorize(project, database, change.actor, change.now, Action::update_measure, subject,
                      {{"measure", std::to_string(change.id)}});
        !allowed) {
      return allowed;
    }
  }

  return database.write([&]() -> Status {
    note_rule_set(project, database, change.actor, change.now);
    const auto stored = storage::find_measure(database, change.id);
    if (!stored) {
      const auto all = storage::load_measures(database);
      return Error::usage("unknown measure " + std::to_string(change.id) +
                          (all.empty()
                               ? std::string(": no measure is agreed yet")
                               : "; measures are numbered 1 to " + std::to_string(all.back().id)));
    }
    const storage::MeasureRecord before = *stored;
    const std::string name = "measure " + std::to_string(before.id);
    if (!storage::is_open(before.status)) {
      return Error::usage(name + " is " + storage::to_string(before.status) + " (since " +
                          format_timestamp(before.updated_at) +
                          "), which is final; agree a new measure instead");
    }

    auto agreed_in = stored_review(database, before.review_id);
    if (!agreed_in) return agreed_in.error();
    std::optional<storage::ReviewRecord> review;
    if (!change.review_id.empty()) {
      auto found = stored_review(database, change.review_id);
      if (!found) return found.error();
      review = std::move(found).value();
      auto workflow = open_review_workflow(project, *review, "no follow-up can be recorded in it");
      if (!workflow) return workflow.error();
      if (review->workflow != agreed_in.value().workflow) {
        return Error::usage(name + " belongs to the workflow '" + agreed_in.value().workflow +
                            "' (agreed in '" + before.review_id + "'); review '" + review->id +
                            "' is one of '" + review->workflow + "'");
      }
      if (review->period < agreed_in.value().period) {
        return Error::usage(name + " was agreed in the later review '" + before.review_id +
                            "'; follow it up there or in a review after it");
      }
    }

    storage::MeasureRecord after = before;
    json changes = json::object();
    if (change.status && *change.status != before.status) {
      if (!allowed_transition(before.status, *change.status)) {
        return Error::usage(name + " is " + storage::to_string(before.status) +
                            " and cannot go back to " + storage::to_string(*change.status) +
                            "; it can become done or dropped");
      }
      after.status = *change.status;
      changes["status"] = {storage::to_string(before.status), storage::to_string(after.status)};
    }
    if (after.status == MeasureStatus::dropped && before.status != MeasureStatus::dropped) {
      if (is_blank(change.reason)) {
        return Error::usage("dropping " + name + " needs a reason: why it is not carried out");
      }
      after.reason = change.reason;
      changes["reason"] = {before.reason.empty() ? json(nullptr) : json(before.reason),
                           change.reason};
    }
    if (change.due && *change.due != before.due_on) {
      after.due_on = *change.due;
      changes["due"] = {format_date(before.due_on), format_date(after.due_on)};
    }
    if (change.follow_up && change.follow_up != before.follow_up_on) {
      after.follow_up_on = change.follow_up;
      changes["follow_up"] = {date_or_null(before.follow_up_on), date_or_null(after.follow_up_on)};
    }
    if (change.assignee && *change.assignee != before.assignee) {
      after.assignee = *change.assignee;
      changes["assignee"] = {before.assignee, after.assignee};
    }
    if (changes.empty() && is_blank(change.note)) {
      return Error::usage("nothing to change for " + name + " (it is " +
                          storage::to_string(before.status) +
                          "): give a new status, dates, assignee or a note");
    }
    const storage::ReviewRecord& reference = review ? *review : agreed_in.value();
    if (const Status status =
            check_dates(reference, changes.contains("due") ? change.due : std::nullopt,
                        changes.contains("follow_up") ? change.follow_up : std::nullopt);
        !status) {
      return status;
    }
    if (changes.contains("due") || changes.contains("follow_up")) {
      if (const Status status = check_follow_up_before_due(after.due_on, after.follow_up_on);
          !status) {
        return status;
      }
    }
    after.updated_at = change.now;

    std::vector<storage::AuditObject> objects = {{"measure", std::to_string(before.id)},
                                                 {"goal", before.goal}};
    json details = {{"measure", before.id},
                    {"goal", before.goal},
                    {"status", storage::to_string(after.status)},
                    {"changes", changes}};
    if (review) {
      objects.push_back({"review", review->id});
      details["review"] = review->id;
    }
    if (!change.note.empty()) details["note"] = change.note;
    storage::update_measure(database, after);
    storage::MeasureFollowUp follow_up;
    follow_up.measure_id = before.id;
    follow_up.review_id = review ? review->id : std::string();
    follow_up.recorded_at = change.now;
    follow_up.actor = change.actor;
    follow_up.status = after.status;
    follow_up.note = change.note;
    follow_up.changes_json = changes.dump(-1, ' ', false, json::error_handler_t::replace);
    follow_up.audit_seq = storage::next_audit_seq(database);
    objects.push_back({"measure_followup",
                       std::to_string(storage::insert_measure_follow_up(database, follow_up))});
    storage::append_audit_record(database, audit_event(project, change.actor, change.now,
                                                       "measure.update", objects, details));
    claim_database(database, project);
    return Ok{};
  });
}

std::vector<MeasureView> list_measures(storage::Database& database, const MeasureFilter& filter,
                                       std::chrono::year_month_day today) {
  std::map<std::string, std::string> workflow_of_review;
  for (const auto& review : storage::load_reviews(database))
    workflow_of_review.emplace(review.id, review.workflow);
  std::vector<MeasureView> views;
  for (auto& measure : storage::load_measures(database)) {
    if (!filter.goal.empty() && measure.goal != filter.goal) continue;
    if (!filter.review_id.empty() && measure.review_id != filter.review_id) continue;
    if (filter.status && measure.status != *filter.status) continue;
    if (filter.open_only && !storage::is_open(measure.status)) continue;
    const bool overdue = storage::is_overdue(measure, today);
    if (filter.overdue_only && !overdue) continue;
    MeasureView view;
    view.workflow = workflow_of_review[measure.review_id];
    view.overdue = overdue;
    view.follow_ups = storage::load_measure_follow_ups(database, measure.id);
    view.measure = std::move(measure);
    views.push_back(std::move(view));
  }
  return views;
}

}  // namespace zielwerk::engine
