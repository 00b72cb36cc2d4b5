// zielwerk import FILE...: observations from CSV files and workbooks, all or nothing.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "diagnostics_output.h"
#include "number_format.h"
#include "progress_bar.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"

namespace zielwerk::cli {
namespace {

struct ImportOptions : DataOptions {
  std::vector<std::string> files;
  std::string encoding;
  std::string sheet;
  std::optional<std::filesystem::path> profile;
};

// Files smaller than this import in a blink; no progress line for them.
constexpr std::uint64_t kProgressMinBytes = 4 * 1024 * 1024;

std::string counts_text(const storage::ImportCounts& counts) {
  auto n = [](std::uint64_t value) {
    return format_quantity(static_cast<double>(value), rules::Unit::count);
  };
  return n(counts.rows_read) + " rows read, " + n(counts.added) + " new, " + n(counts.revised) +
         " revised, " + n(counts.unchanged) + " unchanged";
}

}  // namespace

Action register_import(Command app, const Clock& clock) {
  auto options = std::make_shared<ImportOptions>();
  Command command = app.subcommand("import", "Import monthly figures from CSV files and workbooks");
  command.footer(
      std::string(
          "Import observations from CSV files or XLSX/ODS workbooks (by the file name's "
          "ending). Columns metric, period, value (required) and region, source (optional) "
          "in any order, also by their German names (Kennzahl/Merkmal, Monat/Berichtsmonat, "
          "Wert, Region/Jobcenter, Quelle); or a metric column and one column per month. "
          "',' or ';' as separator (with ';' the decimal mark is ','); UTF-8, UTF-16 with "
          "BOM or Windows-1252 (detected, or --encoding). '*', 'x', '-', '.' and an empty "
          "value are imported as missing with their reason. --profile FILE describes other "
          "layouts (docs/import.md).\n"
          "All files are imported together or not at all: any broken row is reported as "
          "file:line:col (file.xlsx:Sheet!B17) and nothing is stored (exit 3). Importing the "
          "same file again changes nothing; a changed value is stored as a new revision, "
          "earlier revisions stay.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(command, *options, true);
  command.option("--encoding", options->encoding,
                 "encoding of CSV files: auto (default), utf-8, utf-16, windows-1252");
  command.option("--sheet", options->sheet,
                 "the sheet of workbooks to read (default: every sheet)");
  command.option("--profile", options->profile, "import profile (YAML) for other layouts")
      .type_name("FILE");
  command.option("FILE", options->files, "CSV files or workbooks to import").required();
  return [options, clock] {
    std::optional<observations::TextEncoding> encoding;
    if (!options->encoding.empty()) {
      encoding = observations::parse_text_encoding(options->encoding);
      if (!encoding) {
        return report_error(Error::usage("--encoding: unknown encoding " +
                                         quote(options->encoding) + "; known are " +
                                         std::string(observations::kEncodingNames)));
      }
    }
    // A first import builds the database under another name and puts it in
    // place only when it succeeded: a failed one leaves no database behind.
    // When another import put its database there first, this one runs again
    // into that database (an import is all or nothing, so that is safe).
    for (int attempt = 0;; ++attempt) {
      std::filesystem::path staged_for;
      auto opened = open_for_change(*options, engine::OpenMode::create_if_missing,
                                    attempt == 0 ? &staged_for : nullptr);
      if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
      auto& context = std::get<ChangeContext>(opened);

      engine::ImportRequest request;
      request.files = options->files;
      request.actor = context.actor;
      request.now = clock();
      request.encoding = encoding;
      request.sheet = options->sheet;
      if (options->profile) {
        request.profile = *options->profile;
        request.profile_display_name = options->profile->string();
      }
      ProgressBar progress(
          std::cerr, isatty(STDERR_FILENO) != 0, [] { return std::chrono::steady_clock::now(); },
          kProgressMinBytes);
      request.progress = [&progress](const std::string& file, std::uint64_t bytes,
                                     std::uint64_t size, std::uint64_t rows) {
        progress.update({file, bytes, size, rows});
      };
      Diagnostics diagnostics;
      auto result =
          engine::import_observations(context.project, *context.database, request, diagnostics);
      progress.finish();
      if (!result) {
        print_diagnostics(diagnostics, std::cerr);
        if (!staged_for.empty()) {
          (void)publish_staged_database(std::move(context.database), staged_for, false);
        }
        return report_error(result.error());
      }
      if (!staged_for.empty()) {
        const int published =
            publish_staged_database(std::move(context.database), staged_for, true);
        if (published == kDatabaseAppeared) continue;
        if (published != kSuccess) return published;
      }
      for (const auto& file : result.value().files) {
        std::cout << file.file << ": ";
        if (file.imported_before) {
          std::cout << "imported before (import " << file.imported_before->id << " on "
                    << format_timestamp(file.imported_before->imported_at) << ", same SHA-256): ";
        }
        std::cout << counts_text(file.counts) << '\n';
      }
      const auto& files = result.value().files;
      std::cout << "imported " << files.size() << (files.size() == 1 ? " file: " : " files: ")
                << counts_text(result.value().total) << '\n';
      return static_cast<int>(kSuccess);
    }
  };
}

}  // namespace zielwerk::cli
