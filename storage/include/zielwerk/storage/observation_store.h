// Observations: monthly values of series (metric, region), with every revision.
//
// A revision is a change of value. Each revision records the import it came
// from (file name, file hash, time, actor) and the line in that file, so an
// evaluation can say which figures it used and `--known-at` can go back to
// what was known at a past time. Nothing is ever overwritten or deleted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct ImportFile {
  std::string file_name;
  std::string file_hash;
  Timestamp imported_at{};
  std::string actor;
};

struct ImportCounts {
  std::uint64_t rows_read = 0;
  std::uint64_t added = 0;      // first value of an observation
  std::uint64_t revised = 0;    // a value that differs from the stored one
  std::uint64_t unchanged = 0;  // equal to the stored value (or a repeated row)
};

// An import that stored something: one file of one `zielwerk import`.
struct ImportRecord {
  std::int64_t id = 0;
  Timestamp imported_at{};
  std::string actor;
  std::string file_name;
  std::string file_hash;
  ImportCounts counts;
};

// The first import of a file with this SHA-256, if any.
std::optional<ImportRecord> find_import_by_hash(Database& database, std::string_view file_hash);

// When the latest stored import was made; nullopt when nothing was imported.
// Evaluating with the revisions known at this time sees exactly what is stored.
std::optional<Timestamp> latest_import_time(Database& database);

enum class WriteOutcome { added, revised, unchanged, conflict };

// Writes the rows of one file, inside Database::write. The import record is
// created with the first row that changes something, so a file that changes
// nothing leaves no trace at all.
//
// Two ways to hand it rows, with the same result: write() stores one row and
// says what it did; add() queues rows and stores them in batches (one INSERT
// of many rows costs a fraction of as many INSERTs of one), counting the
// outcomes and keeping the first conflict for counts() and conflict(). The
// importer uses add(). `line` identifies a row within its file: every row of
// one writer has its own.
class ObservationWriter {
 public:
  ObservationWriter(Database& database, ImportFile file);
  ~ObservationWriter();
  ObservationWriter(const ObservationWriter&) = delete;
  ObservationWriter& operator=(const ObservationWriter&) = delete;

  // `conflict` reports the conflicting row of the same file: a row for the
  // same metric, region and period with another value (then nothing is
  // written and the caller must roll back).
  struct Conflict {
    double value = 0;
    std::int64_t line = 0;
    std::string missing;
  };
  // Stores one row now (after the rows add() queued). `missing`, when not
  // empty, makes the row a value that is missing for that reason (`value` is
  // then 0): it revises a stored figure like another value would.
  WriteOutcome write(std::string_view metric, std::string_view region, YearMonth period,
                     double value, std::string_view source, std::int64_t line, Conflict& conflict,
                     std::string_view missing = {});

  // A row that contradicts an earlier row of the same file, as add() found it.
  struct ConflictingRow {
    std::string metric;
    std::string region;
    YearMonth period;
    double value = 0;
    std::int64_t line = 0;
    Conflict earlier;  // the row of this file it contradicts
    std::string missing;
  };
  // Queues one row, storing the queue when it is full. After a conflict the
  // writer stores nothing more (the caller must roll back) and ignores rows.
  void add(std::string_view metric, std::string_view region, YearMonth period, double value,
           std::string_view source, std::int64_t line, std::string_view missing = {});
  // Stores the queued rows.
  void flush();
  // What the rows stored so far did: added, revised, unchanged (rows_read is
  // the caller's); and the first conflict, if any.
  const ImportCounts& counts() const;
  const std::optional<ConflictingRow>& conflict() const;

  // The file's hash, known once it is read to its end; stored by finish().
  void set_file_hash(std::string hash);

  // Stores the counts and hash with the import record; the import's id, or
  // nullopt when the file changed nothing. Stores queued rows first.
  std::optional<std::int64_t> finish(const ImportCounts& counts);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct StoredObservation {
  std::string metric;
  std::string region;
  YearMonth period;
  double value = 0;
  int revision = 1;
  std::int64_t import_id = 0;
  Timestamp imported_at{};
  std::string file_name;
  std::string file_hash;
  std::int64_t line = 0;
  std::string source;
  std::string missing;  // empty for a figure; else why there is none (value is 0)
};

// For each (metric, period) of `region`: the latest revision imported at or
// before `known_at` (the latest of all without it). Ordered by metric, period.
std::vector<StoredObservation> load_current_observations(Database& database,
                                                         std::string_view region,
                                                         std::optional<Timestamp> known_at);

// Every revision of one observation, oldest first.
std::vector<StoredObservation> load_revisions(Database& database, std::string_view metric,
                                              std::string_view region, YearMonth period);

}  // namespace zielwerk::storage
