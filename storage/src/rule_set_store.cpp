#include "zielwerk/storage/rule_set_store.h"

#include "connection.h"
#include "row_values.h"
#include "statement.h"

namespace zielwerk::storage {

std::optional<RuleSetRecord> latest_rule_set(Database& database) {
  Statement query(database,
                  "SELECT audit_seq, version, files, goals, used_from FROM rule_set "
                  "ORDER BY audit_seq DESC LIMIT 1");
  if (!query.executeStep()) return std::nullopt;
  RuleSetRecord record;
  record.audit_seq = query.getColumn(0).getInt64();
  record.version = query.getColumn(1).getString();
  record.files_json = query.getColumn(2).getString();
  record.goals_json = query.getColumn(3).getString();
  record.used_from = timestamp_of(query.getColumn(4));
  return record;
}

void insert_rule_set(Database& database, const RuleSetRecord& record) {
  require_write_transaction(database);
  Statement insert(database,
                   "INSERT INTO rule_set (audit_seq, version, files, goals, used_from) "
                   "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(record.audit_seq));
  insert.bind(2, record.version);
  insert.bind(3, record.files_json);
  insert.bind(4, record.goals_json);
  insert.bind(5, format_timestamp(record.used_from));
  insert.exec();
}

}  // namespace zielwerk::storage
