// What lets the other parties check the audit trail without trusting the
// database (docs/audit.md, "Proofs"): signed checkpoints of its Merkle tree,
// cosignatures, and the proofs that a record is in a tree or that one tree
// extends another. The formats are those of proofs/ (C2SP signed notes and
// checkpoints, RFC 9162 proofs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/proofs/keys.h"
#include "zielwerk/proofs/note.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

// The checkpoints' origin line: "zielwerk/<agreement>/<instance>", the
// instance being the database's random identity, so a checkpoint of one
// trail (or of a copy started afresh) is never taken for another's.
Result<std::string> audit_origin(const Project& project, storage::Database& database);

// A checkpoint of the trail as it is now, signed with the log's key: the
// records it covers are made durable (a full WAL checkpoint with its syncs)
// before it is signed, so no crash can take back what it vouches for.
Result<std::string> sign_audit_checkpoint(const Project& project, storage::Database& database,
                                          const proofs::SigningKey& key,
                                          const std::string& key_name);

// The signed checkpoint `note` with a party's cosignature added, at `now`:
// only when it is a checkpoint of this trail whose root is the trail's at its
// size (a witness signs only what it checked). invalid_input otherwise,
// naming what does not hold.
Result<std::string> cosign_audit_checkpoint(const Project& project, storage::Database& database,
                                            std::string_view note, const proofs::SigningKey& key,
                                            const std::string& key_name, Timestamp now);

// How a signed checkpoint stands with the keys an auditor trusts.
struct CheckpointSignatures {
  proofs::Checkpoint checkpoint;
  std::vector<std::string> signed_by;  // "name: signed" / "name: cosigned at <time>"
  std::vector<std::string> problems;   // a key that did not sign, a forged line, another origin
};

// Parses `note` (invalid_input when it is no signed checkpoint) and checks it
// against every key of `trusted`, which must all have signed, and against
// the trail's origin.
Result<CheckpointSignatures> check_checkpoint_signatures(
    const Project& project, storage::Database& database, std::string_view note,
    const std::vector<proofs::VerifierKey>& trusted);

// The inclusion proof of record `seq` in the tree of `size` records (default:
// all), as text (docs/audit.md documents it).
Result<std::string> inclusion_proof_text(const Project& project, storage::Database& database,
                                         std::int64_t seq, std::optional<std::int64_t> size);

// The consistency proof from the tree of `old_size` records to that of `size`
// (default: all), as text.
Result<std::string> consistency_proof_text(const Project& project, storage::Database& database,
                                           std::int64_t old_size, std::optional<std::int64_t> size);

}  // namespace zielwerk::engine
