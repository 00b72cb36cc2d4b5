// zielwerk audit query [--goal ID] [--measure ID] [--review ID] [--object KIND:ID]...
//                      [--actor ID] [--operation OP[,OP...]] [--since T] [--until T]
//                      [--limit N | --all] [--oldest-first] [--format table|json|csv]
// zielwerk audit export [--output FILE [--force]]
// zielwerk audit verify [--against SEQ:HASH|FILE|SIGNED-CHECKPOINT [--trusted KEY...]]
//                       [--format text|json]
// zielwerk audit checkpoint [--sign KEY [--key-name NAME]] [--format text|json]
// (keygen, cosign and prove: command_audit_proofs.cpp)
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "audit_proofs_commands.h"
#include "commands.h"
#include "csv_output.h"
#include "output_file.h"
#include "text_table.h"
#include "workflow_output.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/domain/audit_vocabulary.h"
#include "zielwerk/engine/audit_proofs.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/version.h"

namespace zielwerk::cli {
namespace {

using nlohmann::json;

struct QueryOptions : DataOptions {
  engine::AuditQueryRequest request;  // the filters, checked by the engine
  std::string format;
};

struct ExportOptions : DataOptions {
  std::filesystem::path output;
  bool force = false;
};

struct VerifyOptions : DataOptions {
  std::string against;
  Option against_option;  // given at all: an empty checkpoint is refused
  std::vector<std::string> trusted;
  std::string format;
};

struct CheckpointOptions : DataOptions {
  std::string format;
  std::filesystem::path sign;
  std::string key_name;
};

std::string objects_text(const engine::AuditEntry& entry) {
  std::vector<std::string> parts;
  for (const auto& object : entry.objects)
    parts.push_back(object.kind + " " + object.id);
  return join(parts, ", ");
}

void write_table(const engine::Project& project, const std::vector<storage::AuditRecord>& records,
                 std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"SEQ", "TIME", "ACTOR", "OPERATION", "OBJECTS", "NOTE"}};
  for (const auto& record : records) {
    const engine::AuditEntry entry = engine::audit_entry(record);
    rows.push_back({std::to_string(record.seq), local_time_text(project, record.recorded_at),
                    record.actor, record.operation, objects_text(entry), entry.note});
  }
  cli::write_table(rows, {0}, out);
}

void write_csv_header(std::ostream& out) {
  out << "seq,recorded_at,actor,operation,objects,rule_set_version,file_hash,details,hash\n";
}

void write_csv_row(const storage::AuditRecord& record, std::ostream& out) {
  const engine::AuditEntry entry = engine::audit_entry(record);
  out << record.seq << ',' << format_timestamp(record.recorded_at) << ',' << csv_field(record.actor)
      << ',' << csv_field(record.operation) << ',' << csv_field(objects_text(entry)) << ','
      << record.rule_set_version << ',' << entry.file_hash << ',' << csv_field(entry.details_json)
      << ',' << record.hash << '\n';
}

int run_query(const QueryOptions& options) {
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  const auto query = engine::audit_query(context.project, options.request, "--");
  if (!query) return report_error(query.error());
  storage::Database& database = *context.database;
  if (options.format == "json") {
    const Status written = engine::write_audit_query_json(database, query.value(),
                                                          options.request.oldest_first, std::cout);
    if (!written) return report_error(written.error());
    std::cout << '\n';
    return kSuccess;
  }
  // CSV is written record by record (an --all answer can be large); the table
  // needs every row for its column widths.
  std::vector<storage::AuditRecord> records;
  std::int64_t total = 0;
  const Status read = database.snapshot([&]() -> Status {
    if (options.format == "csv") {
      write_csv_header(std::cout);
      storage::query_audit_records(database, query.value(),
                                   [&](const auto& record) { write_csv_row(record, std::cout); });
    } else {
      total = storage::count_audit_records(database, query.value());
      records = storage::query_audit_records(database, query.value());
    }
    return Ok{};
  });
  if (!read) return report_error(read.error());
  if (options.format != "table") return kSuccess;
  if (records.empty()) {
    std::cout << "no audit record matches\n";
    return kSuccess;
  }
  write_table(context.project, records, std::cout);
  if (total > static_cast<std::int64_t>(records.size())) {
    std::cout << records.size() << " of " << total << " records, "
              << (options.request.oldest_first ? "oldest" : "newest")
              << " first; --limit N or --all for more\n";
  }
  return kSuccess;
}

int run_export(const ExportOptions& options) {
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  if (options.output.empty()) {
    auto exported = engine::write_audit_export(*context.database, std::cout);
    if (!exported) return report_error(exported.error());
    return kSuccess;  // main checks that stdout took it
  }
  // A new file (or with --force a regular one), complete or not at all.
  auto file = OutputFile::create({options.output, options.force, context.database->path()});
  if (!file) return report_error(file.error());
  auto exported = engine::write_audit_export(*context.database, file.value().stream());
  if (!exported) return report_error(exported.error());
  if (const Status committed = file.value().commit(); !committed) {
    return report_error(committed.error());
  }
  const std::int64_t written = exported.value();
  std::cerr << "exported " << written << (written == 1 ? " record" : " records") << " to "
            << escape_controls(options.output.string()) << '\n';
  return kSuccess;
}

// "SEQ:HASH" as `audit checkpoint` prints it, or a file holding that line.
Result<storage::AuditCheckpoint> checkpoint_option(const std::string& text) {
  static const std::regex kCheckpoint("([0-9]+):([0-9a-f]{64})");
  std::string line = text;
  std::error_code ec;
  if (!std::regex_match(line, std::regex("[0-9]+:.*")) && std::filesystem::exists(text, ec)) {
    // A checkpoint file holds one short line: only a regular file is read
    // (a FIFO would block, /dev/zero never end), and only its beginning.
    if (!std::filesystem::is_regular_file(text, ec)) {
      return Error::usage("--against: " + quote(text) +
                          " is not a regular file; give SEQ:HASH or a file holding it");
    }
    constexpr std::size_t kMaxCheckpointBytes = 4096;
    std::ifstream file(text, std::ios::binary);
    line.assign(kMaxCheckpointBytes, '\0');
    file.read(line.data(), static_cast<std::streamsize>(line.size()));
    line.resize(static_cast<std::size_t>(file.gcount()));
    line = line.substr(0, line.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
  }
  std::smatch match;
  if (!std::regex_match(line, match, kCheckpoint) && line == text &&
      text.find_first_of("/.") != std::string::npos && !std::filesystem::exists(text, ec)) {
    return Error::usage("--against: " + quote(text) +
                        ": no such file; give SEQ:HASH or a checkpoint file");
  }
  if (!std::regex_match(line, match, kCheckpoint)) {
    return Error::usage("--against: " + quote(text) +
                        " is not a checkpoint SEQ:HASH as `zielwerk audit checkpoint` prints "
                        "it, nor a file holding one");
  }
  std::int64_t seq = 0;
  const std::string digits = match[1].str();
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return Error::usage("--against: record number " + digits + " is out of range");
  }
  return storage::AuditCheckpoint{seq, match[2].str()};
}

// A signed checkpoint (a C2SP signed note) in `path`, when the file holds one.
std::optional<std::string> signed_checkpoint_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  std::ifstream file(path, std::ios::binary);
  std::string text(1 << 16, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.find("\n\n\u2014 ") == std::string::npos) return std::nullopt;
  return text;
}

// --trusted: a .pub file or the key text itself.
Result<std::vector<proofs::VerifierKey>> trusted_keys(const std::vector<std::string>& given) {
  std::vector<proofs::VerifierKey> keys;
  for (const auto& argument : given) {
    std::string text = argument;
    std::error_code error;
    if (std::filesystem::is_regular_file(argument, error)) {
      std::ifstream file(argument);
      std::getline(file, text);
    }
    while (!text.empty() && (text.back() == '\r' || text.back() == ' '))
      text.pop_back();
    auto key = proofs::parse_verifier_key(text);
    if (!key) return Error::usage("--trusted " + argument + ": " + key.error().message);
    keys.push_back(key.value());
  }
  return keys;
}

int run_verify(const VerifyOptions& options) {
  std::optional<storage::AuditCheckpoint> against;
  std::optional<std::string> signed_note;
  if (options.against_option.given() && options.against.empty()) {
    return report_error(Error::usage(
        "--against: empty; name a checkpoint (SEQ:HASH, a file holding one, or a signed "
        "checkpoint file) or leave the option out"));
  }
  if (!options.against.empty()) {
    signed_note = signed_checkpoint_file(options.against);
    if (!signed_note) {
      auto parsed = checkpoint_option(options.against);
      if (!parsed) return report_error(parsed.error());
      against = parsed.value();
    }
  }
  auto trusted = trusted_keys(options.trusted);
  if (!trusted) return report_error(trusted.error());
  if (signed_note && trusted.value().empty()) {
    return report_error(Error::usage(
        "--against " + options.against +
        " is a signed checkpoint: name the keys whose signatures it needs with --trusted "
        "KEY.pub (a signature nobody is told to require proves nothing)"));
  }
  if (!signed_note && !trusted.value().empty()) {
    return report_error(
        Error::usage("--trusted needs --against with a signed checkpoint to check the keys on"));
  }
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  std::optional<engine::CheckpointSignatures> signatures;
  std::optional<storage::TreeCheckpoint> against_tree;
  if (signed_note) {
    auto checked = engine::check_checkpoint_signatures(context.project, *context.database,
                                                       *signed_note, trusted.value());
    if (!checked) {
      return report_error(
          Error{checked.error().kind, options.against + ": " + checked.error().message});
    }
    signatures = checked.value();
    against_tree =
        storage::TreeCheckpoint{signatures->checkpoint.size, signatures->checkpoint.root};
  }
  storage::AuditVerification result;
  const Status read = context.database->snapshot([&]() -> Status {
    result = storage::verify_audit_trail(*context.database, against, against_tree);
    return Ok{};
  });
  if (!read) return report_error(read.error());
  // A signature missing or forged is a finding like a broken record.
  if (signatures) {
    std::vector<storage::AuditProblem> found;
    for (const auto& problem : signatures->problems)
      found.push_back({0, problem});
    result.problems.insert(result.problems.begin(), found.begin(), found.end());
  }

  const std::string head = std::to_string(result.head.seq) + ":" + result.head.hash;
  if (options.format == "json") {
    json problems = json::array();
    for (const auto& problem : result.problems) {
      problems.push_back(
          {{"seq", problem.seq == 0 ? json() : json(problem.seq)}, {"message", problem.message}});
    }
    std::cout << json{{"verified", result.ok()},
                      {"records", result.records},
                      {"head", {{"seq", result.head.seq}, {"hash", result.head.hash}}},
                      {"against",
                       against      ? json{{"seq", against->seq}, {"hash", against->hash}}
                       : signatures ? json{{"origin", signatures->checkpoint.origin},
                                           {"size", signatures->checkpoint.size},
                                           {"root", proofs::to_base64(signatures->checkpoint.root)},
                                           {"signatures", signatures->signed_by}}
                                    : json()},
                      {"root", proofs::to_base64(result.root)},
                      {"first_broken_record", result.ok() || result.problems[0].seq == 0
                                                  ? json()
                                                  : json(result.problems[0].seq)},
                      {"problems", problems}}
                     .dump(2, ' ', false, json::error_handler_t::replace)
              << '\n';
  } else if (result.ok()) {
    std::cout << "audit trail verified: " << result.records
              << (result.records == 1 ? " record" : " records") << ", head " << head << '\n';
    if (against) {
      std::cout << "it extends the checkpoint " << against->seq << ":" << against->hash << '\n';
    }
    if (signatures) {
      std::cout << "its first " << signatures->checkpoint.size
                << " records are those of the signed checkpoint of "
                << signatures->checkpoint.origin << ":\n";
      for (const auto& line : signatures->signed_by)
        std::cout << "  " << line << '\n';
    }
    std::cout << "Merkle root " << proofs::to_base64(result.root) << '\n';
  } else {
    const auto& first = result.problems.front();
    std::cout << "audit trail NOT verified ("
              << (first.seq != 0 ? "first broken record: " + std::to_string(first.seq)
                                 : std::string("no single record to blame"))
              << ", " << result.problems.size()
              << (result.problems.size() == 1 ? " problem" : " problems") << " in "
              << result.records << " records):\n";
    for (const auto& problem : result.problems)
      std::cout << "  " << problem.message << '\n';
  }
  return result.ok() ? kSuccess : kCheckFailed;
}

int run_checkpoint(const CheckpointOptions& options) {
  if (options.sign.empty() && !options.key_name.empty()) {
    return report_error(Error::usage("--key-name names the key of --sign; give --sign KEY"));
  }
  std::optional<proofs::SigningKey> key;
  std::string key_name = options.key_name;
  if (!options.sign.empty()) {
    if (options.format != "text") {
      return report_error(Error::usage("--sign writes a signed note; --format is text then"));
    }
    auto read_key = proofs::SigningKey::read_pem_file(options.sign);
    if (!read_key) return report_error(read_key.error());
    key.emplace(std::move(read_key).value());
    auto resolved = signing_key_name(options.sign, options.key_name, *key);
    if (!resolved) return report_error(resolved.error());
    key_name = std::move(resolved).value();
  }
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  if (key) {
    auto note = engine::sign_audit_checkpoint(context.project, *context.database, *key, key_name);
    if (!note) return report_error(note.error());
    std::cout << note.value() << std::flush;
    return std::cout ? kSuccess : report_error(Error::io("cannot write to stdout"));
  }
  storage::AuditCheckpoint head;
  std::optional<Timestamp> recorded_at;
  const Status read = context.database->snapshot([&]() -> Status {
    head = storage::audit_head(*context.database);
    const auto last = storage::read_audit_records(*context.database, head.seq - 1, 1);
    if (!last.empty()) recorded_at = last.front().recorded_at;
    return Ok{};
  });
  if (!read) return report_error(read.error());
  if (options.format == "json") {
    std::cout << json{{"agreement", context.project.rules.agreement.id},
                      {"seq", head.seq},
                      {"hash", head.hash},
                      {"recorded_at", optional_time(recorded_at)},
                      {"checkpoint", std::to_string(head.seq) + ":" + head.hash}}
                     .dump(2, ' ', false, json::error_handler_t::replace)
              << '\n';
  } else {
    std::cout << head.seq << ':' << head.hash << '\n';
  }
  return kSuccess;
}

std::string terms_text(const std::vector<domain::AuditTerm>& terms) {
  std::string text;
  for (const auto& term : terms)
    text += "\n  " + pad(term.name, 30) + term.meaning;
  return text;
}

}  // namespace

Action register_audit(Command app, const Clock& clock) {
  Command command = app.subcommand(
      "audit", "The audit trail: query, export, verify, checkpoint, keygen, cosign, prove");
  command.require_subcommand(1);
  command.set_help_flag("-h,--help", "print this help and exit");
  command.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command.footer(std::string("Every change zielwerk makes is one record of a hash-chained, "
                             "append-only trail: who, when (UTC), which operation, which "
                             "objects, under which rule set, and the digest of the rows it "
                             "left. Refused attempts are records too (access.denied). See "
                             "docs/audit.md.") +
                 "\n\n" + kExitCodesHelp);

  auto query_options = std::make_shared<QueryOptions>();
  Command query = command.subcommand("query",
                                     "Find records: by object, actor, "
                                     "operation, time");
  query.footer(
      "Filters combine (all must hold). --since and --until take a date "
      "(YYYY-MM-DD: from the start of that day / up to its end), a local time "
      "(YYYY-MM-DDTHH:MM) or UTC (...Z). Newest first, at most " +
      std::to_string(engine::kAuditQueryDefaultLimit) +
      " unless --limit or --all.\n\nOperations:" + terms_text(domain::audit_operations()) +
      "\n\nObject kinds (--object KIND:ID):" + terms_text(domain::audit_object_kinds()) + "\n\n" +
      kExitCodesHelp);
  add_data_options(query, *query_options, false);
  query.option("--goal", query_options->request.goal, "records about this goal").type_name("ID");
  query.option("--measure", query_options->request.measure, "records about this measure")
      .type_name("ID");
  query
      .option("--review", query_options->request.review,
              "records about this review (workflow/reviewed month)")
      .type_name("ID");
  query
      .option("--object", query_options->request.objects,
              "records about this object, e.g. "
              "import:3 (repeatable)")
      .type_name("KIND:ID");
  query.option("--actor", query_options->request.actor, "records by this actor").type_name("ID");
  query
      .option("--operation", query_options->request.operations,
              "records of these operations (comma-separated; measure.* for a prefix)")
      .type_name("OP")
      .delimiter(',');
  query.option("--since", query_options->request.since, "records from this time on")
      .type_name("TIME");
  query.option("--until", query_options->request.until, "records up to and including this time")
      .type_name("TIME");
  query.option("--limit", query_options->request.limit, "at most this many records")
      .type_name("N")
      .show_default();
  query.flag("--all", query_options->request.all, "every matching record");
  query.flag("--oldest-first", query_options->request.oldest_first, "oldest records first");
  add_format_option(query, query_options->format, {"table", "json", "csv"});

  auto export_options = std::make_shared<ExportOptions>();
  Command exported =
      command.subcommand("export", "Write the whole trail as self-contained JSON Lines");
  exported.footer(std::string("One record per line, oldest first: {\"hash\", \"payload\", "
                              "\"previous_hash\", \"seq\"} with the payload exactly as hashed. "
                              "Each line without its line end is the record's Merkle leaf, so "
                              "anyone can recompute the chain and the tree without zielwerk "
                              "(scripts/verify-export).") +
                  "\n\n" + kExitCodesHelp);
  add_data_options(exported, *export_options, false);
  exported
      .option("--output,-o", export_options->output,
              "new file to write (default: stdout); in place only when complete")
      .type_name("FILE");
  exported.flag("--force", export_options->force,
                "let --output replace an existing file (never a link, a device or a read-only "
                "file)");

  auto verify_options = std::make_shared<VerifyOptions>();
  Command verify =
      command.subcommand("verify", "Recompute the chain and check the tables against the records");
  verify.footer(std::string("Exit 0 with the number of records verified; exit 1 naming the "
                            "first broken record when anything was altered, deleted, inserted "
                            "or reordered, in the trail or in the tables it vouches for, and "
                            "when the schema (tables, indexes, triggers, views) is not the one "
                            "zielwerk's migrations create. "
                            "--against a checkpoint kept elsewhere also proves the trail "
                            "since then extends it (a consistently rewritten chain passes "
                            "otherwise).") +
                "\n\n" + kExitCodesHelp);
  add_data_options(verify, *verify_options, false);
  verify_options->against_option =
      verify
          .option("--against", verify_options->against,
                  "a signed checkpoint file (`audit checkpoint --sign`), or SEQ:HASH from "
                  "`audit checkpoint` or a file holding it")
          .type_name("CHECKPOINT");
  verify
      .option("--trusted", verify_options->trusted,
              "public keys (KEY.pub or the key text) that must have signed or cosigned the "
              "checkpoint (repeatable)")
      .type_name("KEY")
      .allow_extra_args(true);
  add_format_option(verify, verify_options->format, {"text", "json"});

  auto checkpoint_options = std::make_shared<CheckpointOptions>();
  Command checkpoint = command.subcommand(
      "checkpoint", "Print the head of the trail (SEQ:HASH), or sign its Merkle tree (--sign)");
  checkpoint.footer(std::string("Without --sign: the line SEQ:HASH to store outside the "
                                "database; `audit verify --against SEQ:HASH` later proves the "
                                "trail still starts with exactly those records. With --sign "
                                "KEY: a C2SP signed checkpoint (origin, size, Merkle root) "
                                "signed with the log's key, written after the records it covers "
                                "are on disk; the parties cosign it (`audit cosign`), and "
                                "anyone checks it (`audit verify --against FILE --trusted "
                                "KEY.pub`, scripts/verify-export).") +
                    "\n\n" + kExitCodesHelp);
  add_data_options(checkpoint, *checkpoint_options, false);
  add_format_option(checkpoint, checkpoint_options->format, {"text", "json"});
  checkpoint.option("--sign", checkpoint_options->sign, "the log's private key (`audit keygen`)")
      .type_name("KEY");
  checkpoint
      .option("--key-name", checkpoint_options->key_name,
              "the name to sign as (default: the name in the .pub beside the key, else the key "
              "file's name without .key)")
      .type_name("NAME");

  const AuditProofActions proof_actions = register_audit_proofs(command, clock);

  return [=]() -> int {
    if (query.parsed()) return run_query(*query_options);
    if (exported.parsed()) return run_export(*export_options);
    if (verify.parsed()) return run_verify(*verify_options);
    if (checkpoint.parsed()) return run_checkpoint(*checkpoint_options);
    if (const auto code = proof_actions.run()) return *code;
    return kUsage;
  };
}

}  // namespace zielwerk::cli
