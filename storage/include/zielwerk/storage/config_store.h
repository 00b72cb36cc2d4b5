// The project configurations zielwerk has worked under (zielwerk.yaml and the
// workflow files: actors, their parties and roles, the calendar, who reviews
// what), in the order it started using them: what the audit trail's
// "project.change" and "workflow.change" records are about. The rule set has
// its own history (rule_set_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct ConfigRecord {
  std::int64_t audit_seq = 0;  // the record that noted it
  std::string version;
  std::string files_json;      // [{"file": name, "sha256": hash}, ...]
  std::string project_json;    // engine's canonical definitions of zielwerk.yaml
  std::string workflows_json;  // engine's canonical definitions of the workflows
  Timestamp used_from{};
};

// The configuration noted last, if any.
std::optional<ConfigRecord> latest_config(Database& database);
// Inside Database::write.
void insert_config(Database& database, const ConfigRecord& record);

}  // namespace zielwerk::storage
