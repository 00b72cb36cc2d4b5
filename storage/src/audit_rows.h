// Reading audit records from a statement whose columns are, in this order:
// seq, recorded_at, actor, operation, rule_set_version, payload,
// previous_hash, hash. Internal to storage.
#pragma once

#include "row_values.h"
#include "statement.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::storage {

inline constexpr const char* kAuditRecordColumns =
    "seq, recorded_at, actor, operation, rule_set_version, payload, previous_hash, hash";

inline AuditRecord audit_record_at(Statement& row) {
  AuditRecord record;
  record.seq = row.getColumn(0).getInt64();
  record.recorded_at = timestamp_of(row.getColumn(1));
  record.actor = row.getColumn(2).getString();
  record.operation = row.getColumn(3).getString();
  record.rule_set_version = row.getColumn(4).getString();
  record.payload = row.getColumn(5).getString();
  record.previous_hash = row.getColumn(6).getString();
  record.hash = row.getColumn(7).getString();
  return record;
}

}  // namespace zielwerk::storage
