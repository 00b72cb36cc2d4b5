// Verifying the audit trail: that nobody altered, deleted, inserted or
// reordered records, and that the tables still hold what the records say.
//
// For each record, in seq order:
//  - seq follows the one before without a gap,
//  - previous_hash is the hash of the record before (64 zeros for the first),
//  - hash = sha256(previous_hash + "\n" + payload),
//  - its time is not before the time of the record before it,
//  - the columns queries use (time, actor, operation, rule-set version) and
//    the object index are exactly what the payload says.
// Then for each object whose state lives in a table (audit_log.h): the last
// record that touched it holds the digest of its rows as they are now, and
// every such object in the tables has a record. The Merkle tree stored with
// the trail must be the one its records give (storage/audit_tree.h). Last,
// the append-only triggers must exist.
//
// The chain shows a change anywhere in the trail, unless someone rewrote every
// later record with correct hashes; a checkpoint kept outside the database
// (audit_head) rules that out up to its record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/proofs/merkle.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct AuditProblem {
  std::int64_t seq = 0;  // the broken record; 0 when no record is to blame
  std::string message;
};

// A signed checkpoint's claim (proofs/note.h): the Merkle root of the first
// `size` records.
struct TreeCheckpoint {
  std::int64_t size = 0;
  proofs::Hash root{};
};

struct AuditVerification {
  std::int64_t records = 0;  // records read
  AuditCheckpoint head;      // the last record's seq and stored hash
  proofs::Hash root{};       // the Merkle root of the records, computed from them
  // Record problems by seq, then the others (rows without a record, triggers).
  std::vector<AuditProblem> problems;

  bool ok() const { return problems.empty(); }
};

// `against`: a checkpoint taken earlier; the trail must still hold its record
// with that hash, so everything since is an extension of it. `against_tree`:
// a signed checkpoint's tree, which the root of the trail's first records must
// equal: the trail since is then consistent with it, and a trail rewritten
// with fresh hashes, or cut below its size, is found.
AuditVerification verify_audit_trail(
    Database& database, const std::optional<AuditCheckpoint>& against = std::nullopt,
    const std::optional<TreeCheckpoint>& against_tree = std::nullopt);

}  // namespace zielwerk::storage
