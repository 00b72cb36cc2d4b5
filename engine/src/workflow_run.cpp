#include "zielwerk/engine/workflow_run.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "change_gate.h"
#include "json_objects.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/review_store.h"
#include "zielwerk/workflows/schedule.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;
using storage::EscalationKind;
using workflows::Meeting;
using workflows::Workflow;

workflows::CalendarSettings calendar_of(const Project& project) {
  return {project.config.time_zone, project.config.holiday_region};
}

// The meetings of `workflow` that review a month of the agreement's year and
// take place (a meeting skipped for a holiday has nothing to prepare).
std::vector<Meeting> agreement_meetings(const Project& project, const Workflow& workflow) {
  using namespace std::chrono;
  const int agreement_year = project.rules.agreement.year;
  // A meeting reviews a month up to twelve months before its own.
  const year first{agreement_year};
  const year last{agreement_year + 1};
  std::vector<Meeting> meetings;
  for (auto& meeting : workflows::meetings_between(workflow, first / January / 1,
                                                   last / December / 31, calendar_of(project))) {
    if (meeting.reviews.year() != agreement_year || meeting.skipped()) continue;
    meetings.push_back(std::move(meeting));
  }
  return meetings;
}

// `prepare_days_before` days before the meeting, at the meeting's local time.
Timestamp preparation_time(const Project& project, const Workflow& workflow,
                           const Meeting& meeting) {
  using namespace std::chrono;
  const sys_days day = sys_days(*meeting.date) - days(workflow.meetings.prepare_days_before);
  const local_time<milliseconds> local{local_days(day.time_since_epoch()) + meeting.time_of_day};
  return workflows::local_to_utc(project.config.time_zone, local);
}

// The party an escalation about `goal` goes to when the workflow names none:
// the participant of the carrier responsible for the goal, else the first.
std::string responsible_party(const Project& project, const Workflow& workflow,
                              const rules::Goal& goal) {
  const rules::Carrier carrier = goal.responsibility == rules::Responsibility::ba
                                     ? rules::Carrier::ba
                                     : rules::Carrier::kommunal;
  for (const auto& id : workflow.participants) {
    const rules::Party* party = project.rules.agreement.find_party(id);
    if (party != nullptr && party->carrier == carrier) return id;
  }
  return workflow.participants.front();
}

json measure_object(const storage::MeasureRecord& measure, std::chrono::year_month_day on) {
  return {
      {"id", measure.id},
      {"goal", measure.goal},
      {"title", measure.title},
      {"agreed_in", measure.review_id},
      {"owner", measure.owner_party},
      {"assignee", measure.assignee},
      {"due", format_date(measure.due_on)},
      {"follow_up", measure.follow_up_on ? json(format_date(*measure.follow_up_on)) : json()},
      {"status", storage::to_string(measure.status)},
      {"overdue", storage::is_overdue(measure, on)},
      {"follow_up_due", measure.follow_up_on.has_value() && *measure.follow_up_on <= on},
  };
}

json known_at_json(const std::optional<Timestamp>& time) {
  return time ? json(format_timestamp(*time)) : json();
}

json escalation_object(const storage::Escalation& escalation) {
  return {
      {"kind", storage::to_string(escalation.kind)},
      {"goal", escalation.goal},
      {"measure", escalation.measure_id ? json(*escalation.measure_id) : json()},
      {"milestone", escalation.milestone.empty() ? json() : json(escalation.milestone)},
      {"party", escalation.party},
      {"reason", escalation.reason},
      {"raised_at", format_timestamp(escalation.raised_at)},
  };
}

class StepRunner {
 public:
  StepRunner(const Project& project, storage::Database& database, const RunRequest& request)
      : project_(project),
        database_(database),
        request_(request),
        today_(workflows::local_date(project.config.time_zone, request.now)) {}

  Result<RunReport> run() {
    // Each group of steps reports a storage error as soon as it happens; the
    // steps committed before it stay.
    for (auto group : {&StepRunner::escalate_overdue_measures,
                       &StepRunner::escalate_overdue_milestones, &StepRunner::handle_meetings}) {
      if (const Status status = (this->*group)(); !status) return status.error();
      if (report_.stopped) break;
    }
    return std::move(report_);
  }

 private:
  bool stop_requested() {
    if (request_.should_stop && request_.should_stop()) report_.stopped = true;
    return report_.stopped;
  }

  void done(StepKind kind, std::string subject, std::string summary) {
    report_.steps.push_back({kind, std::move(subject), std::move(summary)});
    if (request_.on_step) request_.on_step(report_.steps.back());
  }

  // One step: `work` returns whether it changed anything (false: another run did it).
  Status step(const std::function<bool()>& work, bool& changed) {
    changed = false;
    return database_.write([&]() -> Status {
      note_rule_set(project_, database_, request_.actor, request_.now);
      changed = work();
      if (changed) claim_database(database_, project_);
      return Ok{};
    });
  }

  // One escalation as one step: raised with its audit record unless it was
  // raised before (by an earlier run or another process).
  Status raise(storage::Escalation& escalation, const std::string& operation,
               std::vector<storage::AuditObject> objects, const json& details, bool& changed) {
    return step(
        [&] {
          if (storage::escalation_raised(database_, escalation.kind, escalation.subject,
                                         escalation.workflow)) {
            return false;
          }
          escalation.audit_seq = storage::next_audit_seq(database_);
          const auto id = storage::insert_escalation(database_, escalation);
          if (!id) return false;
          objects.push_back({"escalation", std::to_string(*id)});
          storage::append_audit_record(
              database_, audit_event(project_, request_.actor, request_.now, operation,
                                     std::move(objects), details));
          return true;
        },
        changed);
  }

  Status escalate_overdue_measures() {
    for (const auto& measure : storage::load_measures(database_)) {
      if (!storage::is_overdue(measure, today_)) continue;
      const auto review = storage::find_review(database_, measure.review_id);
      const Workflow* workflow = review ? find_workflow(project_, review->workflow) : nullptr;
      if (workflow == nullptr) continue;  // its workflow was removed from the project
      if (stop_requested()) return Ok{};
      storage::Escalation escalation;
      escalation.kind = EscalationKind::measure_overdue;
      escalation.subject =
          "measure/" + std::to_string(measure.id) + "/due/" + format_date(measure.due_on);
      escalation.workflow = workflow->id;
      escalation.goal = measure.goal;
      escalation.measure_id = measure.id;
      escalation.party = workflow->escalation.overdue_measures_to.empty()
                             ? measure.owner_party
                             : workflow->escalation.overdue_measures_to;
      const std::string facts = measure.goal + " (owner " + measure.owner_party + ") was due on " +
                                format_date(measure.due_on) + " and is " +
                                storage::to_string(measure.status);
      escalation.reason =
          "measure " + std::to_string(measure.id) + " \"" + measure.title + "\" for " + facts;
      escalation.raised_at = request_.now;
      bool changed = false;
      const Status status = raise(escalation, "escalation.measure_overdue",
                                  {{"measure", std::to_string(measure.id)},
                                   {"goal", measure.goal},
                                   {"workflow", workflow->id}},
                                  {{"measure", measure.id},
                                   {"due", format_date(measure.due_on)},
                                   {"status", storage::to_string(measure.status)},
                                   {"escalated_to", escalation.party},
                                   {"reason", escalation.reason}},
                                  changed);
      if (!status) return status;
      if (changed) {
        done(StepKind::measure_overdue, "measure " + std::to_string(measure.id),
             facts + "; escalated to " + escalation.party + " and the next " + workflow->id +
                 " review");
      }
    }
    return Ok{};
  }

  Status escalate_overdue_milestones() {
    std::set<std::pair<std::string, std::string>> done_milestones;
    for (const auto& record : storage::load_milestone_records(database_, std::nullopt)) {
      done_milestones.emplace(record.goal, record.milestone);
    }
    for (const auto& goal : project_.rules.goals) {
      const auto* spec = std::get_if<rules::MilestoneSpec>(&goal.spec);
      if (spec == nullptr) continue;
      for (const auto& milestone : spec->milestones) {
        if (!(milestone.due < today_) || done_milestones.count({goal.id, milestone.id}) > 0) {
          continue;
        }
        for (const auto& workflow : project_.workflows) {
          if (!in_scope(project_, workflow, goal.id)) continue;
          if (stop_requested()) return Ok{};
          if (const Status status = escalate_milestone(workflow, goal, milestone); !status) {
            return status;
          }
        }
      }
    }
    return Ok{};
  }

  Status escalate_milestone(const Workflow& workflow, const rules::Goal& goal,
                            const rules::Milestone& milestone) {
    storage::Escalation escalation;
    escalation.kind = EscalationKind::milestone_overdue;
    escalation.subject = goal.id + "/" + milestone.id;
    escalation.workflow = workflow.id;
    escalation.goal = goal.id;
    escalation.milestone = milestone.id;
    escalation.party = responsible_party(project_, workflow, goal);
    escalation.reason = "milestone " + milestone.id + " \"" + milestone.title + "\" of " + goal.id +
                        " was due on " + format_date(milestone.due) + " and is not done";
    escalation.raised_at = request_.now;
    bool changed = false;
    const Status status = raise(
        escalation, "escalation.milestone_overdue",
        {{"goal", goal.id}, {"milestone", goal.id + "/" + milestone.id}, {"workflow", workflow.id}},
        {{"due", format_date(milestone.due)},
         {"escalated_to", escalation.party},
         {"reason", escalation.reason}},
        changed);
    if (status && changed) {
      done(StepKind::milestone_overdue, escalation.subject,
           escalation.reason + "; escalated to " + escalation.party + " and the next " +
               workflow.id + " review");
    }
    return status;
  }

  Status handle_meetings() {
    for (const auto& workflow : project_.workflows) {
      std::set<std::string> handled;
      for (const auto& review : storage::load_reviews(database_, workflow.id))
        handled.insert(review.id);
      std::vector<Meeting> due;
      for (auto& meeting : agreement_meetings(project_, workflow)) {
        if (handled.count(meeting.id()) > 0) continue;
        if (preparation_time(project_, workflow, meeting) <= request_.now) {
          due.push_back(std::move(meeting));
        }
      }
      // Only the latest due meeting can still be held; the ones before it
      // whose start has passed were missed while nothing ran.
      for (std::size_t i = 0; i < due.size(); ++i) {
        if (stop_requested()) return Ok{};
        const bool latest = i + 1 == due.size();
        const bool started = due[i].starts_at <= request_.now;
        const Status status = latest    ? prepare(workflow, due[i], started)
                              : started ? record_missed(workflow, due[i])
                                        : prepare(workflow, due[i], false);
        if (!status) return status;
      }
    }
    return Ok{};
  }

  storage::ReviewRecord review_base(const Workflow& workflow, const Meeting& meeting) {
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

  Status record_missed(const Workflow& workflow, const Meeting& meeting) {
    storage::ReviewRecord review = review_base(workflow, meeting);
    review.state = storage::ReviewState::missed;
    bool changed = false;
    const Status status = step(
        [&] {
          if (storage::find_review(database_, review.id)) return false;
          review.audit_seq = storage::next_audit_seq(database_);
          storage::insert_review(database_, review);
          storage::append_audit_record(
              database_, audit_event(project_, request_.actor, request_.now, "review.missed",
                                     {{"review", review.id}, {"workflow", workflow.id}},
                                     {{"period", meeting.reviews.to_string()},
                                      {"meeting_date", format_date(*meeting.date)},
                                      {"starts_at", format_timestamp(meeting.starts_at)}}));
          return true;
        },
        changed);
    if (status && changed) {
      done(StepKind::review_missed, review.id,
           "the meeting on " + format_date(*meeting.date) +
               " passed while zielwerk did not run; recorded as missed");
    }
    return status;
  }

  // The statuses of the goals in the `count` latest held reviews among
  // `reviews` (one workflow's) before the month `before`, latest first: the
  // reviewed month and goal -> status, per review.
  using ReviewStatuses = std::pair<YearMonth, std::map<std::string, std::string>>;
  static std::vector<ReviewStatuses> earlier_statuses(std::vector<storage::ReviewRecord> reviews,
                                                      YearMonth before, std::size_t count) {
    std::vector<ReviewStatuses> result;
    std::sort(reviews.begin(), reviews.end(),
              [](const auto& a, const auto& b) { return a.period > b.period; });
    for (const auto& review : reviews) {
      if (result.size() == count) break;
      if (!(review.period < before) || review.snapshot_json.empty()) continue;
      std::map<std::string, std::string> statuses;
      // Snapshots are written by this code; one that does not read is skipped
      // rather than stopping every later run.
      const json snapshot = json::parse(review.snapshot_json, nullptr, false);
      const auto evaluation = snapshot.is_object() ? snapshot.find("evaluation") : snapshot.end();
      if (evaluation == snapshot.end() || !evaluation->is_object()) continue;
      const auto goals = evaluation->find("goals");
      if (goals == evaluation->end() || !goals->is_array()) continue;
      for (const auto& goal : *goals) {
        if (goal.contains("id") && goal["id"].is_string() && goal.contains("status") &&
            goal["status"].is_string()) {
          statuses.emplace(goal["id"].get<std::string>(), goal["status"].get<std::string>());
        }
      }
      result.emplace_back(review.period, std::move(statuses));
    }
    return result;
  }

  // Binding target goals behind in this and the reviews before, without an open measure.
  // `reviews`: the workflow's stored reviews; `scope`: its goal ids.
  std::vector<storage::Escalation> demanded_measures(
      const Workflow& workflow, const storage::ReviewRecord& review, const EvaluationReport& report,
      const std::vector<storage::MeasureRecord>& measures,
      const std::vector<storage::ReviewRecord>& reviews, const std::set<std::string>& scope) {
    const auto& rules = workflow.escalation;
    auto counts = [&](const std::string& status) {
      return std::any_of(rules.demand_measure_on.begin(), rules.demand_measure_on.end(),
                         [&](rules::GoalStatus s) { return rules::to_string(s) == status; });
    };
    const auto needed = static_cast<std::size_t>(rules.demand_measure_after - 1);
    const auto earlier = earlier_statuses(reviews, review.period, needed);
    std::vector<storage::Escalation> demanded;
    for (const auto& goal : report.goals) {
      const rules::Goal& spec = *goal.result.goal;
      if (spec.kind() != rules::GoalKind::target || !spec.binding) continue;
      if (scope.count(spec.id) == 0) continue;
      const std::string status = rules::to_string(goal.result.status);
      if (!counts(status)) continue;
      if (earlier.size() < needed) continue;
      std::vector<std::string> history = {review.period.to_string() + " " + status};
      bool behind = true;
      for (std::size_t i = 0; i < needed && behind; ++i) {
        const auto& [period, statuses] = earlier[i];
        const auto it = statuses.find(spec.id);
        behind = it != statuses.end() && counts(it->second);
        if (behind) history.push_back(period.to_string() + " " + it->second);
      }
      if (!behind) continue;
      const bool has_open_measure =
          std::any_of(measures.begin(), measures.end(), [&](const auto& measure) {
            return measure.goal == spec.id && storage::is_open(measure.status);
          });
      if (has_open_measure) continue;
      storage::Escalation escalation;
      escalation.kind = EscalationKind::measure_demanded;
      escalation.subject = review.id + "/" + spec.id;
      escalation.workflow = workflow.id;
      escalation.goal = spec.id;
      escalation.party = responsible_party(project_, workflow, spec);
      escalation.reason = spec.id + " is behind in " + std::to_string(needed + 1) +
                          " consecutive reviews (" + join(history, ", ") +
                          ") without an open measure: the review must agree a measure or "
                          "decide against one";
      escalation.raised_at = request_.now;
      escalation.review_id = review.id;
      demanded.push_back(std::move(escalation));
    }
    return demanded;
  }

  // The imports whose rows the snapshot read: enough to find each revision again.
  static json data_revisions(const EvaluationInputs& inputs) {
    std::map<std::int64_t, json> imports;
    for (const auto& row : inputs.observations) {
      auto [it, added] = imports.try_emplace(row.import_id);
      if (added) {
        it->second = {{"import", row.import_id},
                      {"file", row.file_name},
                      {"sha256", row.file_hash},
                      {"imported_at", format_timestamp(row.imported_at)},
                      {"rows", 0}};
      }
      it->second["rows"] = it->second["rows"].get<std::int64_t>() + 1;
    }
    json list = json::array();
    for (auto& [id, entry] : imports)
      list.push_back(std::move(entry));
    return list;
  }

  Status prepare(const Workflow& workflow, const Meeting& meeting, bool late) {
    storage::ReviewRecord review = review_base(workflow, meeting);
    review.state = storage::ReviewState::prepared;
    review.late = late;
    std::size_t escalation_count = 0;
    bool changed = false;
    const Status status = step(
        [&] {
          if (storage::find_review(database_, review.id)) return false;
          // The snapshot sees everything stored now, and names the time of the
          // latest import: `evaluate --known-at` that time shows the same.
          review.figures_known_at = storage::latest_import_time(database_);
          const EvaluationInputs inputs = load_evaluation_inputs(project_, database_, std::nullopt);
          const EvaluationReport report =
              evaluate_period(project_, inputs, meeting.reviews, review.figures_known_at);
          const auto measures = storage::load_measures(database_);
          const auto reviews = storage::load_reviews(database_, workflow.id);
          const auto scope_ids = goal_ids_in_scope(project_, workflow);
          const std::set<std::string> scope(scope_ids.begin(), scope_ids.end());
          auto demanded = demanded_measures(workflow, review, report, measures, reviews, scope);
          auto pending = storage::load_escalations(database_, workflow.id, "");

          json goals = json::array();
          json statuses = json::object();
          for (const auto& goal : report.goals) {
            if (scope.count(goal.result.goal->id) == 0) continue;
            goals.push_back(goal_object(goal));
            statuses[goal.result.goal->id] = rules::to_string(goal.result.status);
          }
          // The measures this workflow agreed: another workflow sharing a goal
          // follows up its own.
          std::set<std::string> own_reviews;
          for (const auto& earlier : reviews)
            own_reviews.insert(earlier.id);
          json open_measures = json::array();
          for (const auto& measure : measures) {
            if (storage::is_open(measure.status) && own_reviews.count(measure.review_id) > 0) {
              open_measures.push_back(measure_object(measure, *meeting.date));
            }
          }
          json escalations = json::array();
          for (const auto& escalation : pending)
            escalations.push_back(escalation_object(escalation));
          for (const auto& escalation : demanded)
            escalations.push_back(escalation_object(escalation));
          escalation_count = escalations.size();

          const json revisions = data_revisions(inputs);
          review.snapshot_json = json{
              {"evaluation", report_object(report)},
              {"figures_known_at", known_at_json(review.figures_known_at)},
              {"prepared_at", format_timestamp(request_.now)},
              {"data_revisions",
               revisions}}.dump();
          review.agenda_json =
              json{{"review", review.id},
                   {"workflow", workflow.id},
                   {"title", workflow.title},
                   {"participants", workflow.participants},
                   {"period", meeting.reviews.to_string()},
                   {"meeting_date", format_date(*meeting.date)},
                   {"starts_at", format_timestamp(meeting.starts_at)},
                   {"holiday", meeting.holiday.empty() ? json() : json(meeting.holiday)},
                   {"late", late},
                   {"goals", goals},
                   {"measures", open_measures},
                   {"escalations", escalations},
                   {"missed_reviews", missed_before(reviews, review.period)}}
                  .dump();
          review.audit_seq = storage::next_audit_seq(database_);
          storage::insert_review(database_, review);
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
              database_, audit_event(project_, request_.actor, request_.now, "review.prepare",
                                     std::move(objects),
                                     {{"period", meeting.reviews.to_string()},
                                      {"meeting_date", format_date(*meeting.date)},
                                      {"late", late},
                                      {"figures_known_at", known_at_json(review.figures_known_at)},
                                      {"data_revisions", revisions},
                                      {"snapshot_sha256", sha256_hex(review.snapshot_json)},
                                      {"agenda_sha256", sha256_hex(review.agenda_json)},
                                      {"statuses", statuses},
                                      {"open_measures", open_measures.size()},
                                      {"escalations", escalation_count}}));
          for (auto& escalation : demanded) {
            escalation.audit_seq = storage::next_audit_seq(database_);
            const auto id = storage::insert_escalation(database_, escalation);
            if (!id) continue;  // raised before for this review: cannot be, the review is new
            storage::append_audit_record(
                database_,
                audit_event(project_, request_.actor, request_.now, "escalation.measure_demanded",
                            {{"review", review.id},
                             {"goal", escalation.goal},
                             {"workflow", workflow.id},
                             {"escalation", std::to_string(*id)}},
                            {{"reason", escalation.reason}, {"escalated_to", escalation.party}}));
          }
          return true;
        },
        changed);
    if (status && changed) {
      done(StepKind::review_prepared, review.id,
           std::string(late ? "prepared late" : "prepared") + " for the meeting on " +
               format_date(*meeting.date) + " (reviews " + meeting.reviews.to_string() + ", " +
               std::to_string(escalation_count) + " escalation" +
               (escalation_count == 1 ? "" : "s") + ")");
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

std::string to_string(StepKind kind) {
  switch (kind) {
    case StepKind::measure_overdue:
      return "measure_overdue";
    case StepKind::milestone_overdue:
      return "milestone_overdue";
    case StepKind::review_prepared:
      return "review_prepared";
    case StepKind::review_missed:
      return "review_missed";
  }
  return "unknown";
}

Result<RunReport> run_due_steps(const Project& project, storage::Database& database,
                                const RunRequest& request) {
  // Reads between the steps can fail too (a busy database): a storage error
  // for the caller to retry, never an exception that ends a daemon.
  std::optional<Result<RunReport>> result;
  const Status status = database.read([&]() -> Status {
    if (const Status allowed =
            authorize(project, database, request.actor, request.now, Action::run_workflows, {});
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
  std::optional<Timestamp> next;
  for (const auto& workflow : project.workflows) {
    for (const auto& meeting : agreement_meetings(project, workflow)) {
      const Timestamp at = preparation_time(project, workflow, meeting);
      if (at > now && (!next || at < *next)) next = at;
    }
  }
  return next;
}

}  // namespace zielwerk::engine
