#include "zielwerk/storage/audit_tree.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "audit_tree_store.h"
#include "connection.h"
#include "statement.h"
#include "zielwerk/storage/audit_line.h"

namespace zielwerk::storage {
namespace {

proofs::HashReader reader_of(SQLite::Database& db) {
  return [&db](const std::vector<std::int64_t>& indexes) -> Result<std::vector<proofs::Hash>> {
    SQLite::Statement select(db, "SELECT hash FROM audit_tree WHERE idx = ?");
    std::vector<proofs::Hash> hashes;
    hashes.reserve(indexes.size());
    for (const std::int64_t index : indexes) {
      select.bind(1, static_cast<int64_t>(index));
      if (!select.executeStep() || select.getColumn(0).getBytes() != 32) {
        return Error::storage("the audit trail's Merkle tree lacks its hash " +
                              std::to_string(index) + " (the table audit_tree was altered)");
      }
      proofs::Hash hash;
      const auto* bytes = static_cast<const unsigned char*>(select.getColumn(0).getBlob());
      std::copy(bytes, bytes + 32, hash.begin());
      hashes.push_back(hash);
      select.reset();
    }
    return hashes;
  };
}

// The same reader on a server.
proofs::HashReader reader_of(pg::Connection& server) {
  return [&server](const std::vector<std::int64_t>& indexes) -> Result<std::vector<proofs::Hash>> {
    pg::Statement select(server, "SELECT hash FROM audit_tree WHERE idx = ?");
    std::vector<proofs::Hash> hashes;
    hashes.reserve(indexes.size());
    for (const std::int64_t index : indexes) {
      select.bind(1, index);
      std::string bytes;
      if (select.step()) bytes = select.blob(0);
      if (bytes.size() != 32) {
        return Error::storage("the audit trail's Merkle tree lacks its hash " +
                              std::to_string(index) + " (the table audit_tree was altered)");
      }
      proofs::Hash hash;
      std::copy(bytes.begin(), bytes.end(), hash.begin());
      hashes.push_back(hash);
      select.reset();
    }
    return hashes;
  };
}

proofs::HashReader reader_of(Database& database) {
  return is_postgres(database) ? reader_of(postgres(database)) : reader_of(sqlite(database));
}

// Runs `work` on the connection, a failure of SQLite itself becoming
// ErrorKind::storage.
template <typename Work>
auto read_tree(Database& database, Work work) -> decltype(work(std::declval<Database&>())) {
  std::optional<decltype(work(std::declval<Database&>()))> result;
  const Status read = database.read([&]() -> Status {
    result.emplace(work(database));
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

}  // namespace

void append_audit_tree_leaf(SQLite::Database& db, std::int64_t index, const proofs::Hash& leaf) {
  auto hashes = proofs::hashes_for_leaf(index, leaf, reader_of(db));
  if (!hashes) throw std::runtime_error(hashes.error().message);
  SQLite::Statement insert(db, "INSERT INTO audit_tree (idx, hash) VALUES (?, ?)");
  std::int64_t at = proofs::stored_hash_index(0, index);
  for (const auto& hash : hashes.value()) {
    insert.bind(1, static_cast<int64_t>(at++));
    insert.bind(2, hash.data(), static_cast<int>(hash.size()));
    insert.exec();
    insert.reset();
  }
}

void append_audit_tree_leaf(Database& database, std::int64_t index, const proofs::Hash& leaf) {
  if (!is_postgres(database)) return append_audit_tree_leaf(sqlite(database), index, leaf);
  auto hashes = proofs::hashes_for_leaf(index, leaf, reader_of(database));
  if (!hashes) throw std::runtime_error(hashes.error().message);
  pg::Statement insert(postgres(database), "INSERT INTO audit_tree (idx, hash) VALUES (?, ?)");
  std::int64_t at = proofs::stored_hash_index(0, index);
  for (const auto& hash : hashes.value()) {
    insert.bind(1, at++);
    insert.bind_blob(2, hash.data(), hash.size());
    insert.run();
  }
}

Result<proofs::Hash> stored_audit_tree_root(Database& database, std::int64_t size) {
  return proofs::tree_hash(size, reader_of(database));
}

std::int64_t stored_audit_tree_hashes(Database& database) {
  Statement count(database, "SELECT count(*) FROM audit_tree");
  count.executeStep();
  return count.getColumn(0).getInt64();
}

void backfill_audit_tree(SQLite::Database& db) {
  SQLite::Statement records(
      db, "SELECT seq, previous_hash, hash, payload FROM audit_record ORDER BY seq");
  std::string line;
  std::int64_t index = 0;
  while (records.executeStep()) {
    line.clear();
    append_audit_line(line, records.getColumn(0).getInt64(), records.getColumn(1).getString(),
                      records.getColumn(2).getString(), records.getColumn(3).getString());
    append_audit_tree_leaf(db, index++, proofs::leaf_hash(line));
  }
}

Result<proofs::Hash> audit_tree_root(Database& database, std::int64_t size) {
  return read_tree(database, [size](Database& db) -> Result<proofs::Hash> {
    return proofs::tree_hash(size, reader_of(db));
  });
}

Result<std::vector<proofs::Hash>> audit_inclusion_proof(Database& database, std::int64_t size,
                                                        std::int64_t index) {
  return read_tree(database, [size, index](Database& db) -> Result<std::vector<proofs::Hash>> {
    return proofs::prove_inclusion(size, index, reader_of(db));
  });
}

Result<std::vector<proofs::Hash>> audit_consistency_proof(Database& database, std::int64_t size,
                                                          std::int64_t old_size) {
  return read_tree(database, [size, old_size](Database& db) -> Result<std::vector<proofs::Hash>> {
    return proofs::prove_consistency(size, old_size, reader_of(db));
  });
}

}  // namespace zielwerk::storage
