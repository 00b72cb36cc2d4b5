#include "change_gate.h"

#include <nlohmann/json.hpp>

#include "review_access.h"
#include "zielwerk/engine/goal_definitions.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/rule_set_store.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;

Status record_denial(const Project& project, storage::Database& database, const std::string& actor,
                     Timestamp now, Action action, const Subject& subject,
                     std::vector<storage::AuditObject> targets, const std::string& reason) {
  json details = {{"attempted", operation_name(action)}, {"reason", reason}};
  if (!subject.goal.empty()) {
    details["goal"] = subject.goal;
    targets.push_back({"goal", subject.goal});
  }
  if (!subject.workflow.empty()) {
    details["workflow"] = subject.workflow;
    targets.push_back({"workflow", subject.workflow});
  }
  return database.write([&]() -> Status {
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::access_denied,
                              std::move(targets), details));
    claim_database(database, project);
    return Ok{};
  });
}

}  // namespace

Status authorize(const Project& project, storage::Database& database, const std::string& actor,
                 Timestamp now, Action action, const Subject& subject,
                 std::vector<storage::AuditObject> targets) {
  const rules::Actor* known = project.config.find_actor(actor);
  if (known == nullptr) {
    // The CLI checks actors first; reaching here is a caller's mistake, not an attempt.
    return Error::usage("unknown actor '" + actor + "'");
  }
  if (const auto reason = refusal(project, *known, action, subject)) {
    const Status recorded =
        record_denial(project, database, actor, now, action, subject, std::move(targets), *reason);
    // The refusal stands even when the database cannot take its record.
    return Error::usage(
        "permission denied: " + *reason +
        (recorded ? std::string()
                  : " (the attempt could not be recorded: " + recorded.error().message + ")"));
  }
  return Ok{};
}

void note_rule_set(const Project& project, storage::Database& database, const std::string& actor,
                   Timestamp now) {
  const auto latest = storage::latest_rule_set(database);
  if (latest && latest->version == project.rules.version) return;
  {
    storage::RuleSetRecord record;
    record.audit_seq = storage::next_audit_seq(database);
    record.version = project.rules.version;
    json files = json::array();
    for (const auto& file : project.rules.files) {
      files.push_back({{"file", file.name}, {"sha256", file.sha256}});
    }
    record.files_json = files.dump();
    record.goals_json = goal_definitions_json(project.rules);
    record.used_from = now;
    storage::insert_rule_set(database, record);

    const auto changes =
        diff_goal_definitions(latest ? latest->goals_json : std::string(), record.goals_json);
    std::vector<storage::AuditObject> objects = {{"rule_set", std::to_string(record.audit_seq)}};
    for (const auto& change : changes)
      objects.push_back({"goal", change.goal});
    json details = {{"from", latest ? json(latest->version) : json()},
                    {"to", record.version},
                    {"files", files},
                    {"goals", json::parse(goal_changes_json(changes))}};
    if (latest) {
      json changed_files = json::array();
      const auto before = json::parse(latest->files_json);
      for (const auto& file : files) {
        bool same = false;
        for (const auto& old : before)
          same = same || old == file;
        if (!same) changed_files.push_back(file["file"]);
      }
      for (const auto& old : before) {
        bool kept = false;
        for (const auto& file : files)
          kept = kept || file["file"] == old["file"];
        if (!kept) changed_files.push_back(old["file"]);
      }
      details["files_changed"] = changed_files;
    }
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::rules_change,
                              std::move(objects), details));
  }
}

}  // namespace zielwerk::engine
