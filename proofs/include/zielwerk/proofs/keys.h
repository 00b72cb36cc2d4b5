// Ed25519 keys for signing checkpoints, through OpenSSL (EVP, a fresh context
// per signature, as OpenSSL 3.2 and later require). A private key is a PEM
// PKCS#8 file, kept outside the database at mode 0600; its public half is
// published as a signed-note verifier key ("name+keyid+base64", C2SP
// signed-note) that auditors pass to `audit verify --trusted`.
//
// Two kinds of verifier key share the format and differ in the algorithm
// byte: 0x01 for the log's own signature on a checkpoint (signed-note
// Ed25519), 0x04 for a party's cosignature (C2SP tlog-cosignature v1, which
// also signs the time it saw the checkpoint). The same Ed25519 key pair can
// be used for either; the verifier key names which.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "zielwerk/common/error.h"

namespace zielwerk::proofs {

using PublicKey = std::array<unsigned char, 32>;

enum class KeyUse : unsigned char { log = 0x01, cosigner = 0x04 };

// Key names as signed notes allow them: not empty, UTF-8, no white space, no '+'.
bool is_valid_key_name(std::string_view name);

class SigningKey {
 public:
  // A new random key (OpenSSL's generator).
  static Result<SigningKey> generate();
  // The key of a 32-byte Ed25519 seed (RFC 8032), e.g. a published test vector.
  static Result<SigningKey> from_seed(const std::array<unsigned char, 32>& seed);
  // A PEM PKCS#8 Ed25519 private key. A file that cannot be read, is no such
  // key or can be read by others than its owner is ErrorKind::invalid_input
  // naming the file.
  static Result<SigningKey> read_pem_file(const std::filesystem::path& path);

  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;

  PublicKey public_key() const;
  // The 64-byte Ed25519 signature of `message`.
  std::string sign(std::string_view message) const;
  // The PEM PKCS#8 text of the private key.
  std::string pem() const;

 private:
  struct Key;
  explicit SigningKey(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
};

// Whether `signature` is `key`'s Ed25519 signature of `message`.
bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature);

// A public key with its name and use, as a verifier key names it.
struct VerifierKey {
  std::string name;
  KeyUse use = KeyUse::log;
  PublicKey key{};
  std::uint32_t key_id = 0;  // SHA-256(name ‖ "\n" ‖ use ‖ key)[0:4], big-endian

  std::string text() const;  // "name+0a1b2c3d+AQ...": what a .pub file holds
};

VerifierKey verifier_key(std::string name, KeyUse use, const PublicKey& key);
// "name+hex8+base64(use ‖ key)"; anything else (a wrong key id, an unknown
// use, a key of the wrong length, non-canonical base64) is invalid_input.
Result<VerifierKey> parse_verifier_key(std::string_view text);

}  // namespace zielwerk::proofs
