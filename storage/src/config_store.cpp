#include "zielwerk/storage/config_store.h"

#include "connection.h"
#include "row_values.h"
#include "statement.h"

namespace zielwerk::storage {

std::optional<ConfigRecord> latest_config(Database& database) {
  Statement query(database,
                  "SELECT audit_seq, version, files, project, workflows, used_from "
                  "FROM config_set ORDER BY audit_seq DESC LIMIT 1");
  if (!query.executeStep()) return std::nullopt;
  ConfigRecord record;
  record.audit_seq = query.getColumn(0).getInt64();
  record.version = query.getColumn(1).getString();
  record.files_json = query.getColumn(2).getString();
  record.project_json = query.getColumn(3).getString();
  record.workflows_json = query.getColumn(4).getString();
  record.used_from = timestamp_of(query.getColumn(5));
  return record;
}

void insert_config(Database& database, const ConfigRecord& record) {
  require_write_transaction(database);
  Statement insert(database,
                   "INSERT INTO config_set (audit_seq, version, files, project, "
                   "workflows, used_from) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(record.audit_seq));
  insert.bind(2, record.version);
  insert.bind(3, record.files_json);
  insert.bind(4, record.project_json);
  insert.bind(5, record.workflows_json);
  insert.bind(6, format_timestamp(record.used_from));
  insert.exec();
}

}  // namespace zielwerk::storage
