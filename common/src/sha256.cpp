#include "zielwerk/common/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace zielwerk {
namespace {

std::string to_hex(const unsigned char* digest, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

// OpenSSL's digest functions only fail on allocation failure; that is not a
// recoverable input error.
void require(int openssl_result) {
  if (openssl_result != 1) throw std::runtime_error("SHA-256 computation failed");
}

// The algorithm fetched once: EVP_sha256() makes OpenSSL 3 look it up (under
// a lock) on every use, which costs as much as hashing a short input.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  require(
      EVP_Digest(data.data(), data.size(), digest.data(), &length, sha256_algorithm(), nullptr));
  return to_hex(digest.data(), length);
}

struct Sha256::State {
  State() : context(EVP_MD_CTX_new()) {
    if (context == nullptr) throw std::runtime_error("SHA-256 computation failed");
    require(EVP_DigestInit_ex(context, sha256_algorithm(), nullptr));
  }
  ~State() { EVP_MD_CTX_free(context); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  EVP_MD_CTX* context;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  require(EVP_DigestUpdate(state_->context, data.data(), data.size()));
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
  require(EVP_DigestInit_ex(state_->context, sha256_algorithm(), nullptr));
}

std::string Sha256::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  require(EVP_DigestFinal_ex(state_->context, digest.data(), &length));
  return to_hex(digest.data(), length);
}

}  // namespace zielwerk
