#include "zielwerk/engine/reviews.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;
using storage::EntryKind;
using storage::ReviewState;

// The ids of the measures the agenda put up for follow-up (open when it was prepared).
std::vector<std::int64_t> agenda_measure_ids(const storage::ReviewRecord& review) {
  std::vector<std::int64_t> ids;
  if (review.agenda_json.empty()) return ids;
  const json agenda = json::parse(review.agenda_json, nullptr, false);
  if (agenda.is_discarded() || !agenda.is_object()) return ids;
  const auto measures = agenda.find("measures");
  if (measures == agenda.end() || !measures->is_array()) return ids;
  for (const auto& item : *measures) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_number_integer()) continue;
    if (item.contains("status") && item["status"].is_string()) {
      const auto status = storage::parse_measure_status(item["status"].get<std::string>());
      if (status && !storage::is_open(*status)) continue;
    }
    ids.push_back(item["id"].get<std::int64_t>());
  }
  return ids;
}

// Why a prepared review cannot be closed yet; one line each.
std::vector<std::string> open_items_of(storage::Database& database,
                                       const storage::ReviewRecord& review,
                                       const std::vector<storage::ReviewEntry>& entries) {
  std::vector<std::string> items;
  if (review.state != ReviewState::prepared) return items;
  const auto has_entry = [&](EntryKind kind, const std::string& goal) {
    return std::any_of(entries.begin(), entries.end(), [&](const storage::ReviewEntry& entry) {
      return entry.kind == kind && (goal.empty() || entry.goal == goal);
    });
  };
  if (!has_entry(EntryKind::attendance, "")) items.push_back("attendance is not recorded");

  const auto measures = storage::load_measures(database);
  std::set<std::string> demanded_goals;
  for (const auto& escalation : storage::load_escalations(database, review.workflow, review.id)) {
    if (escalation.kind != storage::EscalationKind::measure_demanded) continue;
    if (!demanded_goals.insert(escalation.goal).second) continue;
    const bool agreed =
        std::any_of(measures.begin(), measures.end(), [&](const storage::MeasureRecord& m) {
          return m.goal == escalation.goal && m.review_id == review.id;
        });
    if (!agreed && !has_entry(EntryKind::no_measure, escalation.goal)) {
      items.push_back("a measure is demanded for " + escalation.goal +
                      ": agree one in this review or record a decision against it with a reason");
    }
  }

  std::set<std::int64_t> seen;
  for (const std::int64_t id : agenda_measure_ids(review)) {
    if (!seen.insert(id).second) continue;
    const auto measure = std::find_if(measures.begin(), measures.end(),
                                      [&](const storage::MeasureRecord& m) { return m.id == id; });
    if (measure == measures.end() || !storage::is_open(measure->status)) continue;
    const auto follow_ups = storage::load_measure_follow_ups(database, id);
    const bool followed_up =
        std::any_of(follow_ups.begin(), follow_ups.end(),
                    [&](const storage::MeasureFollowUp& f) { return f.review_id == review.id; });
    if (!followed_up) {
      items.push_back("measure " + std::to_string(id) + " \"" + measure->title + "\" (" +
                      measure->goal + ", " + storage::to_string(measure->status) + ", due " +
                      format_date(measure->due_on) + ") has no follow-up recorded in this review");
    }
  }
  return items;
}

}  // namespace

std::vector<storage::ReviewRecord> list_reviews(storage::Database& database,
                                                const std::string& workflow,
                                                std::optional<storage::ReviewState> state) {
  auto reviews = storage::load_reviews(database, workflow);
  if (state) {
    std::erase_if(reviews, [&](const storage::ReviewRecord& r) { return r.state != *state; });
  }
  return reviews;
}

Result<ReviewDetails> show_review(const Project& project, storage::Database& database,
                                  const std::string& review_id) {
  (void)project;  // the stored review is self-contained: it shows even after its workflow left
  auto review = stored_review(database, review_id);
  if (!review) return review.error();
  ReviewDetails details;
  details.review = std::move(review).value();
  details.entries = storage::load_review_entries(database, review_id);
  for (const auto& measure : storage::load_measures(database)) {
    if (measure.review_id == review_id) details.agreed_measures.push_back(measure);
    for (auto& follow_up : storage::load_measure_follow_ups(database, measure.id)) {
      if (follow_up.review_id == review_id) details.follow_ups.push_back(std::move(follow_up));
    }
  }
  std::sort(details.follow_ups.begin(), details.follow_ups.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  details.escalations = storage::load_escalations(database, details.review.workflow, review_id);
  details.open_items = open_items_of(database, details.review, details.entries);
  details.missed_before = missed_before(storage::load_reviews(database, details.review.workflow),
                                        details.review.period);
  return details;
}

Status record_review(const Project& project, storage::Database& database,
                     const ReviewMinutes& minutes) {
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
      return Error::usage("attendance: '" + name + "' is neither an actor of zielwerk.yaml nor a " +
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
    note_rule_set(project, database, minutes.actor, minutes.now);
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
      if (escalation.kind == storage::EscalationKind::measure_demanded) {
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
      storage::ReviewEntry entry;
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
    storage::append_audit_record(database, audit_event(project, minutes.actor, minutes.now,
                                                       "review.record", objects, details));
    claim_database(database, project);
    return Ok{};
  });
}

Status close_review(const Project& project, storage::Database& database,
                    const std::string& review_id, const std::string& actor, Timestamp now) {
  if (const Status allowed = authorize(project, database, actor, now, Action::close_review,
                                       {"", workflow_of_review(project, database, review_id)},
                                       {{"review", review_id}});
      !allowed) {
    return allowed;
  }
  return database.write([&]() -> Status {
    note_rule_set(project, database, actor, now);
    auto review = stored_review(database, review_id);
    if (!review) return review.error();
    const std::string refused = "it cannot be closed";
    auto workflow = open_review_workflow(project, review.value(), refused);
    if (!workflow) return workflow.error();
    const auto entries = storage::load_review_entries(database, review_id);
    const auto items = open_items_of(database, review.value(), entries);
    if (!items.empty()) {
      return Error::usage("review '" + review_id + "' cannot be closed yet:\n  - " +
                          join(items, "\n  - "));
    }
    json attendance = json::array();
    for (const auto& entry : entries) {
      if (entry.kind == EntryKind::attendance) attendance.push_back(entry.text);
    }
    json agreed = json::array();
    for (const auto& measure : storage::load_measures(database)) {
      if (measure.review_id == review_id) agreed.push_back(measure.id);
    }
    storage::close_review_record(database, review_id, now, actor);
    storage::append_audit_record(
        database, audit_event(project, actor, now, "review.close",
                              {{"review", review_id}, {"workflow", review.value().workflow}},
                              {{"review", review_id},
                               {"attendance", attendance},
                               {"entries", entries.size()},
                               {"measures_agreed", agreed}}));
    claim_database(database, project);
    return Ok{};
  });
}

}  // namespace zielwerk::engine
