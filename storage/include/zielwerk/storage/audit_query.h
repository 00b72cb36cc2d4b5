// Questions to the audit trail: which records touched an object, what an actor
// did in a time range, which records an operation wrote. Every filter is
// answered by an index (audit_object_by_object, audit_record_by_actor,
// audit_record_by_operation, audit_record_by_time; tested with EXPLAIN QUERY
// PLAN), so a query stays fast on a trail of millions of records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct AuditQuery {
  // Records that touched every one of these objects (e.g. {"goal", "iq-frauen"}).
  std::vector<AuditObject> objects;
  std::optional<std::string> actor;
  // Any of these operations; "measure.*" means every operation starting with "measure.".
  std::vector<std::string> operations;
  std::optional<Timestamp> since;  // recorded_at >= since
  std::optional<Timestamp> until;  // recorded_at < until
  bool newest_first = true;
  std::int64_t limit = INT64_MAX;
};

std::vector<AuditRecord> query_audit_records(Database& database, const AuditQuery& query);
// The same, one record at a time, so an export-sized answer is never held whole.
void query_audit_records(Database& database, const AuditQuery& query,
                         const std::function<void(const AuditRecord&)>& visit);
// The number of records the query matches, without its limit.
std::int64_t count_audit_records(Database& database, const AuditQuery& query);

// The head of the trail: its last record's seq and hash; {0, kGenesisHash}
// for an empty trail. What `audit checkpoint` prints.
struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::string hash;
};
AuditCheckpoint audit_head(Database& database);

// Calls `visit` for every record, oldest first, reading in pages so memory
// stays flat for any length.
void for_each_audit_record(Database& database,
                           const std::function<void(const AuditRecord&)>& visit);

}  // namespace zielwerk::storage
