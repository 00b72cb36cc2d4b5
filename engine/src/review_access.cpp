#include "review_access.h"

#include <algorithm>

#include "document_json.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/documents.h"

namespace zielwerk::engine {

const workflows::Workflow* find_workflow(const Project& project, std::string_view id) {
  for (const auto& workflow : project.workflows) {
    if (workflow.id == id) return &workflow;
  }
  return nullptr;
}

std::vector<std::string> goal_ids_in_scope(const Project& project,
                                           const workflows::Workflow& workflow) {
  std::vector<std::string> ids;
  for (const rules::Goal* goal : workflows::goals_in_scope(workflow.scope, project.rules))
    ids.push_back(goal->id);
  return ids;
}

bool in_scope(const Project& project, const workflows::Workflow& workflow,
              std::string_view goal_id) {
  const auto ids = goal_ids_in_scope(project, workflow);
  return std::find(ids.begin(), ids.end(), goal_id) != ids.end();
}

Result<storage::ReviewRecord> stored_review(storage::Database& database, const std::string& id) {
  if (auto review = storage::find_review(database, id)) return std::move(*review);
  std::vector<std::string> ids;
  for (const auto& review : storage::load_reviews(database))
    ids.push_back(review.id);
  if (ids.empty()) {
    return Error::usage("unknown review '" + id +
                        "': no review is prepared yet (`zielwerk run` prepares them)");
  }
  return Error::usage("unknown review '" + id + "'" + did_you_mean(id, ids) +
                      "; reviews are named workflow/reviewed month, e.g. '" + ids.back() + "'");
}

Result<domain::Review> load_review(storage::Database& database, const std::string& id) {
  auto record = stored_review(database, id);
  if (!record) return record.error();
  return review_of(record.value());
}

Result<const workflows::Workflow*> open_review_workflow(const Project& project,
                                                        const storage::ReviewRecord& review,
                                                        const std::string& refused) {
  if (review.state == domain::ReviewState::missed) {
    return Error::usage("review '" + review.id + "' was missed (its meeting" +
                        (review.meeting_date ? " on " + format_date(*review.meeting_date) : "") +
                        " passed before it was prepared): " + refused);
  }
  if (review.state == domain::ReviewState::closed) {
    return Error::usage("review '" + review.id + "' is closed (by " + review.closed_by + " at " +
                        (review.closed_at ? format_timestamp(*review.closed_at) : "?") +
                        "): " + refused);
  }
  if (const auto* workflow = find_workflow(project, review.workflow)) return workflow;
  return Error::usage("review '" + review.id + "' belongs to the workflow '" + review.workflow +
                      "', which the project no longer defines: " + refused);
}

std::vector<std::string> missed_before(std::vector<storage::ReviewRecord> reviews_of_workflow,
                                       YearMonth period) {
  std::sort(reviews_of_workflow.begin(), reviews_of_workflow.end(),
            [](const auto& a, const auto& b) { return a.period < b.period; });
  std::vector<std::string> missed;
  for (const auto& earlier : reviews_of_workflow) {
    if (!(earlier.period < period)) continue;
    if (earlier.state == domain::ReviewState::missed) {
      missed.push_back(earlier.id);
    } else {
      missed.clear();  // only those since the last held review
    }
  }
  return missed;
}

std::string workflow_of_review(const Project& project, storage::Database& database,
                               const std::string& review_id) {
  const auto review = storage::find_review(database, review_id);
  if (!review || find_workflow(project, review->workflow) == nullptr) return {};
  return review->workflow;
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

storage::AuditEvent audit_event(const Project& project, const std::string& actor, Timestamp now,
                                domain::AuditOperation operation,
                                std::vector<storage::AuditObject> objects,
                                const nlohmann::json& details) {
  storage::AuditEvent event;
  event.recorded_at = now;
  event.actor = actor;
  event.operation = std::string(domain::to_string(operation));
  event.objects = std::move(objects);
  event.rule_set_version = project.rules.version;
  // Who acted, as zielwerk.yaml said then: a record keeps its meaning after the
  // actor's party or roles change.
  nlohmann::json facts = details;
  if (const rules::Actor* known = project.config.find_actor(actor)) {
    nlohmann::json roles = nlohmann::json::array();
    for (const auto role : known->roles)
      roles.push_back(rules::to_string(role));
    facts["by"] = {{"party", known->party}, {"roles", std::move(roles)}};
  }
  // Text from the command line that is not UTF-8 is kept with U+FFFD.
  event.details_json = dump_tolerant(facts);
  return event;
}

}  // namespace zielwerk::engine
