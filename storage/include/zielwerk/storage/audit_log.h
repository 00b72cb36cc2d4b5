// The audit trail: one append-only record per state change, hash-chained.
//
// A record's payload is a canonical JSON object (keys sorted, no whitespace)
// holding everything about the change: seq, time (UTC), actor, operation, the
// objects it touched, the rule-set version, the hash of an imported file and
// operation-specific details. Its hash is
//     sha256_hex(previous_hash + "\n" + payload)
// with the previous record's hash (64 zeros for the first record), so any
// change, deletion, insertion or reordering of records breaks the chain from
// that record on. The database refuses UPDATE and DELETE on the trail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What a change touched, e.g. {"goal", "iq-frauen"}, {"import", "7"}.
struct AuditObject {
  std::string kind;
  std::string id;
};

struct AuditEvent {
  Timestamp recorded_at{};
  std::string actor;
  std::string operation;  // e.g. "observations.import", "milestone.done"
  std::vector<AuditObject> objects;
  std::string rule_set_version;
  std::string file_hash;            // the imported file's SHA-256; empty otherwise
  std::string details_json = "{}";  // a JSON object with the operation's facts
};

struct AuditRecord {
  std::int64_t seq = 0;
  Timestamp recorded_at{};
  std::string actor;
  std::string operation;
  std::string rule_set_version;
  std::string payload;
  std::string previous_hash;
  std::string hash;
};

// The canonical payload of `event` as record number `seq`, without state
// digests (append_audit_record adds those). Throws std::invalid_argument when
// details_json is not a JSON object.
std::string audit_payload(std::int64_t seq, const AuditEvent& event);
std::string audit_chain_hash(std::string_view previous_hash, std::string_view payload);

// The seq the next appended record will get, inside Database::write: rows that
// name their record (audit_seq) are written with it before the record, whose
// digests must see them. Foreign keys are checked at commit.
std::int64_t next_audit_seq(Database& database);

// Appends a record inside Database::write and returns its seq (1, 2, ...).
// Call it after the change it describes: for each touched object whose state
// lives in a table (audit_state.h lists the kinds: import, milestone, review,
// review_entry, measure, measure_followup, escalation, rule_set) the record
// stores the object's row count and digest as they are at this moment.
// Objects are listed sorted by kind and id, each once. Its time is the
// event's, or its predecessor's where that is later (a writer that read its
// clock before another's record went in): the trail's times never go back.
std::int64_t append_audit_record(Database& database, const AuditEvent& event);

// When the last record was recorded; none for an empty trail.
std::optional<Timestamp> last_record_time(Database& database);

// Records with seq > `after`, oldest first, at most `limit`.
std::vector<AuditRecord> read_audit_records(Database& database, std::int64_t after = 0,
                                            std::int64_t limit = INT64_MAX);

}  // namespace zielwerk::storage
