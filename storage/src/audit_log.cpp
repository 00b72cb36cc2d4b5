#include "zielwerk/storage/audit_log.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "connection.h"
#include "zielwerk/common/sha256.h"

namespace zielwerk::storage {

std::string audit_payload(std::int64_t seq, const AuditEvent& event) {
  // Without exceptions: text that is no JSON at all is "discarded", not an object.
  auto details = nlohmann::json::parse(event.details_json, nullptr, /*allow_exceptions=*/false);
  if (!details.is_object()) throw std::invalid_argument("audit details must be a JSON object");
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& object : event.objects) {
    objects.push_back({{"kind", object.kind}, {"id", object.id}});
  }
  // nlohmann::json keeps object keys sorted, which makes dump() canonical.
  const nlohmann::json payload = {
      {"seq", seq},
      {"recorded_at", format_timestamp(event.recorded_at)},
      {"actor", event.actor},
      {"operation", event.operation},
      {"objects", objects},
      {"rule_set_version", event.rule_set_version},
      {"file_hash", event.file_hash},
      {"details", details},
  };
  // Names come from users (file names, ids); bytes that are not UTF-8 are
  // replaced rather than failing the change they describe.
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string audit_chain_hash(std::string_view previous_hash, std::string_view payload) {
  std::string input;
  input.reserve(previous_hash.size() + 1 + payload.size());
  input.append(previous_hash).append("\n").append(payload);
  return sha256_hex(input);
}

std::int64_t append_audit_record(Database& database, const AuditEvent& event) {
  require_write_transaction(database);
  SQLite::Database& db = sqlite(database);
  std::int64_t seq = 1;
  std::string previous_hash(kGenesisHash);
  {
    SQLite::Statement last(db, "SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1");
    if (last.executeStep()) {
      seq = last.getColumn(0).getInt64() + 1;
      previous_hash = last.getColumn(1).getString();
    }
  }
  const std::string payload = audit_payload(seq, event);
  const std::string hash = audit_chain_hash(previous_hash, payload);
  SQLite::Statement insert(db,
                           "INSERT INTO audit_record (seq, recorded_at, actor, operation, "
                           "rule_set_version, payload, previous_hash, hash) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(seq));
  insert.bind(2, format_timestamp(event.recorded_at));
  insert.bind(3, event.actor);
  insert.bind(4, event.operation);
  insert.bind(5, event.rule_set_version);
  insert.bind(6, payload);
  insert.bind(7, previous_hash);
  insert.bind(8, hash);
  insert.exec();
  SQLite::Statement object(
      db, "INSERT OR IGNORE INTO audit_object (kind, object_id, seq) VALUES (?, ?, ?)");
  for (const auto& touched : event.objects) {
    object.bind(1, touched.kind);
    object.bind(2, touched.id);
    object.bind(3, static_cast<int64_t>(seq));
    object.exec();
    object.reset();
  }
  return seq;
}

std::vector<AuditRecord> read_audit_records(Database& database, std::int64_t after,
                                            std::int64_t limit) {
  SQLite::Statement query(sqlite(database),
                          "SELECT seq, recorded_at, actor, operation, rule_set_version, payload, "
                          "previous_hash, hash FROM audit_record WHERE seq > ? ORDER BY seq "
                          "LIMIT ?");
  query.bind(1, static_cast<int64_t>(after));
  query.bind(2, static_cast<int64_t>(limit));
  std::vector<AuditRecord> records;
  while (query.executeStep()) {
    AuditRecord record;
    record.seq = query.getColumn(0).getInt64();
    record.recorded_at = parse_timestamp(query.getColumn(1).getString()).value_or(Timestamp{});
    record.actor = query.getColumn(2).getString();
    record.operation = query.getColumn(3).getString();
    record.rule_set_version = query.getColumn(4).getString();
    record.payload = query.getColumn(5).getString();
    record.previous_hash = query.getColumn(6).getString();
    record.hash = query.getColumn(7).getString();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace zielwerk::storage
