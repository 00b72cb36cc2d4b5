// The Merkle tree against the published vectors (transparency-dev/merkle's
// testonly constants, as shared/audit-proofs.md lists them) and against a
// plain recursive definition of RFC 9162 for every size up to 1024; every
// proof verifies and every corruption of one fails.
#include "zielwerk/proofs/merkle.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace zielwerk::proofs {
namespace {

std::string bytes_of_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// transparency-dev/merkle testonly/constants.go: the leaves of the 8-leaf tree.
std::vector<std::string> vector_leaves() {
  std::vector<std::string> leaves;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"})
    leaves.push_back(bytes_of_hex(hex));
  return leaves;
}

// MTH as RFC 9162 §2.1.1 defines it, recursively.
Hash reference_root(const std::vector<Hash>& leaves, std::size_t lo, std::size_t hi) {
  if (hi == lo) return empty_tree_hash();
  if (hi - lo == 1) return leaves[lo];
  std::size_t k = 1;
  while (k * 2 < hi - lo)
    k *= 2;
  return node_hash(reference_root(leaves, lo, lo + k), reference_root(leaves, lo + k, hi));
}

// A stored tree in memory, written as the storage module writes it.
class MemoryTree {
 public:
  void append(const Hash& leaf) {
    auto hashes = hashes_for_leaf(size_, leaf, reader());
    ASSERT_TRUE(hashes.ok()) << hashes.error().message;
    std::int64_t index = stored_hash_index(0, size_);
    for (const auto& hash : hashes.value())
      stored_[index++] = hash;
    ++size_;
  }
  HashReader reader() const {
    return [this](const std::vector<std::int64_t>& indexes) -> Result<std::vector<Hash>> {
      std::vector<Hash> out;
      for (const auto index : indexes) {
        const auto it = stored_.find(index);
        if (it == stored_.end()) return Error::storage("missing hash " + std::to_string(index));
        out.push_back(it->second);
      }
      return out;
    };
  }
  std::int64_t size() const { return size_; }
  std::size_t stored() const { return stored_.size(); }

 private:
  std::map<std::int64_t, Hash> stored_;
  std::int64_t size_ = 0;
};

TEST(Merkle, TheVectorsOfTransparencyDevMerkle) {
  EXPECT_EQ(to_hex(empty_tree_hash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  MemoryTree tree;
  const std::map<std::int64_t, std::pair<std::string, std::string>> roots = {
      {1, {"6e340b9c", "afa01d"}}, {2, {"fac54203", "e3c125"}}, {3, {"aeb6bcfe", "e06e77"}},
      {4, {"d37ee418", "9614b7"}}, {5, {"4e3bbb1f", "6264d4"}}, {6, {"76e67dad", "2087ef"}},
      {7, {"ddb89be4", "a74c8c"}}};
  for (const auto& leaf : vector_leaves()) {
    tree.append(leaf_hash(leaf));
    const std::string root = to_hex(tree_hash(tree.size(), tree.reader()).value());
    if (const auto it = roots.find(tree.size()); it != roots.end()) {
      EXPECT_TRUE(root.starts_with(it->second.first) && root.ends_with(it->second.second))
          << tree.size() << ": " << root;
    }
  }
  const Hash root8 = tree_hash(8, tree.reader()).value();
  EXPECT_EQ(to_hex(root8), "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  // The root line of the 8-leaf tree's checkpoint.
  EXPECT_EQ(to_base64(root8), "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
  // PROOF(6, 8) of cmd/proofgen: 0ebc5d34…, ca854ea1…, d37ee418….
  const auto proof = prove_consistency(8, 6, tree.reader()).value();
  ASSERT_EQ(proof.size(), 3u);
  EXPECT_TRUE(to_hex(proof[0]).starts_with("0ebc5d34"));
  EXPECT_TRUE(to_hex(proof[1]).starts_with("ca854ea1"));
  EXPECT_TRUE(to_hex(proof[2]).starts_with("d37ee418"));
}

TEST(Merkle, StoredBuiltAndRecursiveRootsAgreeUpTo1024) {
  MemoryTree tree;
  TreeBuilder builder;
  std::vector<Hash> leaves;
  for (int n = 0; n < 1024; ++n) {
    leaves.push_back(leaf_hash("record " + std::to_string(n)));
    tree.append(leaves.back());
    builder.add(leaves.back());
    const Hash expected = reference_root(leaves, 0, leaves.size());
    ASSERT_EQ(tree_hash(tree.size(), tree.reader()).value(), expected) << n + 1;
    ASSERT_EQ(builder.root(), expected) << n + 1;
    ASSERT_EQ(static_cast<std::int64_t>(tree.stored()), stored_hash_count(tree.size()));
  }
  // Earlier sizes read from the same stored hashes.
  for (std::size_t size = 0; size <= 100; ++size) {
    EXPECT_EQ(tree_hash(static_cast<std::int64_t>(size), tree.reader()).value(),
              reference_root(leaves, 0, size));
  }
}

std::vector<std::vector<Hash>> corruptions(const std::vector<Hash>& proof) {
  std::vector<std::vector<Hash>> out;
  for (std::size_t i = 0; i < proof.size(); ++i) {
    auto flipped = proof;
    flipped[i][i % 32] ^= 0x01;
    out.push_back(flipped);
    auto removed = proof;
    removed.erase(removed.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(removed);
  }
  Hash garbage{};
  garbage.fill(0x42);
  auto front = proof;
  front.insert(front.begin(), garbage);
  out.push_back(front);
  auto back = proof;
  back.push_back(garbage);
  out.push_back(back);
  return out;
}

TEST(Merkle, EveryProofVerifiesAndNoCorruptedOneDoes) {
  MemoryTree tree;
  std::vector<Hash> leaves;
  for (int n = 0; n < 40; ++n) {
    leaves.push_back(leaf_hash("r" + std::to_string(n)));
    tree.append(leaves.back());
  }
  for (std::int64_t size = 1; size <= 40; ++size) {
    const Hash root = tree_hash(size, tree.reader()).value();
    for (std::int64_t index = 0; index < size; ++index) {
      const auto proof = prove_inclusion(size, index, tree.reader()).value();
      const Hash& leaf = leaves[static_cast<std::size_t>(index)];
      ASSERT_TRUE(check_inclusion(proof, size, root, index, leaf)) << index << "/" << size;
      EXPECT_FALSE(check_inclusion(proof, size, root, index + 1, leaf));
      if (index > 0) {
        EXPECT_FALSE(check_inclusion(proof, size, root, index - 1, leaf));
      }
      EXPECT_FALSE(check_inclusion(proof, size * 2, root, index, leaf));
      if (size > 1) {
        EXPECT_FALSE(check_inclusion(proof, size / 2, root, index, leaf));
      }
      for (const auto& broken : corruptions(proof)) {
        EXPECT_FALSE(check_inclusion(broken, size, root, index, leaf)) << index << "/" << size;
      }
    }
    for (std::int64_t old_size = 1; old_size <= size; ++old_size) {
      const Hash old_root = tree_hash(old_size, tree.reader()).value();
      const auto proof = prove_consistency(size, old_size, tree.reader()).value();
      ASSERT_TRUE(check_consistency(proof, size, root, old_size, old_root))
          << old_size << " -> " << size;
      if (old_size < size) {
        EXPECT_FALSE(check_consistency(proof, size, root, old_size + 1, old_root));
        EXPECT_FALSE(check_consistency(proof, size * 2, root, old_size, old_root));
        EXPECT_FALSE(check_consistency(proof, size, old_root, old_size, root));
      }
      for (const auto& broken : corruptions(proof)) {
        EXPECT_FALSE(check_consistency(broken, size, root, old_size, old_root))
            << old_size << " -> " << size;
      }
    }
  }
}

TEST(Merkle, TheEdgesOfConsistency) {
  MemoryTree tree;
  for (int n = 0; n < 5; ++n)
    tree.append(leaf_hash(std::to_string(n)));
  const Hash root = tree_hash(5, tree.reader()).value();
  // Equal sizes: an empty proof and equal roots; size 0: consistent with anything.
  EXPECT_TRUE(check_consistency({}, 5, root, 5, root));
  EXPECT_FALSE(check_consistency({}, 5, root, 5, tree_hash(4, tree.reader()).value()));
  EXPECT_TRUE(check_consistency({}, 5, root, 0, empty_tree_hash()));
  EXPECT_FALSE(check_consistency({root}, 5, root, 0, empty_tree_hash()));
  EXPECT_FALSE(prove_consistency(5, 0, tree.reader()).ok());
  EXPECT_FALSE(prove_consistency(5, 6, tree.reader()).ok());
  EXPECT_FALSE(prove_inclusion(5, 5, tree.reader()).ok());
  // A tree missing a stored hash is an error, not a wrong root.
  MemoryTree empty;
  EXPECT_FALSE(tree_hash(3, empty.reader()).ok());
}

TEST(Merkle, HashesReadAndWriteAsCanonicalBase64Only) {
  const Hash root = leaf_hash("x");
  EXPECT_EQ(hash_from_base64(to_base64(root)), root);
  EXPECT_FALSE(hash_from_base64(to_base64(root).substr(1)));
  std::string loose = to_base64(root);
  loose.back() = 'A';  // not the padding the encoding has
  EXPECT_FALSE(hash_from_base64(loose));
  EXPECT_FALSE(hash_from_base64(" " + to_base64(root)));
}

}  // namespace
}  // namespace zielwerk::proofs
