// The `audit` subcommands of proofs (command_audit_proofs.cpp): keygen,
// cosign, prove. Registered by register_audit on its `audit` command.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "commands.h"
#include "zielwerk/common/error.h"
#include "zielwerk/proofs/keys.h"

namespace zielwerk::cli {

struct AuditProofActions {
  // The exit code of the proof subcommand that was chosen; nullopt for another.
  std::function<std::optional<int>()> run;
};

AuditProofActions register_audit_proofs(Command audit, const Clock& clock);

// The name a signature by the private key in `key_file` carries: `explicit_name`
// (--key-name) when given; else the name of its public key, the file `audit
// keygen` wrote next to it (KEY.pub), which must be `key`'s public half; else
// the key file's name without its extension. So a key made with
// `keygen --name N --output any/path.key` signs as N, which is what its .pub
// tells the auditors. usage error for an invalid name, invalid_input for a
// .pub that belongs to another key.
Result<std::string> signing_key_name(const std::filesystem::path& key_file,
                                     const std::string& explicit_name,
                                     const proofs::SigningKey& key);

}  // namespace zielwerk::cli
