// The `audit` subcommands of proofs (command_audit_proofs.cpp): keygen,
// cosign, prove. Registered by register_audit on its `audit` command.
#pragma once

#include <functional>
#include <optional>

#include "commands.h"

namespace zielwerk::cli {

struct AuditProofActions {
  // The exit code of the proof subcommand that was chosen; nullopt for another.
  std::function<std::optional<int>()> run;
};

AuditProofActions register_audit_proofs(Command audit, const Clock& clock);

}  // namespace zielwerk::cli
