// The rule-set versions zielwerk has worked with, in the order it started
// using them: what the audit trail's "rules.change" records are about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct RuleSetRecord {
  std::int64_t audit_seq = 0;  // the rules.change record that noted it
  std::string version;
  std::string files_json;  // [{"file": name, "sha256": hash}, ...]
  std::string goals_json;  // engine::goal_definitions_json
  Timestamp used_from{};
};

// The version noted last, if any.
std::optional<RuleSetRecord> latest_rule_set(Database& database);
// Inside Database::write.
void insert_rule_set(Database& database, const RuleSetRecord& record);

}  // namespace zielwerk::storage
