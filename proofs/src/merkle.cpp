#include "zielwerk/proofs/merkle.h"

#include <openssl/evp.h>

#include <bit>
#include <stdexcept>

#include "base64.h"

namespace zielwerk::proofs {
namespace {

// The algorithm fetched once: EVP_sha256() makes OpenSSL 3 look it up on every use.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

Hash sha256_of(const unsigned char prefix, std::string_view first, std::string_view second = {}) {
  Hash out{};
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned int length = 0;
  const bool ok = context != nullptr &&
                  EVP_DigestInit_ex(context, sha256_algorithm(), nullptr) == 1 &&
                  EVP_DigestUpdate(context, &prefix, 1) == 1 &&
                  EVP_DigestUpdate(context, first.data(), first.size()) == 1 &&
                  EVP_DigestUpdate(context, second.data(), second.size()) == 1 &&
                  EVP_DigestFinal_ex(context, out.data(), &length) == 1;
  EVP_MD_CTX_free(context);
  // Only an allocation failure makes OpenSSL's digest fail.
  if (!ok || length != out.size()) throw std::runtime_error("SHA-256 computation failed");
  return out;
}

std::string_view bytes(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

// k, the largest power of two smaller than n (n > 1), and its log₂.
std::pair<std::int64_t, int> largest_power_below(std::int64_t n) {
  int level = 0;
  while ((std::int64_t{1} << (level + 1)) < n)
    ++level;
  return {std::int64_t{1} << level, level};
}

Error broken(const char* what) {
  return Error::storage(std::string("the audit tree is inconsistent: ") + what);
}

// The stored indexes of the subtrees that make up leaves [lo, hi), appended to `need`.
void subtree_indexes(std::int64_t lo, std::int64_t hi, std::vector<std::int64_t>& need) {
  while (lo < hi) {
    const auto [k, level] = largest_power_below(hi - lo + 1);
    need.push_back(stored_hash_index(level, lo >> level));
    lo += k;
  }
}

// The hash of leaves [lo, hi) from the hashes subtree_indexes asked for,
// starting at `next` in `hashes`; advances `next`.
Hash subtree_hash(std::int64_t lo, std::int64_t hi, const std::vector<Hash>& hashes,
                  std::size_t& next) {
  std::size_t count = 0;
  for (std::int64_t at = lo; at < hi; ++count)
    at += largest_power_below(hi - at + 1).first;
  Hash hash = hashes.at(next + count - 1);
  for (std::size_t i = count - 1; i-- > 0;)
    hash = node_hash(hashes.at(next + i), hash);
  next += count;
  return hash;
}

void inclusion_indexes(std::int64_t lo, std::int64_t hi, std::int64_t n,
                       std::vector<std::int64_t>& need) {
  if (lo + 1 == hi) return;
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n < lo + k) {
    inclusion_indexes(lo, lo + k, n, need);
    subtree_indexes(lo + k, hi, need);
  } else {
    subtree_indexes(lo, lo + k, need);
    inclusion_indexes(lo + k, hi, n, need);
  }
}

void inclusion_proof(std::int64_t lo, std::int64_t hi, std::int64_t n,
                     const std::vector<Hash>& hashes, std::size_t& next, std::vector<Hash>& proof) {
  if (lo + 1 == hi) return;
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n < lo + k) {
    inclusion_proof(lo, lo + k, n, hashes, next, proof);
    proof.push_back(subtree_hash(lo + k, hi, hashes, next));
  } else {
    const Hash left = subtree_hash(lo, lo + k, hashes, next);
    inclusion_proof(lo + k, hi, n, hashes, next, proof);
    proof.push_back(left);
  }
}

void consistency_indexes(std::int64_t lo, std::int64_t hi, std::int64_t n,
                         std::vector<std::int64_t>& need) {
  if (n == hi) {
    if (lo != 0) subtree_indexes(lo, hi, need);
    return;
  }
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n <= lo + k) {
    consistency_indexes(lo, lo + k, n, need);
    subtree_indexes(lo + k, hi, need);
  } else {
    subtree_indexes(lo, lo + k, need);
    consistency_indexes(lo + k, hi, n, need);
  }
}

void consistency_proof(std::int64_t lo, std::int64_t hi, std::int64_t n,
                       const std::vector<Hash>& hashes, std::size_t& next,
                       std::vector<Hash>& proof) {
  if (n == hi) {
    if (lo != 0) proof.push_back(subtree_hash(lo, hi, hashes, next));
    return;
  }
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n <= lo + k) {
    consistency_proof(lo, lo + k, n, hashes, next, proof);
    proof.push_back(subtree_hash(lo + k, hi, hashes, next));
  } else {
    const Hash left = subtree_hash(lo, lo + k, hashes, next);
    consistency_proof(lo + k, hi, n, hashes, next, proof);
    proof.push_back(left);
  }
}

// The root a proof implies for leaves [lo, hi) holding `leaf` at n; nullopt
// when the proof does not have exactly the hashes needed.
std::optional<Hash> run_inclusion(std::vector<Hash> proof, std::int64_t lo, std::int64_t hi,
                                  std::int64_t n, const Hash& leaf) {
  if (lo + 1 == hi) {
    if (!proof.empty()) return std::nullopt;
    return leaf;
  }
  if (proof.empty()) return std::nullopt;
  const Hash last = proof.back();
  proof.pop_back();
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n < lo + k) {
    const auto below = run_inclusion(std::move(proof), lo, lo + k, n, leaf);
    if (!below) return std::nullopt;
    return node_hash(*below, last);
  }
  const auto below = run_inclusion(std::move(proof), lo + k, hi, n, leaf);
  if (!below) return std::nullopt;
  return node_hash(last, *below);
}

// The old and new roots a consistency proof implies for leaves [lo, hi).
std::optional<std::pair<Hash, Hash>> run_consistency(std::vector<Hash> proof, std::int64_t lo,
                                                     std::int64_t hi, std::int64_t n,
                                                     const Hash& old_root) {
  if (n == hi) {
    if (lo == 0) {
      if (!proof.empty()) return std::nullopt;
      return std::pair{old_root, old_root};
    }
    if (proof.size() != 1) return std::nullopt;
    return std::pair{proof[0], proof[0]};
  }
  if (proof.empty()) return std::nullopt;
  const Hash last = proof.back();
  proof.pop_back();
  const std::int64_t k = largest_power_below(hi - lo).first;
  if (n <= lo + k) {
    const auto below = run_consistency(std::move(proof), lo, lo + k, n, old_root);
    if (!below) return std::nullopt;
    return std::pair{below->first, node_hash(below->second, last)};
  }
  const auto below = run_consistency(std::move(proof), lo + k, hi, n, old_root);
  if (!below) return std::nullopt;
  return std::pair{node_hash(last, below->first), node_hash(last, below->second)};
}

Result<std::vector<Hash>> read_exactly(const HashReader& read,
                                       const std::vector<std::int64_t>& indexes) {
  if (indexes.empty()) return std::vector<Hash>{};
  auto hashes = read(indexes);
  if (!hashes) return hashes.error();
  if (hashes.value().size() != indexes.size()) return broken("a stored hash is missing");
  return hashes;
}

}  // namespace

Hash leaf_hash(std::string_view record) {
  return sha256_of(0x00, record);
}

Hash node_hash(const Hash& left, const Hash& right) {
  return sha256_of(0x01, bytes(left), bytes(right));
}

Hash empty_tree_hash() {
  Hash out{};
  unsigned int length = 0;
  EVP_Digest(nullptr, 0, out.data(), &length, sha256_algorithm(), nullptr);
  return out;
}

std::string to_base64(const Hash& hash) {
  return base64_encode(bytes(hash));
}

std::string to_hex(const Hash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char byte : hash) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

std::optional<Hash> hash_from_base64(std::string_view text) {
  const auto decoded = base64_decode(text);
  if (!decoded || decoded->size() != Hash{}.size()) return std::nullopt;
  Hash hash{};
  std::copy(decoded->begin(), decoded->end(), hash.begin());
  return hash;
}

std::int64_t stored_hash_index(int level, std::int64_t n) {
  // Level L's n-th hash is written right after level L+1's 2n+1-th: work
  // down to level 0, whose n-th hash is at n + n/2 + n/4 + ...
  for (int l = level; l > 0; --l)
    n = 2 * n + 1;
  std::int64_t index = 0;
  for (; n > 0; n >>= 1)
    index += n;
  return index + level;
}

std::int64_t stored_hash_count(std::int64_t n) {
  if (n == 0) return 0;
  std::int64_t count = stored_hash_index(0, n - 1) + 1;
  for (auto i = static_cast<std::uint64_t>(n - 1); (i & 1) != 0; i >>= 1)
    ++count;
  return count;
}

Result<std::vector<Hash>> hashes_for_leaf(std::int64_t n, const Hash& leaf,
                                          const HashReader& read) {
  // Each trailing 1 bit of n completes a subtree with the one to its left.
  const int completed = std::countr_zero(static_cast<std::uint64_t>(n + 1));
  std::vector<std::int64_t> indexes(static_cast<std::size_t>(completed));
  for (int i = 0; i < completed; ++i)
    indexes[static_cast<std::size_t>(completed - 1 - i)] = stored_hash_index(i, (n >> i) - 1);
  auto old = read_exactly(read, indexes);
  if (!old) return old.error();
  std::vector<Hash> hashes = {leaf};
  Hash hash = leaf;
  for (int i = 0; i < completed; ++i) {
    hash = node_hash(old.value()[static_cast<std::size_t>(completed - 1 - i)], hash);
    hashes.push_back(hash);
  }
  return hashes;
}

Result<Hash> tree_hash(std::int64_t size, const HashReader& read) {
  if (size == 0) return empty_tree_hash();
  std::vector<std::int64_t> indexes;
  subtree_indexes(0, size, indexes);
  auto hashes = read_exactly(read, indexes);
  if (!hashes) return hashes.error();
  std::size_t next = 0;
  return subtree_hash(0, size, hashes.value(), next);
}

Result<std::vector<Hash>> prove_inclusion(std::int64_t size, std::int64_t index,
                                          const HashReader& read) {
  if (index < 0 || index >= size) {
    return Error::usage("leaf " + std::to_string(index) + " is not in a tree of " +
                        std::to_string(size));
  }
  std::vector<std::int64_t> indexes;
  inclusion_indexes(0, size, index, indexes);
  auto hashes = read_exactly(read, indexes);
  if (!hashes) return hashes.error();
  std::vector<Hash> proof;
  std::size_t next = 0;
  inclusion_proof(0, size, index, hashes.value(), next, proof);
  return proof;
}

Result<std::vector<Hash>> prove_consistency(std::int64_t size, std::int64_t old_size,
                                            const HashReader& read) {
  if (old_size < 1 || old_size > size) {
    return Error::usage("no consistency proof from a tree of " + std::to_string(old_size) +
                        " to one of " + std::to_string(size));
  }
  std::vector<std::int64_t> indexes;
  consistency_indexes(0, size, old_size, indexes);
  auto hashes = read_exactly(read, indexes);
  if (!hashes) return hashes.error();
  std::vector<Hash> proof;
  std::size_t next = 0;
  consistency_proof(0, size, old_size, hashes.value(), next, proof);
  return proof;
}

bool check_inclusion(const std::vector<Hash>& proof, std::int64_t size, const Hash& root,
                     std::int64_t index, const Hash& leaf) {
  if (index < 0 || index >= size) return false;
  const auto implied = run_inclusion(proof, 0, size, index, leaf);
  return implied && *implied == root;
}

bool check_consistency(const std::vector<Hash>& proof, std::int64_t size, const Hash& root,
                       std::int64_t old_size, const Hash& old_root) {
  if (old_size < 0 || old_size > size) return false;
  if (old_size == 0) return proof.empty() && old_root == empty_tree_hash();
  if (old_size == size) return proof.empty() && old_root == root;
  const auto implied = run_consistency(proof, 0, size, old_size, old_root);
  return implied && implied->first == old_root && implied->second == root;
}

void TreeBuilder::add(const Hash& leaf) {
  // Like binary addition: merge equal-sized subtrees from the right.
  stack_.emplace_back(0, leaf);
  while (stack_.size() >= 2 && stack_[stack_.size() - 2].first == stack_.back().first) {
    const auto right = stack_.back();
    stack_.pop_back();
    stack_.back() = {right.first + 1, node_hash(stack_.back().second, right.second)};
  }
  ++size_;
}

Hash TreeBuilder::root() const {
  if (stack_.empty()) return empty_tree_hash();
  Hash hash = stack_.back().second;
  for (std::size_t i = stack_.size() - 1; i-- > 0;)
    hash = node_hash(stack_[i].second, hash);
  return hash;
}

}  // namespace zielwerk::proofs
