#include "change_gate.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "config_definitions.h"
#include "review_access.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/engine/goal_definitions.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/config_store.h"
#include "zielwerk/storage/rule_set_store.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;

Status check_time(storage::Database& database, Timestamp now);

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
    if (const Status forward = check_time(database, now); !forward) return forward;
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

namespace {

// The files of a definition, with what each holds: [{"file", "sha256"}].
json files_json(const std::vector<std::pair<std::string, std::string>>& files) {
  json list = json::array();
  for (const auto& [name, sha256] : files)
    list.push_back({{"file", name}, {"sha256", sha256}});
  return list;
}

// The names of the files added, changed or removed from `before` to `after`.
json files_changed(const json& before, const json& after) {
  json changed = json::array();
  for (const auto& file : after) {
    bool same = false;
    for (const auto& old : before)
      same = same || old == file;
    if (!same) changed.push_back(file["file"]);
  }
  for (const auto& old : before) {
    bool kept = false;
    for (const auto& file : after)
      kept = kept || file["file"] == old["file"];
    if (!kept) changed.push_back(old["file"]);
  }
  return changed;
}

// What changed between two definition texts, as the records' details show it:
// [{"object", "change", "fields": [{"field", "before", "after"}]}].
json definition_changes(const std::string& before, const std::string& after) {
  const json goals = json::parse(goal_changes_json(diff_goal_definitions(before, after)));
  json changes = json::array();
  for (const auto& change : goals) {
    changes.push_back(
        {{"object", change["goal"]}, {"change", change["change"]}, {"fields", change["fields"]}});
  }
  return changes;
}

std::string file_sha256(const std::filesystem::path& path) {
  return sha256_file(path).value_or("unreadable");
}

void note_config(const Project& project, storage::Database& database, const std::string& actor,
                 Timestamp now) {
  const std::string project_definitions = project_definitions_json(project.config);
  const std::string workflow_definitions = workflow_definitions_json(project.workflows);
  const std::string version = sha256_hex(project_definitions + "\n" + workflow_definitions);
  const auto latest = storage::latest_config(database);
  if (latest && latest->version == version) return;

  std::vector<std::pair<std::string, std::string>> files = {
      {"zielwerk.yaml", file_sha256(project.config.directory / "zielwerk.yaml")}};
  for (const auto& file : project.config.workflow_files)
    files.emplace_back(file.name_in_project, file_sha256(file.path));
  const json file_list = files_json(files);
  storage::ConfigRecord record;
  record.audit_seq = storage::next_audit_seq(database);
  record.version = version;
  record.files_json = file_list.dump();
  record.project_json = project_definitions;
  record.workflows_json = workflow_definitions;
  record.used_from = now;
  storage::insert_config(database, record);

  const json project_changes =
      definition_changes(latest ? latest->project_json : std::string(), project_definitions);
  const json workflow_changes =
      definition_changes(latest ? latest->workflows_json : std::string(), workflow_definitions);
  json details = {
      {"from", latest ? json(latest->version) : json()}, {"to", version}, {"files", file_list}};
  if (latest) details["files_changed"] = files_changed(json::parse(latest->files_json), file_list);
  const std::string config_id = std::to_string(record.audit_seq);
  // zielwerk.yaml first: who may act decides how the workflows read.
  if (!latest || !project_changes.empty()) {
    std::vector<storage::AuditObject> objects = {{"config_set", config_id}};
    for (const auto& change : project_changes) {
      const std::string object = change["object"].get<std::string>();
      if (object.starts_with("actor/")) objects.push_back({"actor", object.substr(6)});
    }
    json project_details = details;
    project_details["changes"] = project_changes;
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::project_change,
                              std::move(objects), project_details));
  }
  if (!latest || !workflow_changes.empty()) {
    std::vector<storage::AuditObject> objects = {{"config_set", config_id}};
    for (const auto& change : workflow_changes)
      objects.push_back({"workflow", change["object"].get<std::string>()});
    json workflow_details = details;
    workflow_details["changes"] = workflow_changes;
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::workflow_change,
                              std::move(objects), workflow_details));
  }
  if (latest && project_changes.empty() && workflow_changes.empty()) {
    // A new version that changes no definition (another file order, say):
    // still recorded, so the row has its record.
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::project_change,
                              {{"config_set", config_id}}, details));
  }
}

// How far a change's time may lie before the last record's: writers read
// their clocks before they wait for the write lock (up to the busy timeout,
// and a run's steps follow one another), so a few seconds behind is a race,
// not a wrong clock; append_audit_record then stamps the later time.
constexpr auto kClockRaceTolerance = std::chrono::minutes(5);

// A change may not be recorded before the last record: the trail's time
// never goes back. Farther back than a race explains, the clock or --now is
// wrong, and the change is refused.
Status check_time(storage::Database& database, Timestamp now) {
  const auto last = storage::last_record_time(database);
  if (last && now + kClockRaceTolerance < *last) {
    return Error::usage("the time of this change, " + format_timestamp(now) +
                        ", is before the last audit record's, " + format_timestamp(*last) +
                        ": the audit trail's records never go back in time (is the clock or "
                        "--now right?)");
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
    record.files_json = files.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
    if (latest) details["files_changed"] = files_changed(json::parse(latest->files_json), files);
    storage::append_audit_record(
        database, audit_event(project, actor, now, domain::AuditOperation::rules_change,
                              std::move(objects), details));
  }
}

}  // namespace

Status begin_change(const Project& project, storage::Database& database, const std::string& actor,
                    Timestamp now) {
  if (const Status forward = check_time(database, now); !forward) return forward;
  note_rule_set(project, database, actor, now);
  note_config(project, database, actor, now);
  return Ok{};
}

}  // namespace zielwerk::engine
