#include "zielwerk/engine/measures.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "change_gate.h"
#include "document_json.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/domain/measure_change.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

using domain::AuditOperation;
using domain::MeasureStatus;
using nlohmann::json;

json date_or_null(const std::optional<std::chrono::year_month_day>& date) {
  return date ? json(format_date(*date)) : json(nullptr);
}

domain::ReviewRef reference_of(const storage::ReviewRecord& review) {
  return {review.id, review.workflow, review.period, review.meeting_date};
}

domain::MeasureChangeRequest change_request(const MeasureChange& change) {
  return {change.status, change.reason, change.note, change.due, change.follow_up, change.assignee};
}

Result<std::int64_t> add_measure_guarded(const Project& project, storage::Database& database,
                                         const NewMeasure& request) {
  const domain::NewMeasureRequest planned{request.goal,     request.title, request.owner_party,
                                          request.assignee, request.due,   request.follow_up};
  if (const Status status = domain::check_new_measure(planned); !status) return status.error();
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
    if (const Status begun = begin_change(project, database, request.actor, request.now); !begun) {
      return begun;
    }
    auto review = stored_review(database, request.review_id);
    if (!review) return review.error();
    auto workflow = open_review_workflow(project, review.value(), "no measure can be agreed in it");
    if (!workflow) return workflow.error();
    const workflows::Workflow& flow = *workflow.value();
    auto measure = domain::plan_new_measure(planned, *goal, reference_of(review.value()),
                                            goal_ids_in_scope(project, flow), flow.participants,
                                            request.actor, request.now);
    if (!measure) return measure.error();
    id = storage::insert_measure(database, measure.value());
    storage::append_audit_record(
        database,
        audit_event(
            project, request.actor, request.now, AuditOperation::measure_add,
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
             {"status", domain::to_string(MeasureStatus::agreed)}}));
    claim_database(database, project);
    return Ok{};
  });
  if (!written) return written.error();
  return id;
}

Status update_measure_guarded(const Project& project, storage::Database& database,
                              const MeasureChange& change) {
  const domain::MeasureChangeRequest request = change_request(change);
  if (const Status status = domain::check_measure_change(request); !status) return status;

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
    if (const Status begun = begin_change(project, database, change.actor, change.now); !begun) {
      return begun;
    }
    const auto stored = storage::find_measure(database, change.id);
    if (!stored) {
      const auto all = storage::load_measures(database);
      return Error::usage("unknown measure " + std::to_string(change.id) +
                          (all.empty()
                               ? std::string(": no measure is agreed yet")
                               : "; measures are numbered 1 to " + std::to_string(all.back().id)));
    }
    const domain::Measure& before = *stored;
    auto agreed_in = stored_review(database, before.review_id);
    if (!agreed_in) return agreed_in.error();
    std::optional<domain::ReviewRef> follow_up_in;
    if (!change.review_id.empty() && domain::is_open(before.status)) {
      auto review = stored_review(database, change.review_id);
      if (!review) return review.error();
      auto workflow =
          open_review_workflow(project, review.value(), "no follow-up can be recorded in it");
      if (!workflow) return workflow.error();
      follow_up_in = reference_of(review.value());
    }
    auto plan = domain::plan_measure_change(before, request, reference_of(agreed_in.value()),
                                            follow_up_in, change.now);
    if (!plan) return plan.error();
    const domain::Measure& after = plan.value().after;

    const json changes = field_changes_json(plan.value().changes);
    std::vector<storage::AuditObject> objects = {{"measure", std::to_string(before.id)},
                                                 {"goal", before.goal}};
    json details = {{"measure", before.id},
                    {"goal", before.goal},
                    {"status", domain::to_string(after.status)},
                    {"changes", changes}};
    if (follow_up_in) {
      objects.push_back({"review", follow_up_in->id});
      details["review"] = follow_up_in->id;
    }
    if (!change.note.empty()) details["note"] = change.note;
    storage::update_measure(database, after);
    domain::MeasureFollowUp follow_up;
    follow_up.measure_id = before.id;
    follow_up.review_id = follow_up_in ? follow_up_in->id : std::string();
    follow_up.recorded_at = change.now;
    follow_up.actor = change.actor;
    follow_up.status = after.status;
    follow_up.note = change.note;
    follow_up.changes = plan.value().changes;
    follow_up.audit_seq = storage::next_audit_seq(database);
    objects.push_back({"measure_followup", std::to_string(storage::insert_measure_follow_up(
                                               database, record_of(follow_up)))});
    storage::append_audit_record(
        database, audit_event(project, change.actor, change.now, AuditOperation::measure_update,
                              objects, details));
    claim_database(database, project);
    return Ok{};
  });
}

}  // namespace

Result<std::int64_t> add_measure(const Project& project, storage::Database& database,
                                 const NewMeasure& request) {
  return guarded(database, [&] { return add_measure_guarded(project, database, request); });
}

Status update_measure(const Project& project, storage::Database& database,
                      const MeasureChange& change) {
  return guarded(database, [&] { return update_measure_guarded(project, database, change); });
}

Result<std::vector<MeasureView>> list_measures(storage::Database& database,
                                               const MeasureFilter& filter,
                                               std::chrono::year_month_day today) {
  std::vector<MeasureView> views;
  const Status read = database.snapshot([&]() -> Status {
    std::map<std::string, std::string> workflow_of_review;
    for (const auto& review : storage::load_reviews(database))
      workflow_of_review.emplace(review.id, review.workflow);
    std::map<std::int64_t, std::vector<domain::MeasureFollowUp>> follow_ups;
    for (const auto& record : storage::load_all_follow_ups(database)) {
      auto follow_up = follow_up_of(record);
      if (!follow_up) return follow_up.error();
      follow_ups[record.measure_id].push_back(std::move(follow_up).value());
    }
    for (auto& measure : storage::load_measures(database)) {
      if (!filter.goal.empty() && measure.goal != filter.goal) continue;
      if (!filter.review_id.empty() && measure.review_id != filter.review_id) continue;
      if (filter.status && measure.status != *filter.status) continue;
      if (filter.open_only && !domain::is_open(measure.status)) continue;
      const bool overdue = domain::is_overdue(measure, today);
      if (filter.overdue_only && !overdue) continue;
      MeasureView view;
      view.workflow = workflow_of_review[measure.review_id];
      view.overdue = overdue;
      view.follow_ups = std::move(follow_ups[measure.id]);
      view.measure = std::move(measure);
      views.push_back(std::move(view));
    }
    return Ok{};
  });
  if (!read) return read.error();
  return views;
}

}  // namespace zielwerk::engine
