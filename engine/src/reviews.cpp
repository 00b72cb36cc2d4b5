#include "zielwerk/engine/reviews.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::engine {
namespace {

using domain::EntryKind;
using domain::ReviewState;
using nlohmann::json;

std::vector<domain::Escalation> escalations_on_agenda(storage::Database& database,
                                                      const domain::Review& review) {
  std::vector<domain::Escalation> escalations;
  for (const auto& record : storage::load_escalations(database, review.workflow, review.id))
    escalations.push_back(escalation_of(record));
  return escalations;
}

// The follow-ups recorded in `review_id`, oldest first.
Result<std::vector<domain::MeasureFollowUp>> follow_ups_in(storage::Database& database,
                                                           const std::string& review_id) {
  std::vector<domain::MeasureFollowUp> follow_ups;
  for (const auto& record : storage::load_all_follow_ups(database)) {
    if (record.review_id != review_id) continue;
    auto follow_up = follow_up_of(record);
    if (!follow_up) return follow_up.error();
    follow_ups.push_back(std::move(follow_up).value());
  }
  std::sort(follow_ups.begin(), follow_ups.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return follow_ups;
}

// Everything about `review`, read inside the caller's snapshot or transaction.
Result<ReviewDetails> details_of(storage::Database& database, domain::Review review) {
  ReviewDetails details;
  details.entries = storage::load_review_entries(database, review.id);
  const auto measures = storage::load_measures(database);
  for (const auto& measure : measures) {
    if (measure.review_id == review.id) details.agreed_measures.push_back(measure);
  }
  auto follow_ups = follow_ups_in(database, review.id);
  if (!follow_ups) return follow_ups.error();
  details.follow_ups = std::move(follow_ups).value();
  details.escalations = escalations_on_agenda(database, review);
  details.open_items = domain::review_open_items(review, details.entries, details.escalations,
                                                 measures, details.follow_ups);
  details.missed_before =
      missed_before(storage::load_reviews(database, review.workflow), review.period);
  details.review = std::move(review);
  return details;
}

std::string open_items_message(const std::vector<domain::OpenItem>& items) {
  std::vector<std::string> lines;
  for (const auto& item : items)
    lines.push_back(locale::open_item_text(item, locale::Language::en));
  return join(lines, "\n  - ");
}

}  // namespace

Result<std::vector<ReviewSummary>> list_reviews(const Project& project, storage::Database& database,
                                                const ReviewFilter& filter) {
  std::optional<Result<std::vector<ReviewSummary>>> result;
  const Status read = database.snapshot([&]() -> Status {
    const auto records = storage::load_reviews(database, filter.workflow);
    if (!filter.workflow.empty() && records.empty() &&
        find_workflow(project, filter.workflow) == nullptr) {
      std::vector<std::string> ids;
      for (const auto& workflow : project.workflows)
        ids.push_back(workflow.id);
      return Error::usage("--workflow: unknown workflow '" + filter.workflow + "'" +
                          did_you_mean(filter.workflow, ids) + "; workflows: " + join(ids, ", "));
    }
    std::vector<ReviewSummary> summaries;
    for (const auto& record : records) {
      if (filter.state && record.state != *filter.state) continue;
      auto review = review_of(record);
      if (!review) return review.error();
      ReviewSummary summary{std::move(review).value(), {}};
      if (summary.review.state == ReviewState::prepared) {
        auto details = details_of(database, summary.review);
        if (!details) return details.error();
        summary.open_items = std::move(details.value().open_items);
      }
      summaries.push_back(std::move(summary));
    }
    result.emplace(std::move(summaries));
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

Result<ReviewDetails> show_review(const Project& project, storage::Database& database,
                                  const std::string& review_id) {
  (void)project;  // the stored review is self-contained: it shows even after its workflow left
  std::optional<Result<ReviewDetails>> result;
  const Status read = database.snapshot([&]() -> Status {
    auto review = load_review(database, review_id);
    if (!review) {
      result.emplace(review.error());
      return Ok{};
    }
    result.emplace(details_of(database, std::move(review).value()));
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

Status record_review(const Project& project, storage::Database& database,
                     const ReviewMinutes& minutes) {
  return guarded(database, [&]() -> Status {
    if (minutes.attendance.empty() && is_blank(minutes.assessment) &&
        is_blank(minutes.external_conditions) && minutes.decisions.empty() &&
        minutes.no_measure.empty()) {
      return Error::usage("nothing to record for review '" + minutes.review_id +
                          "': give the attendance, the joint assessment, notes on external "
                          "conditions, decisions or decisions against a demanded measure");
    }
    // Attendance names actors or parties, never persons: the minutes hold no
    // personal data beyond actor ids.
    std::vector<std::string> known;
    for (const auto& actor : project.config.actors)
      known.push_back(actor.id);
    for (const auto& party : project.rules.agreement.parties)
      known.push_back(party.id);
    std::set<std::string> names;
    for (const auto& name : minutes.attendance) {
      if (is_blank(name)) return Error::usage("an attendance entry must name who took part");
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return Error::usage("attendance: '" + name +
                            "' is neither an actor of zielwerk.yaml nor a " +
                            "party of the agreement" + did_you_mean(name, known) +
                            "; name actors or parties, never persons");
      }
      if (!names.insert(name).second) {
        return Error::usage("'" + name + "' is named twice in the attendance");
      }
    }
    for (const auto& decision : minutes.decisions) {
      if (is_blank(decision)) return Error::usage("a decision must not be empty");
    }
    if (!minutes.assessment.empty() && is_blank(minutes.assessment)) {
      return Error::usage("the assessment must not be empty");
    }
    if (!minutes.external_conditions.empty() && is_blank(minutes.external_conditions)) {
      return Error::usage("the notes on external conditions must not be empty");
    }
    std::set<std::string> no_measure_goals;
    for (const auto& [goal, reason] : minutes.no_measure) {
      if (!no_measure_goals.insert(goal).second) {
        return Error::usage("goal '" + goal + "' has two decisions against a measure");
      }
      if (is_blank(reason)) {
        return Error::usage("a decision against a measure for goal '" + goal + "' needs a reason");
      }
      if (project.rules.find_goal(goal) == nullptr) {
        return Error::usage("unknown goal '" + goal + "'" +
                            did_you_mean(goal, project.rules.goal_ids()));
      }
    }

    {
      // The minutes as a whole belong to the review's workflow; a decision
      // against a measure belongs to its goal's side as well.
      const std::string workflow = workflow_of_review(project, database, minutes.review_id);
      std::vector<Subject> subjects = {{"", workflow}};
      for (const auto& [goal, reason] : minutes.no_measure)
        subjects.push_back({goal, workflow});
      for (const auto& subject : subjects) {
        if (const Status allowed =
                authorize(project, database, minutes.actor, minutes.now, Action::record_minutes,
                          subject, {{"review", minutes.review_id}});
            !allowed) {
          return allowed;
        }
      }
    }

    return database.write([&]() -> Status {
      if (const Status begun = begin_change(project, database, minutes.actor, minutes.now);
          !begun) {
        return begun;
      }
      auto review = stored_review(database, minutes.review_id);
      if (!review) return review.error();
      const std::string refused = "nothing can be recorded in it";
      auto workflow = open_review_workflow(project, review.value(), refused);
      if (!workflow) return workflow.error();
      const auto scope = goal_ids_in_scope(project, *workflow.value());
      for (const auto& [goal, reason] : minutes.no_measure) {
        if (std::find(scope.begin(), scope.end(), goal) == scope.end()) {
          return Error::usage("goal '" + goal + "' is not in the scope of the workflow '" +
                              workflow.value()->id + "'; its goals: " + join(scope, ", "));
        }
      }
      const auto existing = storage::load_review_entries(database, minutes.review_id);
      for (const auto& entry : existing) {
        if (entry.kind == EntryKind::attendance && names.count(entry.text) > 0) {
          return Error::usage("'" + entry.text + "' is already recorded as attending review '" +
                              minutes.review_id + "'");
        }
        if (entry.kind == EntryKind::no_measure && no_measure_goals.count(entry.goal) > 0) {
          return Error::usage("review '" + minutes.review_id +
                              "' already decided against a measure for " + entry.goal + ": " +
                              entry.text);
        }
      }
      // A decision against a measure answers a demand on this agenda, nothing else.
      std::set<std::string> demanded;
      for (const auto& escalation :
           storage::load_escalations(database, workflow.value()->id, minutes.review_id)) {
        if (escalation.kind == domain::EscalationKind::measure_demanded) {
          demanded.insert(escalation.goal);
        }
      }
      for (const auto& [goal, reason] : minutes.no_measure) {
        if (demanded.count(goal) == 0) {
          return Error::usage(
              "the agenda of review '" + minutes.review_id + "' demands no measure for " + goal +
              (demanded.empty()
                   ? std::string(" (it demands none)")
                   : " (it demands one for " +
                         join(std::vector<std::string>(demanded.begin(), demanded.end()), ", ") +
                         ")") +
              "; record other decisions with --decision");
        }
      }

      std::vector<storage::AuditObject> objects = {{"review", minutes.review_id}};
      json no_measure = json::array();
      for (const auto& [goal, reason] : minutes.no_measure) {
        objects.push_back({"goal", goal});
        no_measure.push_back({{"goal", goal}, {"reason", reason}});
      }
      json details = {{"review", minutes.review_id}};
      if (!minutes.attendance.empty()) details["attendance"] = minutes.attendance;
      if (!minutes.assessment.empty()) details["assessment"] = minutes.assessment;
      if (!minutes.external_conditions.empty()) {
        details["external_conditions"] = minutes.external_conditions;
      }
      if (!minutes.decisions.empty()) details["decisions"] = minutes.decisions;
      if (!minutes.no_measure.empty()) details["no_measure"] = no_measure;
      const auto seq = storage::next_audit_seq(database);

      const auto add = [&](EntryKind kind, const std::string& goal, const std::string& text) {
        domain::ReviewEntry entry;
        entry.review_id = minutes.review_id;
        entry.kind = kind;
        entry.goal = goal;
        entry.text = text;
        entry.recorded_at = minutes.now;
        entry.actor = minutes.actor;
        entry.audit_seq = seq;
        objects.push_back(
            {"review_entry", std::to_string(storage::insert_review_entry(database, entry))});
      };
      for (const auto& name : minutes.attendance)
        add(EntryKind::attendance, "", name);
      if (!minutes.assessment.empty()) add(EntryKind::assessment, "", minutes.assessment);
      if (!minutes.external_conditions.empty()) {
        add(EntryKind::external_conditions, "", minutes.external_conditions);
      }
      for (const auto& decision : minutes.decisions)
        add(EntryKind::decision, "", decision);
      for (const auto& [goal, reason] : minutes.no_measure)
        add(EntryKind::no_measure, goal, reason);
      storage::append_audit_record(
          database, audit_event(project, minutes.actor, minutes.now,
                                domain::AuditOperation::review_record, objects, details));
      claim_database(database, project);
      return Ok{};
    });
  });
}

Status close_review(const Project& project, storage::Database& database,
                    const std::string& review_id, const std::string& actor, Timestamp now) {
  return guarded(database, [&]() -> Status {
    if (const Status allowed = authorize(project, database, actor, now, Action::close_review,
                                         {"", workflow_of_review(project, database, review_id)},
                                         {{"review", review_id}});
        !allowed) {
      return allowed;
    }
    return database.write([&]() -> Status {
      if (const Status begun = begin_change(project, database, actor, now); !begun) return begun;
      auto review = stored_review(database, review_id);
      if (!review) return review.error();
      const std::string refused = "it cannot be closed";
      auto workflow = open_review_workflow(project, review.value(), refused);
      if (!workflow) return workflow.error();
      auto decoded = review_of(review.value());
      if (!decoded) return decoded.error();
      auto details = details_of(database, std::move(decoded).value());
      if (!details) return details.error();
      const auto& entries = details.value().entries;
      if (!details.value().open_items.empty()) {
        return Error::usage("review '" + review_id + "' cannot be closed yet:\n  - " +
                            open_items_message(details.value().open_items));
      }
      json attendance = json::array();
      for (const auto& entry : entries) {
        if (entry.kind == EntryKind::attendance) attendance.push_back(entry.text);
      }
      json agreed = json::array();
      for (const auto& measure : details.value().agreed_measures)
        agreed.push_back(measure.id);
      storage::close_review_record(database, review_id, now, actor);
      storage::append_audit_record(
          database, audit_event(project, actor, now, domain::AuditOperation::review_close,
                                {{"review", review_id}, {"workflow", review.value().workflow}},
                                {{"review", review_id},
                                 {"attendance", attendance},
                                 {"entries", entries.size()},
                                 {"measures_agreed", agreed}}));
      claim_database(database, project);
      return Ok{};
    });
  });
}

}  // namespace zielwerk::engine
