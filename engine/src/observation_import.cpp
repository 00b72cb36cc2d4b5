#include "zielwerk/engine/observation_import.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "change_gate.h"
#include "review_access.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/domain/audit_vocabulary.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/observations/import_profile.h"
#include "zielwerk/observations/observation_reader.h"
#include "zielwerk/observations/workbook_reader.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::engine {
namespace {

constexpr std::uint64_t kProgressEveryRows = 50'000;

std::string format_value(double value, std::string_view missing = {}) {
  if (!missing.empty()) return "missing (" + std::string(missing) + ")";
  std::ostringstream out;
  out << value;
  return out.str();
}

// Reads a whole (workbook) file, refusing one larger than the limit before reading it.
std::optional<std::string> read_bytes(const std::string& file, std::uint64_t size) {
  std::ifstream input(file, std::ios::binary);
  if (!input) return std::nullopt;
  std::string bytes(static_cast<std::size_t>(size), '\0');
  input.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(input.gcount()));
  return bytes;
}

// Reads one file to its end, writing its rows while it has no error. Returns
// the file's result; problems go to `diagnostics`.
FileImportResult import_file(const Project& project, storage::Database& database,
                             const ImportRequest& request,
                             const observations::ImportProfile* profile, const std::string& file,
                             Diagnostics& diagnostics) {
  FileImportResult result;
  result.file = file;
  const auto hash = sha256_file(file);
  std::ifstream input(file, std::ios::binary);
  if (!hash || !input) {
    diagnostics.error({file, 0, 0}, "cannot open the file for reading");
    return result;
  }
  result.file_hash = *hash;
  if (auto earlier = storage::find_import_by_hash(database, *hash)) {
    result.counts.rows_read = result.counts.unchanged = earlier->counts.rows_read;
    result.imported_before = std::move(earlier);
    return result;
  }
  std::error_code size_error;
  const auto file_size = std::filesystem::file_size(file, size_error);

  Diagnostics file_diagnostics;
  observations::ReadOptions options;
  options.profile = profile;
  if (request.encoding) {
    options.encoding = *request.encoding;
  } else if (profile != nullptr && profile->encoding) {
    options.encoding = *profile->encoding;
  }
  std::unique_ptr<observations::ObservationReader> opened;
  if (const auto kind = observations::workbook_kind(file)) {
    const std::uint64_t size = size_error ? 0 : file_size;
    if (size > observations::kMaxWorkbookBytes) {
      diagnostics.error({file, 0, 0}, "the workbook is larger than " +
                                          std::to_string(observations::kMaxWorkbookBytes >> 20) +
                                          " MiB");
      return result;
    }
    auto bytes = read_bytes(file, size);
    if (!bytes) {
      diagnostics.error({file, 0, 0}, "cannot open the file for reading");
      return result;
    }
    const std::string sheet =
        !request.sheet.empty() ? request.sheet : (profile != nullptr ? profile->sheet : "");
    auto source = observations::read_workbook(*bytes, *kind, file, sheet, diagnostics);
    if (!source) return result;
    opened = std::make_unique<observations::ObservationReader>(std::move(source), file,
                                                               project.rules, options);
  } else {
    opened = std::make_unique<observations::ObservationReader>(input, file, project.rules, options);
  }
  observations::ObservationReader& reader = *opened;
  if (!reader.read_header(file_diagnostics)) {
    diagnostics.append(file_diagnostics);
    return result;
  }
  // The hash is known only at the end; the import record gets it then.
  storage::ObservationWriter writer(database, {file, "", request.now, request.actor});
  // A conflict is always the file's first error: after any error nothing is
  // written. The writer stores rows in batches, so it finds a conflict some
  // rows later; its message goes before those of the rows read since.
  bool conflict_reported = false;
  const bool workbook = reader.separator() == 0;
  const auto report_conflict = [&] {
    const auto& conflict = writer.conflict();
    if (!conflict || conflict_reported) return;
    conflict_reported = true;
    // A workbook's rows are no lines of the file: the message names the row.
    const SourceLocation where = workbook
                                     ? SourceLocation{file, 0, 0}
                                     : SourceLocation{file, static_cast<int>(conflict->line), 0};
    file_diagnostics.error(
        where, (workbook ? "row " + std::to_string(conflict->line) + ": " : std::string()) +
                   conflict->metric + " " + conflict->period.to_string() +
                   (conflict->region.empty() ? "" : " region " + conflict->region) + ": value " +
                   format_value(conflict->value, conflict->missing) + " disagrees with " +
                   (workbook ? "row " : "line ") + std::to_string(conflict->earlier.line) +
                   " of this file (" +
                   format_value(conflict->earlier.value, conflict->earlier.missing) + ")");
  };
  for (;;) {
    Diagnostics row_diagnostics;
    const auto row = reader.next(row_diagnostics);
    if (!row || row_diagnostics.has_errors()) {
      writer.flush();
      report_conflict();
    }
    file_diagnostics.append(row_diagnostics);
    if (!row) break;
    if (file_diagnostics.error_count() >= kMaxErrorsPerFile) break;
    if (request.progress && reader.rows_read() % kProgressEveryRows == 0) {
      request.progress(file, reader.bytes_read(), size_error ? 0 : file_size, reader.rows_read());
    }
    // After the first error nothing will be stored; reading on finds the other errors.
    if (file_diagnostics.has_errors()) continue;
    writer.add(row->metric, row->region, row->period, row->value, row->source, row->line,
               row->missing);
    if (writer.conflict()) report_conflict();
  }
  writer.flush();
  report_conflict();
  const auto& written = writer.counts();
  result.counts.added = written.added;
  result.counts.revised = written.revised;
  result.counts.unchanged = written.unchanged;
  if (file_diagnostics.error_count() >= kMaxErrorsPerFile) {
    file_diagnostics.error({file, 0, 0}, "too many errors; stopped reading this file");
  }
  result.counts.rows_read = reader.rows_read();
  if (reader.content_hash() != result.file_hash) {
    file_diagnostics.error({file, 0, 0},
                           "the file changed while it was being imported; import it again");
  }
  if (request.progress) {
    request.progress(file, reader.bytes_read(), size_error ? 0 : file_size, reader.rows_read());
  }
  if (!file_diagnostics.has_errors()) {
    writer.set_file_hash(result.file_hash);
    result.import_id = writer.finish(result.counts);
  }
  diagnostics.append(file_diagnostics);
  return result;
}

void record_import(storage::Database& database, const Project& project,
                   const ImportRequest& request, const FileImportResult& file) {
  const nlohmann::json details = {
      {"file", file.file},
      {"rows_read", file.counts.rows_read},
      {"added", file.counts.added},
      {"revised", file.counts.revised},
      {"unchanged", file.counts.unchanged},
  };
  storage::AuditEvent event =
      audit_event(project, request.actor, request.now, domain::AuditOperation::observations_import,
                  {{"import", std::to_string(*file.import_id)}}, details);
  event.file_hash = file.file_hash;
  storage::append_audit_record(database, event);
}

}  // namespace

Result<ImportResult> import_observations(const Project& project, storage::Database& database,
                                         const ImportRequest& request, Diagnostics& diagnostics) {
  if (const Status allowed =
          authorize(project, database, request.actor, request.now, Action::import_figures, {});
      !allowed) {
    return allowed.error();
  }
  ImportResult result;
  const Status written = database.write([&]() -> Status {
    result = {};
    if (const Status begun = begin_change(project, database, request.actor, request.now); !begun) {
      return begun;
    }
    std::optional<observations::ImportProfile> profile;
    if (request.profile) {
      profile = observations::load_import_profile(*request.profile,
                                                  request.profile_display_name.empty()
                                                      ? request.profile->string()
                                                      : request.profile_display_name,
                                                  project.rules, diagnostics);
      if (!profile) {
        return Error::invalid_input("the import profile is not valid; nothing was imported");
      }
    }
    for (const auto& file : request.files) {
      result.files.push_back(import_file(project, database, request, profile ? &*profile : nullptr,
                                         file, diagnostics));
    }
    if (diagnostics.has_errors()) {
      return Error::invalid_input(std::to_string(diagnostics.error_count()) +
                                  (diagnostics.error_count() == 1 ? " error" : " errors") +
                                  "; nothing was imported");
    }
    bool changed = false;
    for (const auto& file : result.files) {
      if (!file.import_id) continue;
      record_import(database, project, request, file);
      changed = true;
    }
    if (changed) claim_database(database, project);
    return Ok{};
  });
  if (!written) return written.error();
  for (const auto& file : result.files) {
    result.total.rows_read += file.counts.rows_read;
    result.total.added += file.counts.added;
    result.total.revised += file.counts.revised;
    result.total.unchanged += file.counts.unchanged;
  }
  return result;
}

}  // namespace zielwerk::engine
