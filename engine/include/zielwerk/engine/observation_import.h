// `zielwerk import`: observation files into the database, all or nothing.
//
// Every file is read to its end, so one run reports every broken row of every
// file. Only when no file has an error are the rows stored, all files in one
// transaction, each file with its own import record and audit record (with
// the file's SHA-256 and the rule-set version). A file whose rows are all
// stored already changes nothing and leaves no record. A file imported before
// (the same SHA-256) is skipped as a whole, so importing an old delivery again
// never reverts a later correction.
//
// A file is read as a workbook when its name ends in .xlsx/.xlsm or .ods,
// as CSV otherwise (observations/observation_reader.h has the layouts).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/observation_store.h"

namespace zielwerk::engine {

// Errors reported per file before it is given up as hopeless.
inline constexpr std::size_t kMaxErrorsPerFile = 100;

// Called every few thousand rows while a file is read.
using ImportProgress = std::function<void(const std::string& file, std::uint64_t bytes_read,
                                          std::uint64_t file_size, std::uint64_t rows_read)>;

struct ImportRequest {
  std::vector<std::string> files;  // paths as the user gave them (also how messages name them)
  std::string actor;               // a known actor id
  Timestamp now{};
  ImportProgress progress;  // optional
  // How to read the files: an import profile (observations/import_profile.h),
  // the sheet of workbooks (overrides the profile's), the encoding of CSV
  // files (overrides the profile's; automatic: detected).
  std::optional<std::filesystem::path> profile;
  std::string profile_display_name;  // how messages name the profile
  std::string sheet;
  std::optional<observations::TextEncoding> encoding;
};

struct FileImportResult {
  std::string file;
  std::string file_hash;
  storage::ImportCounts counts;
  std::optional<std::int64_t> import_id;                 // none when the file changed nothing
  std::optional<storage::ImportRecord> imported_before;  // the same file, skipped
};

struct ImportResult {
  std::vector<FileImportResult> files;
  storage::ImportCounts total;
};

// Invalid files: ErrorKind::invalid_input with every problem in `diagnostics`
// and nothing stored. A failing database: ErrorKind::storage, nothing stored.
Result<ImportResult> import_observations(const Project& project, storage::Database& database,
                                         const ImportRequest& request, Diagnostics& diagnostics);

}  // namespace zielwerk::engine
