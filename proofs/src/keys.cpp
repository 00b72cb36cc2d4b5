#include "zielwerk/proofs/keys.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base64.h"
#include "zielwerk/common/sha256.h"

namespace zielwerk::proofs {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::uint32_t key_id_of(std::string_view name, KeyUse use, const PublicKey& key) {
  std::string input(name);
  input += '\n';
  input += static_cast<char>(use);
  input.append(reinterpret_cast<const char*>(key.data()), key.size());
  // The first four bytes of the SHA-256, big-endian.
  const std::string hex = sha256_hex(input).substr(0, 8);
  return static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
}

std::string hex8(std::uint32_t value) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", value);
  return buffer;
}

}  // namespace

struct SigningKey::Key {
  PkeyPtr pkey{nullptr, &EVP_PKEY_free};
};

SigningKey::SigningKey(std::unique_ptr<Key> key) : key_(std::move(key)) {}
SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (c == '+' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
        static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return true;
}

Result<SigningKey> SigningKey::generate() {
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key->pkey) return Error::io("cannot generate an Ed25519 key (OpenSSL)");
  return SigningKey(std::move(key));
}

Result<SigningKey> SigningKey::from_seed(const std::array<unsigned char, 32>& seed) {
  auto key = std::make_unique<Key>();
  key->pkey.reset(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key->pkey) return Error::invalid_input("not an Ed25519 seed");
  return SigningKey(std::move(key));
}

Result<SigningKey> SigningKey::read_pem_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Error::invalid_input(path.string() + ": cannot read the key file");
  }
  if (!S_ISREG(info.st_mode)) return Error::invalid_input(path.string() + ": not a key file");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::invalid_input(path.string() +
                                ": a private key must be readable by its owner only (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string pem = text.str();
  if (!in && !in.eof()) return Error::invalid_input(path.string() + ": cannot read the key file");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  auto key = std::make_unique<Key>();
  key->pkey.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key->pkey || EVP_PKEY_get_id(key->pkey.get()) != EVP_PKEY_ED25519) {
    return Error::invalid_input(path.string() +
                                ": not an Ed25519 private key in PEM (PKCS#8); `zielwerk audit "
                                "keygen` writes one");
  }
  return SigningKey(std::move(key));
}

PublicKey SigningKey::public_key() const {
  PublicKey key{};
  std::size_t length = key.size();
  EVP_PKEY_get_raw_public_key(key_->pkey.get(), key.data(), &length);
  return key;
}

std::string SigningKey::sign(std::string_view message) const {
  // A fresh context per signature: OpenSSL 3.2+ refuses to sign twice with one.
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  std::string signature(64, '\0');
  std::size_t length = signature.size();
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      length != 64) {
    throw std::runtime_error("Ed25519 signing failed (OpenSSL)");
  }
  return signature;
}

std::string SigningKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    throw std::runtime_error("cannot write the key as PEM (OpenSSL)");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature) {
  if (signature.size() != 64) return false;
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()),
               &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  if (!pkey || !context ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    return false;
  }
  // Only 1 is a good signature: 0 is a bad one, a negative value an error.
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string VerifierKey::text() const {
  std::string payload(1, static_cast<char>(use));
  payload.append(reinterpret_cast<const char*>(key.data()), key.size());
  return name + "+" + hex8(key_id) + "+" + base64_encode(payload);
}

VerifierKey verifier_key(std::string name, KeyUse use, const PublicKey& key) {
  const std::uint32_t id = key_id_of(name, use, key);
  return {std::move(name), use, key, id};
}

Result<VerifierKey> parse_verifier_key(std::string_view text) {
  const auto invalid = [&](const std::string& why) {
    return Error::invalid_input("'" + std::string(text.substr(0, 80)) +
                                "' is not a verifier key (name+keyid+key): " + why);
  };
  const auto first = text.find('+');
  const auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) return invalid("it needs two '+'");
  const std::string name(text.substr(0, first));
  const std::string_view hex = text.substr(first + 1, second - first - 1);
  if (!is_valid_key_name(name)) return invalid("the name is empty or has spaces or '+'");
  if (hex.size() != 8 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return invalid("the key id is not 8 lower-case hex digits");
  }
  const auto payload = base64_decode(text.substr(second + 1));
  if (!payload || payload->size() != 33) return invalid("the key is not base64 of 33 bytes");
  const auto use = static_cast<unsigned char>((*payload)[0]);
  if (use != static_cast<unsigned char>(KeyUse::log) &&
      use != static_cast<unsigned char>(KeyUse::cosigner)) {
    return invalid("unknown algorithm " + std::to_string(use) +
                   " (1: checkpoint signature, 4: cosignature)");
  }
  PublicKey key{};
  std::copy(payload->begin() + 1, payload->end(), key.begin());
  VerifierKey parsed = verifier_key(name, static_cast<KeyUse>(use), key);
  if (hex8(parsed.key_id) != hex) return invalid("the key id does not match the name and key");
  return parsed;
}

}  // namespace zielwerk::proofs
