#include "zielwerk/engine/workflow_run.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/review_store.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::engine {
namespace {

using domain::AuditOperation;
using domain::EscalationKind;
using domain::StepKind;
using nlohmann::json;
using workflows::Meeting;
using workflows::Workflow;

json known_at_json(const std::optional<Timestamp>& time) {
  return time ? json(format_timestamp(*time)) : json();
}

json history_json(const std::vector<domain::ReviewedStatus>& history) {
  json list = json::array();
  for (const auto& step : history)
    list.push_back(
        {{"period", step.period.to_string()}, {"status", rules::to_string(step.status)}});
  return list;
}

// The imports whose rows the snapshot read: enough to find each revision again.
std::vector<domain::DataRevision> data_revisions(const EvaluationInputs& inputs) {
  std::map<std::int64_t, domain::DataRevision> imports;
  for (const auto& row : inputs.observations) {
    auto [it, added] = imports.try_emplace(row.import_id);
    if (added) it->second = {row.import_id, row.file_name, row.file_hash, row.imported_at, 0};
    ++it->second.rows;
  }
  std::vector<domain::DataRevision> list;
  for (auto& [id, revision] : imports)
    list.push_back(std::move(revision));
  return list;
}

json revisions_json(const std::vector<domain::DataRevision>& revisions) {
  json list = json::array();
  for (const auto& revision : revisions) {
    list.push_back({{"import", revision.import_id},
                    {"file", revision.file},
                    {"sha256", revision.sha256},
                    {"imported_at", format_timestamp(revision.imported_at)},
                    {"rows", revision.rows}});
  }
  return list;
}

// The goal statuses of the workflow's held reviews, from their snapshots. A
// snapshot that does not read is skipped rather than stopping every later run
// (`audit verify` names it).
std::vector<domain::EarlierReview> earlier_reviews(
    const std::vector<storage::ReviewRecord>& reviews) {
  std::vector<domain::EarlierReview> earlier;
  for (const auto& review : reviews) {
    if (review.snapshot_json.empty()) continue;
    const auto snapshot = decode_snapshot(review.snapshot_json);
    if (!snapshot) continue;
    domain::EarlierReview entry{review.period, {}};
    for (const auto& goal : snapshot.value().evaluation.goals)
      entry.statuses.emplace(goal.id, goal.status);
    earlier.push_back(std::move(entry));
  }
  return earlier;
}

// What plan_due_steps needs to know of the database.
domain::FollowUpState follow_up_state(const Project& project, storage::Database& database) {
  domain::FollowUpState state;
  std::map<std::string, std::string> workflow_of;
  for (const auto& review : storage::load_reviews(database)) {
    state.reviews.insert(review.id);
    workflow_of.emplace(review.id, review.workflow);
  }
  for (auto& measure : storage::load_measures(database)) {
    const auto it = workflow_of.find(measure.review_id);
    const Workflow* workflow =
        it == workflow_of.end() ? nullptr : find_workflow(project, it->second);
    state.measures.emplace_back(std::move(measure), workflow);
  }
  for (const auto& record : storage::load_milestone_records(database, std::nullopt))
    state.done_milestones.emplace(record.goal, record.milestone);
  return state;
}

class StepRunner {
 public:
  StepRunner(const Project& project, storage::Database& database, const RunRequest& request)
      : project_(project),
        database_(database),
        request_(request),
        today_(workflows::local_date(project.config.time_zone, request.now)) {}

  Result<RunReport> run() {
    const domain::DuePlan plan =
        domain::plan_due_steps(project_.rules, project_.workflows, calendar_of(project_),
                               follow_up_state(project_, database_), request_.now, today_);
    // Each step reports a storage error as soon as it happens; the steps
    // committed before it stay.
    for (const auto& escalation : plan.measures) {
      if (stop_requested()) return std::move(report_);
      if (const Status status = escalate_measure(escalation); !status) return status.error();
    }
    for (const auto& escalation : plan.milestones) {
      if (stop_requested()) return std::move(report_);
      if (const Status status = escalate_milestone(escalation); !status) return status.error();
    }
    for (const auto& meeting : plan.meetings) {
      if (stop_requested()) return std::move(report_);
      const Status status = meeting.missed ? record_missed(meeting) : prepare(meeting);
      if (!status) return status.error();
    }
    return std::move(report_);
  }

 private:
  bool stop_requested() {
    if (request_.should_stop && request_.should_stop()) report_.stopped = true;
    return report_.stopped;
  }

  void done(RunStep step) {
    report_.steps.push_back(std::move(step));
    if (request_.on_step) request_.on_step(report_.steps.back());
  }

  // When the run's records are recorded (the system clock), whatever moment it acts as of.
  Timestamp recorded_at() const { return request_.recorded_at.value_or(request_.now); }

  storage::AuditEvent event(AuditOperation operation, std::vector<storage::AuditObject> objects,
                            json details) const {
    if (recorded_at() != request_.now) details["as_of"] = format_timestamp(request_.now);
    if (request_.forced_now) details["forced_now"] = true;
    return audit_event(project_, request_.actor, recorded_at(), operation, std::move(objects),
                       details);
  }

  // One step: `work` returns whether it changed anything (false: another run
  // did it), or an error that rolls the step back.
  Status step(const std::function<Result<bool>()>& work, bool& changed) {
    changed = false;
    return database_.write([&]() -> Status {
      if (const Status begun = begin_change(project_, database_, request_.actor, recorded_at());
          !begun) {
        return begun;
      }
      auto done = work();
      if (!done) return done.error();
      changed = done.value();
      if (changed) claim_database(database_, project_);
      return Ok{};
    });
  }

  // One escalation as one step: raised with its audit record unless it was
  // raised before (by an earlier run or another process).
  Status raise(domain::Escalation& escalation, AuditOperation operation,
               std::vector<storage::AuditObject> objects, const json& details, bool& changed) {
    return step(
        [&]() -> Result<bool> {
          if (storage::escalation_raised(database_, escalation.kind, escalation.subject,
                                         escalation.workflow)) {
            return false;
          }
          escalation.audit_seq = storage::next_audit_seq(database_);
          const auto id = storage::insert_escalation(database_, record_of(escalation));
          if (!id) return false;
          objects.push_back({"escalation", std::to_string(*id)});
          storage::append_audit_record(database_, event(operation, std::move(objects), details));
          return true;
        },
        changed);
  }

  Status escalate_measure(const domain::MeasureEscalation& planned) {
    const domain::Measure& measure = planned.measure;
    domain::Escalation escalation;
    escalation.kind = EscalationKind::measure_overdue;
    escalation.subject = domain::overdue_measure_subject(measure.id, measure.due_on);
    escalation.workflow = planned.workflow->id;
    escalation.goal = measure.goal;
    escalation.measure_id = measure.id;
    escalation.party = planned.party;
    escalation.facts.due = measure.due_on;
    escalation.facts.status = measure.status;
    escalation.facts.owner = measure.owner_party;
    escalation.facts.title = measure.title;
    escalation.raised_at = request_.now;
    bool changed = false;
    const Status status = raise(escalation, AuditOperation::escalation_measure_overdue,
                                {{"measure", std::to_string(measure.id)},
                                 {"goal", measure.goal},
                                 {"workflow", escalation.workflow}},
                                {{"measure", measure.id},
                                 {"due", format_date(measure.due_on)},
                                 {"status", domain::to_string(measure.status)},
                                 {"owner", measure.owner_party},
                                 {"escalated_to", escalation.party}},
                                changed);
    if (status && changed) {
      RunStep step;
      step.kind = StepKind::measure_overdue;
      step.subject = "measure " + std::to_string(measure.id);
      step.workflow = escalation.workflow;
      step.goal = measure.goal;
      step.measure = measure.id;
      step.owner = measure.owner_party;
      step.party = escalation.party;
      step.due = measure.due_on;
      step.measure_status = measure.status;
      done(std::move(step));
    }
    return status;
  }

  Status escalate_milestone(const domain::MilestoneEscalation& planned) {
    const rules::Goal& goal = *planned.goal;
    const rules::Milestone& milestone = *planned.milestone;
    domain::Escalation escalation;
    escalation.kind = EscalationKind::milestone_overdue;
    escalation.subject = domain::overdue_milestone_subject(goal.id, milestone.id);
    escalation.workflow = planned.workflow->id;
    escalation.goal = goal.id;
    escalation.milestone = milestone.id;
    escalation.party = planned.party;
    escalation.facts.due = milestone.due;
    escalation.facts.title = milestone.title;
    escalation.raised_at = request_.now;
    bool changed = false;
    const Status status =
        raise(escalation, AuditOperation::escalation_milestone_overdue,
              {{"goal", goal.id},
               {"milestone", goal.id + "/" + milestone.id},
               {"workflow", escalation.workflow}},
              {{"due", format_date(milestone.due)}, {"escalated_to", escalation.party}}, changed);
    if (status && changed) {
      RunStep step;
      step.kind = StepKind::milestone_overdue;
      step.subject = escalation.subject;
      step.workflow = escalation.workflow;
      step.goal = goal.id;
      step.milestone = milestone.id;
      step.title = milestone.title;
      step.party = escalation.party;
      step.due = milestone.due;
      done(std::move(step));
    }
    return status;
  }

  storage::ReviewRecord review_base(const Workflow& workflow, const Meeting& meeting) const {
    storage::ReviewRecord review;
    review.id = meeting.id();
    review.workflow = workflow.id;
    review.period = meeting.reviews;
    review.meeting_date = meeting.date;
    review.starts_at = meeting.starts_at;
    review.prepared_at = request_.now;
    review.prepared_by = request_.actor;
    review.rule_set_version = project_.rules.version;
    return review;
  }

  RunStep meeting_step(StepKind kind, const Workflow& workflow, const Meeting& meeting) const {
    RunStep step;
    step.kind = kind;
    step.subject = meeting.id();
    step.workflow = workflow.id;
    step.review = meeting.id();
    step.meeting_date = meeting.date;
    step.period = meeting.reviews;
    return step;
  }

  Status record_missed(const domain::MeetingStep& planned) {
    const Workflow& workflow = *planned.workflow;
    const Meeting& meeting = planned.meeting;
    storage::ReviewRecord review = review_base(workflow, meeting);
    review.state = domain::ReviewState::missed;
    bool changed = false;
    const Status status = step(
        [&]() -> Result<bool> {
          if (storage::find_review(database_, review.id)) return false;
          review.audit_seq = storage::next_audit_seq(database_);
          storage::insert_review(database_, review);
          storage::append_audit_record(database_,
                                       event(AuditOperation::review_missed,
                                             {{"review", review.id}, {"workflow", workflow.id}},
                                             {{"period", meeting.reviews.to_string()},
                                              {"meeting_date", format_date(*meeting.date)},
                                              {"starts_at", format_timestamp(meeting.starts_at)}}));
          return true;
        },
        changed);
    if (status && changed) done(meeting_step(StepKind::review_missed, workflow, meeting));
    return status;
  }

  // The agenda of `meeting` and the demands it raises, from the evaluation and
  // what the database holds now (inside the step's transaction).
  domain::Agenda agenda_for(const Workflow& workflow, const Meeting& meeting, bool late,
                            const EvaluationReport& report,
                            const std::vector<std::string>& scope_ids,
                            std::vector<domain::Escalation>& demanded) {
    const std::set<std::string> scope(scope_ids.begin(), scope_ids.end());
    const auto measures = storage::load_measures(database_);
    const auto reviews = storage::load_reviews(database_, workflow.id);

    domain::Agenda agenda;
    agenda.review = meeting.id();
    agenda.workflow = workflow.id;
    agenda.title = workflow.title;
    agenda.participants = workflow.participants;
    agenda.period = meeting.reviews;
    agenda.meeting_date = *meeting.date;
    agenda.starts_at = meeting.starts_at;
    agenda.holiday = meeting.holiday;
    agenda.late = late;

    std::vector<domain::GoalAtReview> at_review;
    for (const auto& goal : report.goals) {
      const rules::Goal& spec = *goal.result.goal;
      if (scope.count(spec.id) == 0) continue;
      agenda.goals.push_back(agenda_goal(goal));
      at_review.push_back(
          {spec.id, spec.kind() == rules::GoalKind::target && spec.binding, goal.result.status});
    }
    std::set<std::string> open_measure_goals;
    for (const auto& measure : measures) {
      if (domain::is_open(measure.status)) open_measure_goals.insert(measure.goal);
    }
    for (auto& demand :
         domain::plan_measure_demands(workflow.escalation, meeting.reviews, at_review,
                                      earlier_reviews(reviews), open_measure_goals)) {
      const rules::Goal* goal = project_.rules.find_goal(demand.goal);
      domain::Escalation escalation;
      escalation.kind = EscalationKind::measure_demanded;
      escalation.subject = domain::demanded_measure_subject(meeting.id(), demand.goal);
      escalation.workflow = workflow.id;
      escalation.goal = demand.goal;
      escalation.party = domain::escalation_party(project_.rules.agreement, workflow, *goal);
      escalation.facts.history = std::move(demand.history);
      escalation.raised_at = request_.now;
      escalation.review_id = meeting.id();
      demanded.push_back(std::move(escalation));
    }

    // The measures this workflow agreed: another workflow sharing a goal
    // follows up its own.
    std::set<std::string> own_reviews;
    for (const auto& earlier : reviews)
      own_reviews.insert(earlier.id);
    for (const auto& measure : measures) {
      if (domain::is_open(measure.status) && own_reviews.count(measure.review_id) > 0) {
        agenda.measures.push_back(domain::agenda_measure(measure, *meeting.date));
      }
    }
    for (const auto& escalation : storage::load_escalations(database_, workflow.id, ""))
      agenda.escalations.push_back(domain::agenda_escalation(escalation_of(escalation)));
    for (const auto& escalation : demanded)
      agenda.escalations.push_back(domain::agenda_escalation(escalation));
    agenda.missed_reviews = missed_before(reviews, meeting.reviews);
    return agenda;
  }

  Status prepare(const domain::MeetingStep& planned) {
    const Workflow& workflow = *planned.workflow;
    const Meeting& meeting = planned.meeting;
    storage::ReviewRecord review = review_base(workflow, meeting);
    review.state = domain::ReviewState::prepared;
    review.late = planned.late;
    std::size_t escalation_count = 0;
    bool changed = false;
    const Status status = step(
        [&]() -> Result<bool> {
          if (storage::find_review(database_, review.id)) return false;
          // The snapshot sees every import and milestone record stored now, and
          // names the time of the latest of them: `evaluate --known-at` that
          // time reads the same figures and milestones (not a record made later
          // at the same clock time) and counts the release lags to the same
          // day, so it shows exactly this evaluation.
          auto loaded = load_evaluation_inputs(project_, database_, std::nullopt);
          if (!loaded) return loaded.error();
          const EvaluationInputs& inputs = loaded.value();
          review.figures_known_at = inputs.latest_record;
          const EvaluationReport report =
              evaluate_period(project_, inputs, meeting.reviews, review.figures_known_at,
                              workflows::local_date(project_.config.time_zone, request_.now));
          const auto scope_ids = goal_ids_in_scope(project_, workflow);
          std::vector<domain::Escalation> demanded;
          const domain::Agenda agenda =
              agenda_for(workflow, meeting, planned.late, report, scope_ids, demanded);
          escalation_count = agenda.escalations.size();

          domain::Snapshot snapshot;
          snapshot.evaluation = evaluation_of(report);
          snapshot.figures_known_at = review.figures_known_at;
          snapshot.prepared_at = request_.now;
          snapshot.data_revisions = data_revisions(inputs);
          review.snapshot_json = encode_snapshot(snapshot);
          review.agenda_json = encode_agenda(agenda);
          review.audit_seq = storage::next_audit_seq(database_);
          storage::insert_review(database_, review);

          json statuses = json::object();
          for (const auto& goal : agenda.goals)
            statuses[goal.id] = rules::to_string(goal.status);
          // What the meeting sees: the review's digest in the record covers the
          // snapshot and agenda; the details say what went into them.
          // The goals it assessed too, so each goal's history shows its reviews.
          std::vector<storage::AuditObject> objects = {{"review", review.id},
                                                       {"workflow", workflow.id}};
          for (const auto& goal_id : scope_ids)
            objects.push_back({"goal", goal_id});
          for (const auto id :
               storage::attach_pending_escalations(database_, workflow.id, review.id))
            objects.push_back({"escalation", std::to_string(id)});
          storage::append_audit_record(
              database_, event(AuditOperation::review_prepare, std::move(objects),
                               {{"period", meeting.reviews.to_string()},
                                {"meeting_date", format_date(*meeting.date)},
                                {"late", planned.late},
                                {"figures_known_at", known_at_json(review.figures_known_at)},
                                {"data_revisions", revisions_json(snapshot.data_revisions)},
                                {"snapshot_sha256", sha256_hex(review.snapshot_json)},
                                {"agenda_sha256", sha256_hex(review.agenda_json)},
                                {"statuses", statuses},
                                {"open_measures", agenda.measures.size()},
                                {"escalations", escalation_count}}));
          for (auto& escalation : demanded) {
            escalation.audit_seq = storage::next_audit_seq(database_);
            const auto id = storage::insert_escalation(database_, record_of(escalation));
            if (!id) continue;  // raised before for this review: cannot be, the review is new
            storage::append_audit_record(database_,
                                         event(AuditOperation::escalation_measure_demanded,
                                               {{"review", review.id},
                                                {"goal", escalation.goal},
                                                {"workflow", workflow.id},
                                                {"escalation", std::to_string(*id)}},
                                               {{"history", history_json(escalation.facts.history)},
                                                {"escalated_to", escalation.party}}));
          }
          return true;
        },
        changed);
    if (status && changed) {
      RunStep done_step = meeting_step(StepKind::review_prepared, workflow, meeting);
      done_step.late = planned.late;
      done_step.escalations = escalation_count;
      done(std::move(done_step));
    }
    return status;
  }

  const Project& project_;
  storage::Database& database_;
  const RunRequest& request_;
  std::chrono::year_month_day today_;
  RunReport report_;
};

}  // namespace

Result<RunReport> run_due_steps(const Project& project, storage::Database& database,
                                const RunRequest& request) {
  // Reads between the steps can fail too (a busy database): a storage error
  // for the caller to retry, never an exception that ends a daemon.
  std::optional<Result<RunReport>> result;
  const Status status = database.read([&]() -> Status {
    if (const Status allowed =
            authorize(project, database, request.actor, request.recorded_at.value_or(request.now),
                      Action::run_workflows, {});
        !allowed) {
      result.emplace(allowed.error());
      return Ok{};
    }
    result.emplace(StepRunner(project, database, request).run());
    return Ok{};
  });
  if (!status) return status.error();
  return std::move(*result);
}

std::optional<Timestamp> next_preparation_time(const Project& project, Timestamp now) {
  return domain::next_preparation_time(project.workflows, project.rules.agreement.year,
                                       calendar_of(project), now);
}

}  // namespace zielwerk::engine
