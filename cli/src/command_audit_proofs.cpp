// zielwerk audit keygen --name NAME [--cosigner] [--output FILE]
// zielwerk audit checkpoint --sign KEY [--key-name NAME]      (signed; command_audit.cpp)
// zielwerk audit cosign CHECKPOINT --key KEY [--key-name NAME] [--output FILE]
// zielwerk audit prove --record N [--size N] | --from N [--size N]
//
// What lets the other parties check the trail themselves (docs/audit.md,
// "Proofs"): their keys, the log's signed checkpoints, their cosignatures
// and the proofs, all in the formats of engine/audit_proofs.h.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "audit_proofs_commands.h"
#include "zielwerk/engine/audit_proofs.h"

namespace zielwerk::cli {
namespace {

struct KeygenOptions {
  std::string name;
  bool cosigner = false;
  std::filesystem::path output;
};

struct CosignOptions : DataOptions {
  std::filesystem::path checkpoint;
  std::filesystem::path key;
  std::string key_name;
  std::filesystem::path output;
};

struct ProveOptions : DataOptions {
  long record = 0;
  Option record_option;
  long from = 0;
  Option from_option;
  long size = 0;
  Option size_option;
};

// Creates `path` with `content`, readable by its owner only when `secret`;
// never replaces a file that exists (a key overwritten is lost for good).
Status write_new_file(const std::filesystem::path& path, const std::string& content, bool secret) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, secret ? 0600 : 0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Error::usage(path.string() + ": exists already; zielwerk does not replace it");
    }
    return Error::io(path.string() + ": cannot create the file: " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return Error::io(path.string() + ": cannot write the file: " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(path.c_str());
    return Error::io(path.string() + ": cannot write the file: " + reason);
  }
  return Ok{};
}

// Writes `text` to stdout, or to a new `output` file.
int emit(const std::string& text, const std::filesystem::path& output) {
  if (output.empty()) {
    std::cout << text << std::flush;
    if (!std::cout) return report_error(Error::io("cannot write to stdout"));
    return kSuccess;
  }
  if (const Status written = write_new_file(output, text, false); !written) {
    return report_error(written.error());
  }
  std::cerr << "wrote " << output.string() << '\n';
  return kSuccess;
}

// The public key file `audit keygen` writes next to the private key `key_file`.
std::filesystem::path public_key_file(const std::filesystem::path& key_file) {
  std::filesystem::path public_file = key_file;
  public_file.replace_extension(".pub");
  if (public_file == key_file) public_file += ".pub";
  return public_file;
}

int run_keygen(const KeygenOptions& options) {
  if (!proofs::is_valid_key_name(options.name)) {
    return report_error(Error::usage("--name '" + options.name +
                                     "': a key name has no spaces and no '+', e.g. "
                                     "jobcenter-me-aktiv or agentur-mettmann"));
  }
  const std::filesystem::path key_file =
      options.output.empty() ? std::filesystem::path(options.name + ".key") : options.output;
  const std::filesystem::path public_file = public_key_file(key_file);
  auto key = proofs::SigningKey::generate();
  if (!key) return report_error(key.error());
  const auto verifier = proofs::verifier_key(
      options.name, options.cosigner ? proofs::KeyUse::cosigner : proofs::KeyUse::log,
      key.value().public_key());
  if (std::filesystem::exists(public_file)) {
    return report_error(
        Error::usage(public_file.string() + ": exists already; zielwerk does not replace it"));
  }
  if (const Status written = write_new_file(key_file, key.value().pem(), true); !written) {
    return report_error(written.error());
  }
  if (const Status written = write_new_file(public_file, verifier.text() + "\n", false); !written) {
    std::filesystem::remove(key_file);
    return report_error(written.error());
  }
  std::cout << verifier.text() << '\n' << std::flush;
  std::cerr << "wrote the private key " << key_file.string()
            << " (keep it; readable by you only) and the public key " << public_file.string()
            << " (give it to whoever checks "
            << (options.cosigner ? "your cosignatures" : "the checkpoints") << ")\n";
  return std::cout ? kSuccess : report_error(Error::io("cannot write to stdout"));
}

Result<std::string> read_text_file(const std::filesystem::path& path, const char* what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error::invalid_input(path.string() + ": cannot read the " + what);
  std::ostringstream text;
  text << file.rdbuf();
  if (text.str().size() > 1 << 20) {
    return Error::invalid_input(path.string() + ": too large for a " + what);
  }
  return text.str();
}

int run_cosign(const CosignOptions& options, const Clock& clock) {
  auto note = read_text_file(options.checkpoint, "checkpoint");
  if (!note) return report_error(note.error());
  auto key = proofs::SigningKey::read_pem_file(options.key);
  if (!key) return report_error(key.error());
  const auto key_name = signing_key_name(options.key, options.key_name, key.value());
  if (!key_name) return report_error(key_name.error());
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  auto cosigned = engine::cosign_audit_checkpoint(context.project, *context.database, note.value(),
                                                  key.value(), key_name.value(), clock());
  if (!cosigned) {
    return report_error(Error{cosigned.error().kind,
                              options.checkpoint.string() + ": " + cosigned.error().message});
  }
  return emit(cosigned.value(), options.output);
}

int run_prove(const ProveOptions& options) {
  if (options.record_option.given() == options.from_option.given()) {
    return report_error(Error::usage(
        "give --record N (that record is in the tree) or --from N (the tree of N records is "
        "the start of this one), one of them"));
  }
  std::optional<std::int64_t> size;
  if (options.size_option.given()) size = options.size;
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  auto proof =
      options.record_option.given()
          ? engine::inclusion_proof_text(context.project, *context.database, options.record, size)
          : engine::consistency_proof_text(context.project, *context.database, options.from, size);
  if (!proof) return report_error(proof.error());
  return emit(proof.value(), {});
}

}  // namespace

Result<std::string> signing_key_name(const std::filesystem::path& key_file,
                                     const std::string& explicit_name,
                                     const proofs::SigningKey& key) {
  std::string name = explicit_name;
  if (name.empty()) {
    const std::filesystem::path public_file = public_key_file(key_file);
    std::error_code error;
    if (std::filesystem::is_regular_file(public_file, error)) {
      auto text = read_text_file(public_file, "public key");
      if (!text) return text.error();
      std::string line = text.value();
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
      auto verifier = proofs::parse_verifier_key(line);
      if (!verifier) {
        return Error::invalid_input(public_file.string() + ": " + verifier.error().message);
      }
      if (verifier.value().key != key.public_key()) {
        return Error::invalid_input(public_file.string() + " is not the public key of " +
                                    key_file.string() +
                                    "; give the name to sign with by --key-name");
      }
      return verifier.value().name;
    }
    name = key_file.stem().string();
  }
  if (!proofs::is_valid_key_name(name)) {
    return Error::usage("--key-name '" + name + "' is no key name (no spaces, no '+')");
  }
  return name;
}

AuditProofActions register_audit_proofs(Command audit, const Clock& clock) {
  auto keygen_options = std::make_shared<KeygenOptions>();
  Command keygen = audit.subcommand("keygen", "Make an Ed25519 key pair to sign or cosign with");
  keygen.footer(std::string("Writes the private key (PEM PKCS#8, mode 0600) to --output "
                            "(default NAME.key) and the public key beside it (the same file name "
                            "ending in .pub: name+keyid+base64, what `audit verify --trusted` and "
                            "scripts/verify-export take), and prints the public key. The log's "
                            "key signs checkpoints; a party's key (--cosigner) cosigns them.") +
                "\n\n" + kExitCodesHelp);
  keygen.option("--name", keygen_options->name, "the key's name, e.g. jobcenter-me-aktiv")
      .type_name("NAME")
      .required();
  keygen.flag("--cosigner", keygen_options->cosigner,
              "a party's key for cosignatures (default: the log's key for checkpoints)");
  keygen.option("--output,-o", keygen_options->output, "the private key file (default NAME.key)")
      .type_name("FILE");

  auto cosign_options = std::make_shared<CosignOptions>();
  Command cosign =
      audit.subcommand("cosign", "Add your cosignature to a signed checkpoint of this trail");
  cosign.footer(std::string("Checks first that the checkpoint is of this trail and that its "
                            "root is the root of the trail's first SIZE records, then adds a "
                            "C2SP tlog-cosignature line with the time. Prints the cosigned "
                            "checkpoint (or writes --output).") +
                "\n\n" + kExitCodesHelp);
  add_data_options(cosign, *cosign_options, false);
  cosign.option("checkpoint", cosign_options->checkpoint, "the signed checkpoint file")
      .type_name("CHECKPOINT")
      .required();
  cosign.option("--key", cosign_options->key, "your private key (from `audit keygen --cosigner`)")
      .type_name("KEY")
      .required();
  cosign
      .option("--key-name", cosign_options->key_name,
              "the name to cosign as (default: the name in the .pub beside the key, else the key "
              "file's name without .key)")
      .type_name("NAME");
  cosign.option("--output,-o", cosign_options->output, "a new file to write (default: stdout)")
      .type_name("FILE");

  auto prove_options = std::make_shared<ProveOptions>();
  Command prove = audit.subcommand("prove", "Print an inclusion or a consistency proof");
  prove.footer(std::string("--record N: the proof that record N is in the tree (RFC 9162 "
                           "inclusion proof). --from N: the proof that the tree of the first N "
                           "records is the start of the tree now (consistency proof), e.g. "
                           "from a signed checkpoint's size. --size: of the tree of the first "
                           "SIZE records instead of all. The text form is in docs/audit.md.") +
               "\n\n" + kExitCodesHelp);
  add_data_options(prove, *prove_options, false);
  prove_options->record_option =
      prove.option("--record", prove_options->record, "the record's seq").type_name("N");
  prove_options->from_option =
      prove.option("--from", prove_options->from, "the older tree's size").type_name("N");
  prove_options->size_option =
      prove.option("--size", prove_options->size, "the tree's size (default: every record)")
          .type_name("N");

  return AuditProofActions{
      [=]() -> std::optional<int> {
        if (keygen.parsed()) return run_keygen(*keygen_options);
        if (cosign.parsed()) return run_cosign(*cosign_options, clock);
        if (prove.parsed()) return run_prove(*prove_options);
        return std::nullopt;
      },
  };
}

}  // namespace zielwerk::cli
