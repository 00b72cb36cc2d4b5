#include "zielwerk/storage/audit_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "audit_payload.h"
#include "audit_rows.h"
#include "audit_state.h"
#include "audit_tree_store.h"
#include "connection.h"
#include "statement.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/storage/audit_line.h"

namespace zielwerk::storage {

namespace {

std::string canonical_details(const std::string& details_json) {
  // Without exceptions: text that is no JSON at all is "discarded", not an object.
  auto details = nlohmann::json::parse(details_json, nullptr, /*allow_exceptions=*/false);
  if (!details.is_object()) throw std::invalid_argument("audit details must be a JSON object");
  // nlohmann::json keeps object keys sorted, which makes dump() canonical.
  // Names come from users (file names, ids); bytes that are not UTF-8 are
  // replaced rather than failing the change they describe.
  return details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Sorted by kind and id, each once: the order verification reads them back in.
std::vector<PayloadObject> payload_objects(const std::vector<AuditObject>& objects) {
  std::vector<PayloadObject> sorted;
  sorted.reserve(objects.size());
  for (const auto& object : objects)
    sorted.push_back({object.kind, object.id, std::nullopt});
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const PayloadObject& a, const PayloadObject& b) {
                             return a.kind == b.kind && a.id == b.id;
                           }),
               sorted.end());
  return sorted;
}

std::string render(std::int64_t seq, const AuditEvent& event,
                   const std::vector<PayloadObject>& objects) {
  return payload_head(event.actor) + canonical_details(event.details_json) +
         payload_file_hash(event.file_hash) +
         payload_tail(objects, event.operation, format_timestamp(event.recorded_at),
                      event.rule_set_version, seq);
}

}  // namespace

std::string audit_payload(std::int64_t seq, const AuditEvent& event) {
  return render(seq, event, payload_objects(event.objects));
}

std::string audit_chain_hash(std::string_view previous_hash, std::string_view payload) {
  std::string input;
  input.reserve(previous_hash.size() + 1 + payload.size());
  input.append(previous_hash).append("\n").append(payload);
  return sha256_hex(input);
}

std::int64_t next_audit_seq(Database& database) {
  require_write_transaction(database);
  Statement last(database, "SELECT max(seq) FROM audit_record");
  last.executeStep();
  return last.getColumn(0).isNull() ? 1 : last.getColumn(0).getInt64() + 1;
}

std::optional<Timestamp> last_record_time(Database& database) {
  Statement last(database, "SELECT recorded_at FROM audit_record ORDER BY seq DESC LIMIT 1");
  if (!last.executeStep()) return std::nullopt;
  return parse_timestamp(last.getColumn(0).getString());
}

std::int64_t append_audit_record(Database& database, const AuditEvent& event) {
  require_write_transaction(database);
  std::int64_t seq = 1;
  std::string previous_hash(kGenesisHash);
  Timestamp recorded_at = event.recorded_at;
  {
    Statement last(database,
                   "SELECT seq, hash, recorded_at FROM audit_record ORDER BY seq DESC LIMIT 1");
    if (last.executeStep()) {
      seq = last.getColumn(0).getInt64() + 1;
      previous_hash = last.getColumn(1).getString();
      // A writer reads its clock before it waits for the write lock; one that
      // read it earlier may get the lock later. Its record went in after its
      // predecessor, so it carries at least that record's time.
      const auto previous_time = parse_timestamp(last.getColumn(2).getString());
      if (previous_time && *previous_time > recorded_at) recorded_at = *previous_time;
    }
  }
  auto objects = payload_objects(event.objects);
  StateDigester digester(database);
  for (auto& object : objects) {
    if (is_state_kind(object.kind)) object.state = digester.digest(object.kind, object.id);
  }
  AuditEvent stamped = event;
  stamped.recorded_at = recorded_at;
  const std::string payload = render(seq, stamped, objects);
  const std::string hash = audit_chain_hash(previous_hash, payload);
  Statement insert(database,
                   "INSERT INTO audit_record (seq, recorded_at, actor, operation, "
                   "rule_set_version, payload, previous_hash, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(seq));
  insert.bind(2, format_timestamp(recorded_at));
  insert.bind(3, event.actor);
  insert.bind(4, event.operation);
  insert.bind(5, event.rule_set_version);
  insert.bind(6, payload);
  insert.bind(7, previous_hash);
  insert.bind(8, hash);
  insert.exec();
  std::string line;
  line.reserve(payload.size() + payload.size() / 8 + 200);
  append_audit_line(line, seq, previous_hash, hash, payload);
  append_audit_tree_leaf(database, seq - 1, proofs::leaf_hash(line));
  Statement index(
      database,
      "INSERT INTO audit_object (seq, kind, object_id, rows, sha256) VALUES (?, ?, ?, ?, ?)");
  for (const auto& object : objects) {
    index.bind(1, static_cast<int64_t>(seq));
    index.bind(2, object.kind);
    index.bind(3, object.id);
    if (object.state) {
      index.bind(4, static_cast<int64_t>(object.state->rows));
      index.bind(5, object.state->sha256);
    } else {
      index.bind(4);
      index.bind(5);
    }
    index.exec();
    index.reset();
  }
  return seq;
}

std::vector<AuditRecord> read_audit_records(Database& database, std::int64_t after,
                                            std::int64_t limit) {
  Statement query(database, std::string("SELECT ") + kAuditRecordColumns +
                                " FROM audit_record WHERE seq > ? ORDER BY seq "
                                "LIMIT ?");
  query.bind(1, static_cast<int64_t>(after));
  query.bind(2, static_cast<int64_t>(limit));
  std::vector<AuditRecord> records;
  while (query.executeStep())
    records.push_back(audit_record_at(query));
  return records;
}

}  // namespace zielwerk::storage
