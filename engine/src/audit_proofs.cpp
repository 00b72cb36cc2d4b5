#include "zielwerk/engine/audit_proofs.h"

#include <chrono>

#include "zielwerk/storage/audit_line.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/audit_tree.h"

namespace zielwerk::engine {
namespace {

// The trail's size and root, read in one snapshot.
struct TreeHead {
  std::int64_t size = 0;
  proofs::Hash root{};
};

Result<TreeHead> tree_head(storage::Database& database, std::optional<std::int64_t> size) {
  std::optional<Result<TreeHead>> head;
  const Status read = database.snapshot([&]() -> Status {
    const std::int64_t records = storage::audit_head(database).seq;
    const std::int64_t wanted = size.value_or(records);
    if (wanted < 0 || wanted > records) {
      head.emplace(Error::usage("the trail has " + std::to_string(records) +
                                " records; there is no tree of " + std::to_string(wanted)));
      return Ok{};
    }
    auto root = storage::audit_tree_root(database, wanted);
    if (!root) {
      head.emplace(root.error());
    } else {
      head.emplace(TreeHead{wanted, root.value()});
    }
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*head);
}

std::string hash_lines(const std::vector<proofs::Hash>& hashes) {
  std::string text;
  for (const auto& hash : hashes)
    text += proofs::to_base64(hash) + "\n";
  return text;
}

std::string cosigned_time_text(std::uint64_t seconds) {
  return format_timestamp(Timestamp(std::chrono::seconds(seconds)));
}

}  // namespace

Result<std::string> audit_origin(const Project& project, storage::Database& database) {
  std::optional<std::string> instance;
  const Status read = database.read([&]() -> Status {
    instance = database.meta("instance");
    return Ok{};
  });
  if (!read) return read.error();
  if (!instance) {
    return Error::storage(
        "the database has no identity (project_meta 'instance'); it was "
        "written around zielwerk");
  }
  return "zielwerk/" + project.rules.agreement.id + "/" + *instance;
}

Result<std::string> sign_audit_checkpoint(const Project& project, storage::Database& database,
                                          const proofs::SigningKey& key,
                                          const std::string& key_name) {
  auto origin = audit_origin(project, database);
  if (!origin) return origin.error();
  // Read first, then made durable: every record the checkpoint covers was
  // committed before the sync.
  auto head = tree_head(database, std::nullopt);
  if (!head) return head.error();
  if (const Status durable = database.make_durable(); !durable) return durable.error();
  const proofs::Checkpoint checkpoint{origin.value(), head.value().size, head.value().root, {}};
  const std::string text = proofs::checkpoint_text(checkpoint);
  return proofs::format_note({text, {proofs::sign_note(text, key_name, key)}});
}

Result<CheckpointSignatures> check_checkpoint_signatures(
    const Project& project, storage::Database& database, std::string_view note,
    const std::vector<proofs::VerifierKey>& trusted) {
  auto parsed = proofs::parse_note(note);
  if (!parsed) return parsed.error();
  auto checkpoint = proofs::parse_checkpoint_text(parsed.value().text);
  if (!checkpoint) return checkpoint.error();
  CheckpointSignatures result;
  result.checkpoint = checkpoint.value();
  auto origin = audit_origin(project, database);
  if (!origin) return origin.error();
  if (result.checkpoint.origin != origin.value()) {
    result.problems.push_back("the checkpoint is of " + result.checkpoint.origin +
                              ", not of this trail (" + origin.value() + ")");
  }
  for (const auto& key : trusted) {
    std::uint64_t seconds = 0;
    switch (proofs::check_signature(parsed.value(), key, &seconds)) {
      case proofs::SignatureCheck::valid:
        result.signed_by.push_back(key.use == proofs::KeyUse::log
                                       ? key.name + ": signed"
                                       : key.name + ": cosigned at " + cosigned_time_text(seconds));
        break;
      case proofs::SignatureCheck::invalid:
        result.problems.push_back("the signature by " + key.name +
                                  " does not verify: the checkpoint was altered or forged");
        break;
      case proofs::SignatureCheck::absent:
        result.problems.push_back("the checkpoint has no signature by " + key.name);
        break;
    }
  }
  return result;
}

Result<std::string> cosign_audit_checkpoint(const Project& project, storage::Database& database,
                                            std::string_view note, const proofs::SigningKey& key,
                                            const std::string& key_name, Timestamp now) {
  auto parsed = proofs::parse_note(note);
  if (!parsed) return parsed.error();
  auto checked = check_checkpoint_signatures(project, database, note, {});
  if (!checked) return checked.error();
  if (!checked.value().problems.empty()) {
    return Error::invalid_input(checked.value().problems.front() + "; not cosigned");
  }
  const proofs::Checkpoint& checkpoint = checked.value().checkpoint;
  auto head = tree_head(database, std::nullopt);
  if (!head) return head.error();
  if (checkpoint.size > head.value().size) {
    return Error::invalid_input("the checkpoint covers " + std::to_string(checkpoint.size) +
                                " records, but the trail has " + std::to_string(head.value().size) +
                                "; not cosigned");
  }
  auto root = tree_head(database, checkpoint.size);
  if (!root) return root.error();
  if (root.value().root != checkpoint.root) {
    return Error::invalid_input("the checkpoint's root is not the root of the trail's first " +
                                std::to_string(checkpoint.size) +
                                " records: it does not describe this trail; not cosigned");
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  proofs::SignedNote cosigned = parsed.value();
  cosigned.signatures.push_back(
      proofs::cosign_note(cosigned.text, key_name, key, static_cast<std::uint64_t>(seconds)));
  return proofs::format_note(cosigned);
}

Result<std::string> inclusion_proof_text(const Project& project, storage::Database& database,
                                         std::int64_t seq, std::optional<std::int64_t> size) {
  auto origin = audit_origin(project, database);
  if (!origin) return origin.error();
  auto head = tree_head(database, size);
  if (!head) return head.error();
  if (seq < 1 || seq > head.value().size) {
    return Error::usage("--record " + std::to_string(seq) + ": the tree has records 1 to " +
                        std::to_string(head.value().size));
  }
  auto proof = storage::audit_inclusion_proof(database, head.value().size, seq - 1);
  if (!proof) return proof.error();
  std::optional<std::string> line;
  const Status read = database.snapshot([&]() -> Status {
    const auto records = storage::read_audit_records(database, seq - 1, 1);
    if (!records.empty()) line = storage::audit_line(records.front());
    return Ok{};
  });
  if (!read) return read.error();
  if (!line) return Error::storage("record " + std::to_string(seq) + " is missing");
  return "zielwerk inclusion proof\norigin " + origin.value() + "\nsize " +
         std::to_string(head.value().size) + "\nroot " + proofs::to_base64(head.value().root) +
         "\nrecord " + std::to_string(seq) + "\nleaf " +
         proofs::to_base64(proofs::leaf_hash(*line)) + "\n" + hash_lines(proof.value());
}

Result<std::string> consistency_proof_text(const Project& project, storage::Database& database,
                                           std::int64_t old_size,
                                           std::optional<std::int64_t> size) {
  auto origin = audit_origin(project, database);
  if (!origin) return origin.error();
  auto head = tree_head(database, size);
  if (!head) return head.error();
  if (old_size < 1 || old_size > head.value().size) {
    return Error::usage("--from " + std::to_string(old_size) + ": needs a size from 1 to " +
                        std::to_string(head.value().size));
  }
  auto old_head = tree_head(database, old_size);
  if (!old_head) return old_head.error();
  auto proof = storage::audit_consistency_proof(database, head.value().size, old_size);
  if (!proof) return proof.error();
  return "zielwerk consistency proof\norigin " + origin.value() + "\nold " +
         std::to_string(old_size) + " " + proofs::to_base64(old_head.value().root) + "\nnew " +
         std::to_string(head.value().size) + " " + proofs::to_base64(head.value().root) + "\n" +
         hash_lines(proof.value());
}

}  // namespace zielwerk::engine
