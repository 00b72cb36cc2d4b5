// SHA-256 digests for content hashes (rule-set version, file hashes, the audit chain).
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace zielwerk {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Lower-case hex SHA-256 of a file's bytes, read in chunks; nullopt when it
// cannot be read.
std::optional<std::string> sha256_file(const std::filesystem::path& path);

// Incremental SHA-256 for data that arrives in pieces (a file read in chunks).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Lower-case hex digest of everything passed to update(); ends the computation.
  std::string hex_digest();
  // The same into `out` (64 characters), for loops that must not allocate.
  void hex_digest(char* out);
  // Starts a new computation with the same object (cheaper than a new one).
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk
