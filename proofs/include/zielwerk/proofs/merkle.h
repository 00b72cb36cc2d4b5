// The Merkle tree over the audit trail, as Certificate Transparency (RFC 6962
// / 9162) defines it, so that anyone can recompute it from an export:
//   leaf = SHA-256(0x00 ‖ record bytes), node = SHA-256(0x01 ‖ left ‖ right),
// the tree of n leaves splits at the largest power of two below n, and the
// empty tree's hash is SHA-256 of nothing. Leaf indexes are 0-based (record
// seq 1 is leaf 0).
//
// A stored tree keeps every complete subtree's hash once, in the dense order
// of Crosby and Wallach that the Go checksum database uses
// (golang.org/x/mod/sumdb/tlog): appending a record stores about two hashes,
// the root of any size needs at most 1 + log₂ n of them, and inclusion and
// consistency proofs are read from them. Pure: hashes come in through a
// HashReader.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"

namespace zielwerk::proofs {

using Hash = std::array<unsigned char, 32>;

Hash leaf_hash(std::string_view record);
Hash node_hash(const Hash& left, const Hash& right);
Hash empty_tree_hash();

std::string to_base64(const Hash& hash);
std::string to_hex(const Hash& hash);
// Canonical standard base64 of exactly 32 bytes; nullopt otherwise.
std::optional<Hash> hash_from_base64(std::string_view text);

// Where the hash of the `n`-th subtree of 2^level leaves is stored.
std::int64_t stored_hash_index(int level, std::int64_t n);
// How many hashes a tree of `n` leaves has stored.
std::int64_t stored_hash_count(std::int64_t n);

// Reads stored hashes by index, in the order asked; an error (a failing
// database, a missing hash) ends the computation.
using HashReader = std::function<Result<std::vector<Hash>>(const std::vector<std::int64_t>&)>;

// The hashes to store when leaf `n` (0-based) with hash `leaf` is appended,
// from stored_hash_index(0, n) on: the leaf and every subtree it completes.
Result<std::vector<Hash>> hashes_for_leaf(std::int64_t n, const Hash& leaf, const HashReader& read);

// The root of the tree of the first `size` leaves (reads at most 1 + log₂ size hashes).
Result<Hash> tree_hash(std::int64_t size, const HashReader& read);

// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3).
Result<std::vector<Hash>> prove_inclusion(std::int64_t size, std::int64_t index,
                                          const HashReader& read);
// The consistency proof from the tree of `old_size` to that of `size` (RFC 9162
// §2.1.4); 0 < old_size <= size.
Result<std::vector<Hash>> prove_consistency(std::int64_t size, std::int64_t old_size,
                                            const HashReader& read);

// Whether `proof` shows that the tree of `size` leaves with root `root` has
// `leaf` at `index`. False for any input that is not exactly such a proof.
bool check_inclusion(const std::vector<Hash>& proof, std::int64_t size, const Hash& root,
                     std::int64_t index, const Hash& leaf);
// Whether `proof` shows that the tree of `size` leaves with root `root` extends
// the tree of `old_size` leaves with root `old_root`. Equal sizes need an empty
// proof and equal roots; old_size 0 is consistent with any tree (empty proof).
bool check_consistency(const std::vector<Hash>& proof, std::int64_t size, const Hash& root,
                       std::int64_t old_size, const Hash& old_root);

// The root of leaves as they come, in O(log n) memory: for a verifier reading
// a trail from its start.
class TreeBuilder {
 public:
  void add(const Hash& leaf);
  std::int64_t size() const { return size_; }
  Hash root() const;  // of the leaves added so far

 private:
  // The roots of the complete subtrees of the leaves so far, largest first.
  std::vector<std::pair<int, Hash>> stack_;  // (level, hash)
  std::int64_t size_ = 0;
};

}  // namespace zielwerk::proofs
