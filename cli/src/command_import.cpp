// zielwerk import FILE...: observations from CSV files, all or nothing.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "diagnostics_output.h"
#include "number_format.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"

namespace zielwerk::cli {
namespace {

struct ImportOptions : DataOptions {
  std::vector<std::string> files;
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
  Command command = app.subcommand("import", "Import monthly figures from CSV files");
  command.footer(
      std::string(
          "Import observations from CSV files: a header row with the columns metric, period, "
          "value (required) and region, source (optional) in any order; ',' or ';' as "
          "separator (with ';' the decimal mark is ','); UTF-8 with or without BOM.\n"
          "All files are imported together or not at all: any broken row is reported as "
          "file:line:col and nothing is stored (exit 3). Importing the same file again changes "
          "nothing; a changed value is stored as a new revision, earlier revisions stay.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(command, *options, true);
  command.option("FILE", options->files, "CSV files to import").required();
  return [options, clock] {
    auto opened = open_for_change(*options, engine::OpenMode::create_if_missing);
    if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
    auto& context = std::get<ChangeContext>(opened);

    engine::ImportRequest request;
    request.files = options->files;
    request.actor = context.actor;
    request.now = clock();
    bool progress_shown = false;
    if (isatty(STDERR_FILENO) != 0) {
      request.progress = [&progress_shown](const std::string& file, std::uint64_t bytes,
                                           std::uint64_t size, std::uint64_t rows) {
        if (size < kProgressMinBytes) return;
        const int percent = static_cast<int>(100 * bytes / size);
        std::fprintf(stderr, "\r\033[Kimporting %s: %3d %% (%s rows)",
                     escape_controls(file).c_str(), percent,
                     format_quantity(static_cast<double>(rows), rules::Unit::count).c_str());
        progress_shown = true;
      };
    }
    Diagnostics diagnostics;
    auto result =
        engine::import_observations(context.project, *context.database, request, diagnostics);
    if (progress_shown) std::fprintf(stderr, "\r\033[K");
    if (!result) {
      print_diagnostics(diagnostics, std::cerr);
      return report_error(result.error());
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
  };
}

}  // namespace zielwerk::cli
