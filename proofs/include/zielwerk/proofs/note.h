// Signed checkpoints of the audit trail in the formats of the transparency
// log ecosystem (C2SP), so that tools written for Certificate Transparency
// and the Go checksum database can check them:
//
//  - signed-note: a UTF-8 text ending in "\n", a blank line, then one line
//    per signature "— <key name> <base64(key id ‖ signature)>";
//  - tlog-checkpoint: the text is "<origin>\n<size>\n<base64 root>\n",
//    optionally followed by extension lines;
//  - tlog-cosignature v1: a party's signature over "cosignature/v1\ntime
//    <seconds>\n" + the checkpoint text, the line's bytes being key id ‖
//    8-byte big-endian time ‖ signature.
//
// zielwerk's origin is "zielwerk/<agreement>/<instance>": the agreement and
// the random identity of the database, so a checkpoint of one trail is never
// taken for another's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/proofs/keys.h"
#include "zielwerk/proofs/merkle.h"

namespace zielwerk::proofs {

struct Checkpoint {
  std::string origin;
  std::int64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // further lines of the text, as written
};

// "<origin>\n<size>\n<root>\n" plus the extension lines.
std::string checkpoint_text(const Checkpoint& checkpoint);
// The text of a checkpoint, strictly: a size in decimal without leading
// zeros, a canonical base64 root, lines ending in "\n". invalid_input naming
// the line otherwise.
Result<Checkpoint> parse_checkpoint_text(std::string_view text);

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string bytes;  // what follows the key id: a signature (log) or time ‖ signature (cosigner)
};

struct SignedNote {
  std::string text;  // ends in "\n"
  std::vector<NoteSignature> signatures;
};

// The note as its text, a blank line and its signature lines.
std::string format_note(const SignedNote& note);
// A note as signed-note specifies it; at most 100 signatures. invalid_input
// naming what is wrong (a control character, no signature, a malformed line).
Result<SignedNote> parse_note(std::string_view text);

// The log's signature line of `text` with `key` (KeyUse::log).
NoteSignature sign_note(std::string_view text, const std::string& key_name, const SigningKey& key);
// A party's cosignature of a checkpoint text at `seconds` since the epoch.
NoteSignature cosign_note(std::string_view text, const std::string& key_name, const SigningKey& key,
                          std::uint64_t seconds);

enum class SignatureCheck {
  valid,    // the key signed this text
  invalid,  // a signature line names the key but does not verify: the note is forged
  absent,   // no line names the key
};

// How `note` stands with one verifier key. A cosignature's time goes to `*seconds`.
SignatureCheck check_signature(const SignedNote& note, const VerifierKey& key,
                               std::uint64_t* seconds = nullptr);

}  // namespace zielwerk::proofs
