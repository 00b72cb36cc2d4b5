// Keys, signed notes, checkpoints and cosignatures against the published
// vectors (RFC 8032, the Go note package's example, C2SP's example key) and
// what a verifier must refuse.
#include "zielwerk/proofs/note.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace zielwerk::proofs {
namespace {

std::array<unsigned char, 32> bytes32(std::string_view hex) {
  std::array<unsigned char, 32> out{};
  for (std::size_t i = 0; i < 32; ++i)
    out[i] = static_cast<unsigned char>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 0x0f];
  }
  return out;
}

TEST(Keys, Rfc8032TestOne) {
  const auto key = SigningKey::from_seed(
      bytes32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  const PublicKey pub = key.value().public_key();
  EXPECT_EQ(hex(std::string_view(reinterpret_cast<const char*>(pub.data()), pub.size())),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const std::string signature = key.value().sign("");
  EXPECT_EQ(hex(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
            "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify_signature(pub, "", signature));
  EXPECT_FALSE(verify_signature(pub, "x", signature));
  EXPECT_FALSE(verify_signature(pub, "", signature.substr(1)));
}

TEST(Notes, TheGoNotePackagesExampleSignsExactlyTheSame) {
  // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: the seed
  // is the base64 after its algorithm byte 0x01.
  const auto key = SigningKey::from_seed(
      bytes32("810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173"));
  ASSERT_TRUE(key.ok());
  const std::string text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your "
      "problem is.\n";
  SignedNote note{text, {sign_note(text, "PeterNeumann", key.value())}};
  EXPECT_EQ(format_note(note),
            text +
                "\n\xe2\x80\x94 PeterNeumann "
                "x08go/ZJkuBS9UG/"
                "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
  const VerifierKey vkey = verifier_key("PeterNeumann", KeyUse::log, key.value().public_key());
  EXPECT_EQ(vkey.text().substr(0, 22), "PeterNeumann+c74f20a3+");
  EXPECT_EQ(check_signature(parse_note(format_note(note)).value(), vkey), SignatureCheck::valid);
}

TEST(Notes, TheC2spExampleVerifierKeyParses) {
  const auto key =
      parse_verifier_key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(key.value().name, "example.com/foo");
  EXPECT_EQ(key.value().use, KeyUse::log);
  EXPECT_FALSE(
      parse_verifier_key("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
  EXPECT_FALSE(
      parse_verifier_key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2"));
  EXPECT_FALSE(
      parse_verifier_key("no spaces+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
  EXPECT_FALSE(parse_verifier_key("example.com/foo"));
}

TEST(Notes, AVerifierIgnoresUnknownKeysAndRefusesABadSignatureOfAKnownOne) {
  const auto log = SigningKey::generate().value();
  const auto other = SigningKey::generate().value();
  const std::string text = "zielwerk/x/1\n3\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  SignedNote note{text, {sign_note(text, "log", log)}};
  const VerifierKey known = verifier_key("log", KeyUse::log, log.public_key());
  const VerifierKey stranger = verifier_key("stranger", KeyUse::log, other.public_key());
  EXPECT_EQ(check_signature(note, known), SignatureCheck::valid);
  EXPECT_EQ(check_signature(note, stranger), SignatureCheck::absent);
  // The same name with another key's id: ignored, not a failure.
  EXPECT_EQ(check_signature(note, verifier_key("log", KeyUse::log, other.public_key())),
            SignatureCheck::absent);
  // A signature line with the known name and id that does not verify: forged.
  SignedNote forged = note;
  forged.text = "zielwerk/x/1\n4\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  EXPECT_EQ(check_signature(forged, known), SignatureCheck::invalid);
  EXPECT_EQ(check_signature(parse_note(format_note(note)).value(), known), SignatureCheck::valid);
}

TEST(Notes, CosignaturesSignTheirTime) {
  const auto party = SigningKey::generate().value();
  const std::string text = "zielwerk/x/1\n3\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  SignedNote note{text, {cosign_note(text, "agentur", party, 1679315147)}};
  const VerifierKey cosigner = verifier_key("agentur", KeyUse::cosigner, party.public_key());
  std::uint64_t seconds = 0;
  EXPECT_EQ(check_signature(note, cosigner, &seconds), SignatureCheck::valid);
  EXPECT_EQ(seconds, 1679315147u);
  ASSERT_EQ(note.signatures[0].bytes.size(), 72u);  // time and signature after the key id
  // The same key as a log key is another key id: it does not count as a cosignature.
  EXPECT_EQ(check_signature(note, verifier_key("agentur", KeyUse::log, party.public_key())),
            SignatureCheck::absent);
  SignedNote later = note;
  later.signatures[0].bytes[7] ^= 0x01;  // another time than the one signed
  EXPECT_EQ(check_signature(later, cosigner), SignatureCheck::invalid);
}

TEST(Notes, MalformedNotesAreRefusedWithAReason) {
  const std::string text = "zielwerk/x/1\n3\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  const std::string line = "\xe2\x80\x94 log AAAAAAAAAAAAAA==\n";
  EXPECT_TRUE(parse_note(text + "\n" + line).ok());
  EXPECT_FALSE(parse_note(text + line).ok());  // no blank line
  EXPECT_FALSE(parse_note(text + "\n").ok());  // no signature
  EXPECT_FALSE(parse_note(text + "\n" + line.substr(0, line.size() - 1)).ok());
  EXPECT_FALSE(parse_note(text + "\n- log AAAAAAAAAAAAAA==\n").ok());  // not an em dash
  EXPECT_FALSE(parse_note("a\tb\n\n" + line).ok());                    // a control character
  EXPECT_FALSE(parse_note("a\xff\n\n" + line).ok());                   // not UTF-8
  std::string many = text + "\n";
  for (int i = 0; i < 101; ++i)
    many += line;
  EXPECT_FALSE(parse_note(many).ok());
}

TEST(Checkpoints, TextAndItsStrictReading) {
  Checkpoint checkpoint{"zielwerk/me-aktiv-2025/abc",
                        8,
                        *hash_from_base64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="),
                        {}};
  const std::string text = checkpoint_text(checkpoint);
  EXPECT_EQ(text, "zielwerk/me-aktiv-2025/abc\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  const auto parsed = parse_checkpoint_text(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().size, 8);
  EXPECT_EQ(parsed.value().root, checkpoint.root);
  EXPECT_TRUE(parse_checkpoint_text(text + "extension line\n").value().extensions.size() == 1);
  for (const char* broken : {"o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
                             "o\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
                             "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n", "o\n8\n",
                             "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
                             "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="}) {
    EXPECT_FALSE(parse_checkpoint_text(broken).ok()) << broken;
  }
}

TEST(Keys, PrivateKeysAreReadFromPemOnlyWhenOnlyTheirOwnerCanReadThem) {
  zielwerk::testing::TempDir dir;
  const auto key = SigningKey::generate().value();
  const auto path = dir.path() / "log.key";
  std::ofstream(path) << key.pem();
  ::chmod(path.c_str(), 0644);
  const auto open = SigningKey::read_pem_file(path);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  const auto read = SigningKey::read_pem_file(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read.value().public_key(), key.public_key());
  std::ofstream(dir.path() / "junk.key") << "-----BEGIN PRIVATE KEY-----\nAAAA\n";
  ::chmod((dir.path() / "junk.key").c_str(), 0600);
  EXPECT_FALSE(SigningKey::read_pem_file(dir.path() / "junk.key").ok());
  EXPECT_FALSE(SigningKey::read_pem_file(dir.path() / "missing.key").ok());
}

}  // namespace
}  // namespace zielwerk::proofs
