#include "zielwerk/storage/audit_query.h"

#include "audit_rows.h"
#include "connection.h"
#include "row_values.h"
#include "statement.h"

namespace zielwerk::storage {
namespace {

// The FROM and WHERE clauses and their values, shared by the query and the
// count, and the column that orders the records.
struct Filter {
  std::string from = " FROM audit_record r";
  std::string where;
  std::vector<std::string> values;
  std::string order = "r.seq";
};

Filter build_filter(const AuditQuery& query) {
  Filter filter;
  std::vector<std::string> conditions;
  for (std::size_t i = 0; i < query.objects.size(); ++i) {
    if (i == 0) {
      // The first object drives: its index entries are in seq order, so the
      // newest N are read without collecting every record about it.
      filter.from = " FROM audit_object o JOIN audit_record r ON r.seq = o.seq";
      filter.order = "o.seq";
      conditions.push_back("o.kind = ? AND o.object_id = ?");
    } else {
      conditions.push_back(
          "r.seq IN (SELECT seq FROM audit_object WHERE kind = ? AND object_id = ?)");
    }
    filter.values.push_back(query.objects[i].kind);
    filter.values.push_back(query.objects[i].id);
  }
  if (query.actor) {
    conditions.push_back("r.actor = ?");
    filter.values.push_back(*query.actor);
  }
  if (!query.operations.empty()) {
    std::string any;
    for (const auto& operation : query.operations) {
      if (!any.empty()) any += " OR ";
      if (operation.size() > 1 && operation.ends_with(".*")) {
        // A range on the text keeps the operation index usable.
        any += "(r.operation >= ? AND r.operation < ?)";
        const std::string prefix = operation.substr(0, operation.size() - 1);  // "measure."
        std::string after = prefix;
        after.back() = static_cast<char>(after.back() + 1);
        filter.values.push_back(prefix);
        filter.values.push_back(after);
      } else {
        any += "r.operation = ?";
        filter.values.push_back(operation);
      }
    }
    conditions.push_back("(" + any + ")");
  }
  if (query.since) {
    conditions.push_back("r.recorded_at >= ?");
    filter.values.push_back(format_timestamp(*query.since));
  }
  if (query.until) {
    conditions.push_back("r.recorded_at < ?");
    filter.values.push_back(format_timestamp(*query.until));
  }
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    filter.where += (i == 0 ? " WHERE " : " AND ") + conditions[i];
  }
  return filter;
}

void bind_all(Statement& statement, const std::vector<std::string>& values) {
  int index = 1;
  for (const auto& value : values)
    statement.bind(index++, value);
}

constexpr const char* kColumns =
    "SELECT r.seq, r.recorded_at, r.actor, r.operation, r.rule_set_version, r.payload, "
    "r.previous_hash, r.hash";

}  // namespace

std::vector<AuditRecord> query_audit_records(Database& database, const AuditQuery& query) {
  std::vector<AuditRecord> records;
  query_audit_records(database, query,
                      [&](const AuditRecord& record) { records.push_back(record); });
  return records;
}

void query_audit_records(Database& database, const AuditQuery& query,
                         const std::function<void(const AuditRecord&)>& visit) {
  const Filter filter = build_filter(query);
  // With only a time range, SQLite (without statistics) would rather walk the
  // whole trail in seq order than use the time index; "+r.seq" keeps the key
  // from being used for the order, so the range is searched and then sorted.
  const bool only_time = query.objects.empty() && !query.actor && query.operations.empty() &&
                         (query.since || query.until);
  Statement statement(database, std::string(kColumns) + filter.from + filter.where + " ORDER BY " +
                                    (only_time ? "+" : "") + filter.order +
                                    (query.newest_first ? " DESC" : " ASC") + " LIMIT ?");
  bind_all(statement, filter.values);
  statement.bind(static_cast<int>(filter.values.size()) + 1, static_cast<int64_t>(query.limit));
  while (statement.executeStep())
    visit(audit_record_at(statement));
}

std::int64_t count_audit_records(Database& database, const AuditQuery& query) {
  const Filter filter = build_filter(query);
  Statement statement(database, "SELECT count(*)" + filter.from + filter.where);
  bind_all(statement, filter.values);
  statement.executeStep();
  return statement.getColumn(0).getInt64();
}

AuditCheckpoint audit_head(Database& database) {
  Statement last(database, "SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1");
  if (!last.executeStep()) return {0, std::string(kGenesisHash)};
  return {last.getColumn(0).getInt64(), last.getColumn(1).getString()};
}

void for_each_audit_record(Database& database,
                           const std::function<void(const AuditRecord&)>& visit) {
  constexpr std::int64_t kPage = 4096;
  std::int64_t after = 0;
  while (true) {
    const auto page = read_audit_records(database, after, kPage);
    for (const auto& record : page)
      visit(record);
    if (static_cast<std::int64_t>(page.size()) < kPage) break;
    after = page.back().seq;
  }
}

}  // namespace zielwerk::storage
