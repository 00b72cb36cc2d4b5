#include "zielwerk/proofs/note.h"

#include <charconv>

#include "base64.h"

namespace zielwerk::proofs {
namespace {

constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";  // "— " (U+2014, space)
constexpr std::size_t kMaxSignatures = 100;

std::string big_endian(std::uint64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i)
    out += static_cast<char>(value >> (8 * i) & 0xff);
  return out;
}

std::uint64_t read_big_endian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (const char c : bytes)
    value = value << 8 | static_cast<unsigned char>(c);
  return value;
}

std::string cosigned_message(std::string_view text, std::uint64_t seconds) {
  return "cosignature/v1\ntime " + std::to_string(seconds) + "\n" + std::string(text);
}

// UTF-8 without control characters other than newline.
bool is_note_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if ((byte < 0x20 && byte != '\n') || byte == 0x7f) return false;
      ++i;
      continue;
    }
    const int length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
    if (length == 0 || byte > 0xf4 || i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if ((byte == 0xe0 && second < 0xa0) || (byte == 0xed && second > 0x9f) ||
        (byte == 0xf0 && second < 0x90) || (byte == 0xf4 && second > 0x8f)) {
      return false;  // overlong, surrogate or beyond U+10FFFF
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace

std::string checkpoint_text(const Checkpoint& checkpoint) {
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     to_base64(checkpoint.root) + "\n";
  for (const auto& line : checkpoint.extensions)
    text += line + "\n";
  return text;
}

Result<Checkpoint> parse_checkpoint_text(std::string_view text) {
  const auto invalid = [](const std::string& why) {
    return Error::invalid_input("not a checkpoint: " + why);
  };
  if (text.empty() || text.back() != '\n') return invalid("its text must end with a line end");
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() < 3) return invalid("it needs an origin, a size and a root line");
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) return invalid("line 1: the origin is empty");
  const std::string_view size = lines[1];
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), value);
  if (size.empty() || error != std::errc{} || end != size.data() + size.size() || value < 0 ||
      (size.size() > 1 && size[0] == '0')) {
    return invalid("line 2: '" + std::string(size.substr(0, 24)) +
                   "' is not a tree size (decimal, no leading zeros)");
  }
  checkpoint.size = value;
  const auto root = hash_from_base64(lines[2]);
  if (!root) return invalid("line 3: the root is not the base64 of a SHA-256 hash");
  checkpoint.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return invalid("line " + std::to_string(i + 1) + " is empty");
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

std::string format_note(const SignedNote& note) {
  std::string out = note.text + "\n";
  for (const auto& signature : note.signatures) {
    out += std::string(kSignaturePrefix) + signature.name + " " +
           base64_encode(big_endian(signature.key_id, 4) + signature.bytes) + "\n";
  }
  return out;
}

Result<SignedNote> parse_note(std::string_view text) {
  const auto invalid = [](const std::string& why) {
    return Error::invalid_input("not a signed note: " + why);
  };
  if (!is_note_text(text)) return invalid("it has bytes that are not UTF-8 or control characters");
  const auto split = text.rfind("\n\n");
  if (split == std::string_view::npos) return invalid("no blank line before the signatures");
  SignedNote note;
  note.text = std::string(text.substr(0, split + 1));
  std::string_view signatures = text.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return invalid("no signature, or the last signature line has no line end");
  }
  while (!signatures.empty()) {
    const auto end = signatures.find('\n');
    std::string_view line = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    if (!line.starts_with(kSignaturePrefix)) {
      return invalid("a signature line must start with \"— \"");
    }
    line.remove_prefix(kSignaturePrefix.size());
    const auto space = line.find(' ');
    const std::string name(line.substr(0, space));
    const auto decoded =
        space == std::string_view::npos ? std::nullopt : base64_decode(line.substr(space + 1));
    if (!is_valid_key_name(name) || !decoded || decoded->size() < 5) {
      return invalid("a malformed signature line for '" + name.substr(0, 40) + "'");
    }
    if (note.signatures.size() == kMaxSignatures) return invalid("more than 100 signatures");
    note.signatures.push_back(
        {name, static_cast<std::uint32_t>(read_big_endian(std::string_view(*decoded).substr(0, 4))),
         decoded->substr(4)});
  }
  return note;
}

NoteSignature sign_note(std::string_view text, const std::string& key_name, const SigningKey& key) {
  const VerifierKey verifier = verifier_key(key_name, KeyUse::log, key.public_key());
  return {key_name, verifier.key_id, key.sign(text)};
}

NoteSignature cosign_note(std::string_view text, const std::string& key_name, const SigningKey& key,
                          std::uint64_t seconds) {
  const VerifierKey verifier = verifier_key(key_name, KeyUse::cosigner, key.public_key());
  return {key_name, verifier.key_id,
          big_endian(seconds, 8) + key.sign(cosigned_message(text, seconds))};
}

SignatureCheck check_signature(const SignedNote& note, const VerifierKey& key,
                               std::uint64_t* seconds) {
  bool named = false;
  for (const auto& signature : note.signatures) {
    // A line counts for a key only when both its name and id match.
    if (signature.name != key.name || signature.key_id != key.key_id) continue;
    named = true;
    if (key.use == KeyUse::log) {
      if (verify_signature(key.key, note.text, signature.bytes)) return SignatureCheck::valid;
      continue;
    }
    if (signature.bytes.size() != 8 + 64) continue;
    const std::uint64_t time = read_big_endian(std::string_view(signature.bytes).substr(0, 8));
    if (verify_signature(key.key, cosigned_message(note.text, time),
                         std::string_view(signature.bytes).substr(8))) {
      if (seconds != nullptr) *seconds = time;
      return SignatureCheck::valid;
    }
  }
  return named ? SignatureCheck::invalid : SignatureCheck::absent;
}

}  // namespace zielwerk::proofs
