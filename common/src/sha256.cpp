// Before any OpenSSL header (also in a unity build): see sha256_hex below.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "zielwerk/common/sha256.h"

#include <openssl/sha.h>

#include <array>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace zielwerk {
namespace {

constexpr std::size_t kDigestBytes = SHA256_DIGEST_LENGTH;

void to_hex(const unsigned char* digest, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < kDigestBytes; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
}

std::string to_hex(const unsigned char* digest) {
  std::string out(2 * kDigestBytes, '\0');
  to_hex(digest, out.data());
  return out;
}

// OpenSSL's digest functions only fail on allocation failure or misuse; that
// is not a recoverable input error.
void require(int openssl_result) {
  if (openssl_result != 1) throw std::runtime_error("SHA-256 computation failed");
}

}  // namespace

// OpenSSL's SHA256_* functions, not its EVP interface: they run the same
// code (with the CPU's SHA instructions where it has them) but keep their
// state on the stack. Through EVP, starting and ending a digest cost more
// than hashing a short input, and `audit verify` digests millions of short
// inputs. OpenSSL 3 deprecates them in favour of EVP, which matters for
// algorithms from providers (FIPS); SHA-256 here is for content hashes.
std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, kDigestBytes> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return to_hex(digest.data());
}

struct Sha256::State {
  SHA256_CTX context;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  reset();
}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  require(SHA256_Update(&state_->context, data.data(), data.size()));
}

std::optional<std::string> sha256_file(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return std::nullopt;
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  while (input) {
    input.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(input.gcount())));
  }
  if (input.bad()) return std::nullopt;
  return hash.hex_digest();
}

void Sha256::reset() {
  require(SHA256_Init(&state_->context));
}

std::string Sha256::hex_digest() {
  std::string out(2 * kDigestBytes, '\0');
  hex_digest(out.data());
  return out;
}

void Sha256::hex_digest(char* out) {
  std::array<unsigned char, kDigestBytes> digest{};
  require(SHA256_Final(digest.data(), &state_->context));
  to_hex(digest.data(), out);
}

}  // namespace zielwerk
