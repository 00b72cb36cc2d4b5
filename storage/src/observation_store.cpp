#include "zielwerk/storage/observation_store.h"

#include <stdexcept>
#include <unordered_map>

#include "connection.h"
#include "statement.h"

namespace zielwerk::storage {
namespace {

std::int64_t period_key(YearMonth period) {
  return period.year() * 100 + period.month();
}

YearMonth period_from_key(std::int64_t key) {
  return YearMonth(static_cast<int>(key / 100), static_cast<int>(key % 100));
}

// The columns read_observation reads, and the joins that give them; one
// list for both backends, so a column added for one cannot be missing on the
// other.
#define ZW_OBSERVATION_COLUMNS                                                      \
  "s.metric, s.region, o.period, o.value, o.revision, o.import_id, b.imported_at, " \
  "b.file_name, b.file_hash, o.line, o.source, o.missing FROM observation o "
#define ZW_IMPORT_JOIN "JOIN import_batch b ON b.id = o.import_id "
// CROSS JOIN keeps SQLite's planner from reordering the join; PostgreSQL's
// CROSS JOIN takes no ON, and its planner needs no hint.
constexpr const char* kObservationColumns =
    ZW_OBSERVATION_COLUMNS "CROSS JOIN series s ON s.id = o.series_id " ZW_IMPORT_JOIN;
constexpr const char* kServerObservationColumns =
    ZW_OBSERVATION_COLUMNS "JOIN series s ON s.id = o.series_id " ZW_IMPORT_JOIN;
#undef ZW_OBSERVATION_COLUMNS
#undef ZW_IMPORT_JOIN

const char* observation_columns(Database& database) {
  return is_postgres(database) ? kServerObservationColumns : kObservationColumns;
}

StoredObservation read_observation(Statement& query) {
  StoredObservation row;
  row.metric = query.getColumn(0).getString();
  row.region = query.getColumn(1).getString();
  row.period = period_from_key(query.getColumn(2).getInt64());
  row.value = query.getColumn(3).getDouble();
  row.revision = query.getColumn(4).getInt();
  row.import_id = query.getColumn(5).getInt64();
  row.imported_at = parse_timestamp(query.getColumn(6).getString()).value_or(Timestamp{});
  row.file_name = query.getColumn(7).getString();
  row.file_hash = query.getColumn(8).getString();
  row.line = query.getColumn(9).getInt64();
  row.source = query.getColumn(10).getString();
  if (!query.getColumn(11).isNull()) row.missing = query.getColumn(11).getString();
  return row;
}

// Rows of the file being written that equal the stored value and so write
// nothing: a later row of the same file with another value contradicts them.
// A temporary table, so memory stays flat however large the file; keyed like
// observation (period first), so rows of a month-by-month file append to it.
void prepare_stated_table(Database& database) {
  if (is_postgres(database)) {
    postgres(database).exec(
        "CREATE TEMP TABLE IF NOT EXISTS observation_stated ("
        "series_id bigint NOT NULL, period bigint NOT NULL, value double precision NOT NULL, "
        "line bigint NOT NULL, missing text COLLATE \"C\", PRIMARY KEY (period, series_id)); "
        "DELETE FROM pg_temp.observation_stated");
    return;
  }
  SQLite::Database& db = sqlite(database);
  db.exec(
      "CREATE TEMP TABLE IF NOT EXISTS observation_stated ("
      "series_id INTEGER NOT NULL, period INTEGER NOT NULL, value REAL NOT NULL, "
      "line INTEGER NOT NULL, missing TEXT, PRIMARY KEY (period, series_id)) WITHOUT ROWID");
  db.exec("DELETE FROM temp.observation_stated");
}

// A prepared statement used through SQLite's C API: the writer runs a few of
// them per row, and SQLiteCpp's checks and column objects cost more than the
// row's own work. Bindings stay until rebound (sqlite3_reset keeps them). On
// a server, the same calls on a pg::Statement.
class WriterStatement {
 public:
  WriterStatement(Database& database, const std::string& sql) {
    if (is_postgres(database)) {
      pg_ = std::make_unique<pg::Statement>(postgres(database), sql);
      return;
    }
    db_ = sqlite(database).getHandle();
    const int result = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (result != SQLITE_OK) throw SQLite::Exception(db_, result);
  }
  ~WriterStatement() {
    if (statement_ != nullptr) sqlite3_finalize(statement_);
  }
  WriterStatement(const WriterStatement&) = delete;
  WriterStatement& operator=(const WriterStatement&) = delete;

  void bind(int index, std::int64_t value) {
    if (pg_) return pg_->bind(index, value);
    check(sqlite3_bind_int64(statement_, index, value));
  }
  void bind(int index, double value) {
    if (pg_) return pg_->bind(index, value);
    check(sqlite3_bind_double(statement_, index, value));
  }
  // A missing value's reason, NULL for a figure; as bind_static.
  void bind_reason(int index, std::string_view reason) {
    if (!reason.empty()) return bind_static(index, reason);
    if (pg_) return pg_->bind_null(index);
    check(sqlite3_bind_null(statement_, index));
  }
  // The text must stay unchanged until the statement has run. (An empty view
  // may have no data; SQLite would take its null pointer for NULL.)
  void bind_static(int index, std::string_view text) {
    if (pg_) return pg_->bind_text(index, text);
    check(sqlite3_bind_text(statement_, index, text.empty() ? "" : text.data(),
                            static_cast<int>(text.size()), SQLITE_STATIC));
  }
  // Steps once; true when a row is there to read. Call reset() when done.
  bool step() {
    if (pg_) return pg_->step();
    const int result = sqlite3_step(statement_);
    if (result == SQLITE_ROW) return true;
    if (result == SQLITE_DONE) return false;
    sqlite3_reset(statement_);
    throw SQLite::Exception(db_, result);
  }
  // Runs a statement that returns no rows; the number of rows it changed.
  int run() {
    if (pg_) {
      const int changed = pg_->run();
      if (pg_->result().rows() > 0) returned_ = pg_->result().integer(0, 0);
      pg_->reset();
      return changed;
    }
    step();
    const int changed = sqlite3_changes(db_);
    sqlite3_reset(statement_);
    return changed;
  }
  void reset() {
    if (pg_) return pg_->reset();
    sqlite3_reset(statement_);
  }
  std::int64_t integer(int column) const {
    if (pg_) return pg_->integer(column);
    return sqlite3_column_int64(statement_, column);
  }
  double real(int column) const {
    if (pg_) return pg_->real(column);
    return sqlite3_column_double(statement_, column);
  }
  // The column's text; empty for NULL.
  std::string text(int column) const {
    if (pg_) return pg_->is_null(column) ? std::string() : std::string(pg_->text(column));
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(text),
                             static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }
  // The id the last run() inserted: SQLite's rowid, or on a server the
  // value its RETURNING gave.
  std::int64_t inserted_id() const { return pg_ ? returned_ : sqlite3_last_insert_rowid(db_); }

 private:
  void check(int result) const {
    if (result != SQLITE_OK) throw SQLite::Exception(db_, result);
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::unique_ptr<pg::Statement> pg_;
  std::int64_t returned_ = 0;
};

constexpr const char* kInsertColumns =
    "INSERT INTO observation (series_id, period, revision, value, source, import_id, line, "
    "missing) ";
// The batch leaves `missing` out (NULL): rows of a missing value are rare and
// stored one by one (add()), so a file of figures costs what it did before.
constexpr const char* kBatchInsertColumns =
    "INSERT INTO observation (series_id, period, revision, value, source, import_id, line) ";

// Rows per multi-row INSERT: large enough that the statement's fixed cost
// (about as much as storing a row) is spread thin, small enough that a batch
// that meets stored rows is cheap to sort out row by row.
constexpr std::size_t kBatchRows = 64;
constexpr int kBatchColumns = 5;  // series_id, period, value, source, line; ?1 is the import id

std::string batch_insert_sql() {
  std::string sql = kBatchInsertColumns;
  sql += "VALUES ";
  for (std::size_t row = 0; row < kBatchRows; ++row) {
    const auto first = static_cast<int>(2 + row * kBatchColumns);
    if (row > 0) sql += ", ";
    sql += "(?" + std::to_string(first) + ", ?" + std::to_string(first + 1) + ", 1, ?" +
           std::to_string(first + 2) + ", ?" + std::to_string(first + 3) + ", ?1, ?" +
           std::to_string(first + 4) + ")";
  }
  sql += " ON CONFLICT DO NOTHING";
  return sql;
}

constexpr std::size_t kNoSeries = static_cast<std::size_t>(-1);

// A row on its way into the table, its series already known.
struct Queued {
  std::size_t series = kNoSeries;
  std::int64_t period = 0;
  double value = 0;
  std::string source;  // bound without copying: it must outlive the statement's step
  std::int64_t line = 0;
  std::string missing;  // empty for a figure; as source
};

}  // namespace

struct ObservationWriter::Impl {
  Impl(Database& owner, ImportFile imported)
      : database(owner),
        file(std::move(imported)),
        find_series(owner, "SELECT id FROM series WHERE metric = ? AND region = ?"),
        insert_series(owner, std::string("INSERT INTO series (metric, region) VALUES (?, ?)") +
                                 (is_postgres(owner) ? " RETURNING id" : "")),
        latest(owner,
               "SELECT revision, value, import_id, line, missing FROM observation "
               "WHERE series_id = ? AND period = ? ORDER BY revision DESC LIMIT 1"),
        insert(owner, std::string(kInsertColumns) + "VALUES (?2, ?3, ?4, ?5, ?6, ?1, ?7, ?8)"),
        insert_first(owner, std::string(kInsertColumns) +
                                "VALUES (?2, ?3, 1, ?4, ?5, ?1, ?6, ?7) ON CONFLICT DO NOTHING"),
        insert_batch(owner, batch_insert_sql()),
        find_stated(owner, std::string("SELECT value, line, missing FROM ") + stated_table(owner) +
                               " WHERE series_id = ? AND period = ?"),
        insert_stated(owner, is_postgres(owner)
                                 ? "INSERT INTO pg_temp.observation_stated (series_id, period, "
                                   "value, line, missing) VALUES (?, ?, ?, ?, ?) "
                                   "ON CONFLICT DO NOTHING"
                                 : "INSERT OR IGNORE INTO temp.observation_stated (series_id, "
                                   "period, value, line, missing) VALUES (?, ?, ?, ?, ?)"),
        queue(kBatchRows) {}

  static const char* stated_table(Database& database) {
    return is_postgres(database) ? "pg_temp.observation_stated" : "temp.observation_stated";
  }

  Database& database;
  ImportFile file;
  std::optional<std::int64_t> reserved_id;
  std::optional<std::int64_t> import_id;  // set once the import record exists

  WriterStatement find_series;
  WriterStatement insert_series;
  WriterStatement latest;
  WriterStatement insert;
  WriterStatement insert_first;
  WriterStatement insert_batch;
  WriterStatement find_stated;
  WriterStatement insert_stated;

  // The series met so far. A file lists its series in the same order month
  // after month, so each remembers the series that followed it last time:
  // checking that guess costs two comparisons, the hash lookup it saves
  // costs more than storing the row.
  struct Series {
    std::string metric;
    std::string region;
    std::int64_t id = 0;
    std::size_t next = kNoSeries;
  };
  std::vector<Series> series;
  std::unordered_map<std::string, std::size_t> series_by_key;  // "metric\0region"
  std::string series_key;                                      // reused buffer
  std::size_t previous_series = kNoSeries;

  std::vector<Queued> queue;  // slots reused: their sources keep their capacity
  std::size_t queued = 0;
  // Files are either mostly new (a new month) or mostly stored already (a
  // re-delivery). Guessing from the rows before saves work: new rows are
  // inserted directly (in batches), stored rows are looked up first.
  bool previous_row_was_stored = false;

  ImportCounts counts;
  std::optional<ConflictingRow> conflict;

  struct Latest {
    std::int64_t revision = 0;
    double value = 0;
    std::int64_t import_id = 0;
    std::int64_t line = 0;
    std::string missing;
  };

  std::size_t series_of(std::string_view metric, std::string_view region) {
    if (previous_series != kNoSeries) {
      const std::size_t guess = series[previous_series].next;
      if (guess != kNoSeries && series[guess].metric == metric && series[guess].region == region) {
        previous_series = guess;
        return guess;
      }
    }
    series_key.assign(metric).append(1, '\0').append(region);
    std::size_t index = kNoSeries;
    if (const auto it = series_by_key.find(series_key); it != series_by_key.end()) {
      index = it->second;
    } else {
      find_series.bind_static(1, metric);
      find_series.bind_static(2, region);
      std::int64_t id = 0;
      if (find_series.step()) {
        id = find_series.integer(0);
        find_series.reset();
      } else {
        find_series.reset();
        insert_series.bind_static(1, metric);
        insert_series.bind_static(2, region);
        insert_series.run();
        id = insert_series.inserted_id();
      }
      index = series.size();
      series.push_back({std::string(metric), std::string(region), id, kNoSeries});
      series_by_key.emplace(series_key, index);
    }
    if (previous_series != kNoSeries) series[previous_series].next = index;
    previous_series = index;
    return index;
  }

  std::int64_t reserved_import_id() {
    if (!reserved_id) {
      // Stable inside the write transaction; an id left unused by a file that
      // changed nothing is taken by the next one.
      Statement next(database, "SELECT coalesce(max(id), 0) + 1 FROM import_batch");
      next.executeStep();
      reserved_id = next.getColumn(0).getInt64();
      for (WriterStatement* statement : {&insert, &insert_first, &insert_batch})
        statement->bind(1, *reserved_id);
    }
    return *reserved_id;
  }

  void record_change() {
    if (import_id) return;
    Statement record(database,
                     "INSERT INTO import_batch (id, imported_at, actor, file_name, "
                     "file_hash) VALUES (?, ?, ?, ?, ?)");
    record.bind(1, static_cast<int64_t>(reserved_import_id()));
    record.bind(2, format_timestamp(file.imported_at));
    record.bind(3, file.actor);
    record.bind(4, file.file_name);
    record.bind(5, file.file_hash);
    record.exec();
    import_id = reserved_import_id();
  }

  std::optional<Latest> latest_of(const Queued& row) {
    latest.bind(1, series[row.series].id);
    latest.bind(2, row.period);
    std::optional<Latest> found;
    if (latest.step()) {
      found = Latest{latest.integer(0), latest.real(1), latest.integer(2), latest.integer(3),
                     latest.text(4)};
    }
    latest.reset();
    return found;
  }

  void insert_revision(const Queued& row, std::int64_t revision) {
    reserved_import_id();
    insert.bind(2, series[row.series].id);
    insert.bind(3, row.period);
    insert.bind(4, revision);
    insert.bind(5, row.value);
    insert.bind_static(6, row.source);
    insert.bind(7, row.line);
    insert.bind_reason(8, row.missing);
    insert.run();
    record_change();
  }

  // What a row does to an observation that has a stored revision.
  WriteOutcome against(const Queued& row, const Latest& stored, Conflict& found) {
    const std::int64_t id = series[row.series].id;
    const bool from_this_file = stored.import_id == reserved_import_id();
    // Values are compared exactly: equal decimal text gives equal doubles.
    // A missing value equals another missing value only with the same reason.
    if (stored.value == row.value && stored.missing == row.missing) {
      if (!from_this_file) {
        // The row writes nothing but states this value for the file.
        insert_stated.bind(1, id);
        insert_stated.bind(2, row.period);
        insert_stated.bind(3, row.value);
        insert_stated.bind(4, row.line);
        insert_stated.bind_reason(5, row.missing);
        insert_stated.run();
      }
      return WriteOutcome::unchanged;
    }
    if (from_this_file) {
      found = {stored.value, stored.line, stored.missing};
      return WriteOutcome::conflict;
    }
    // An earlier row of this file may have stated the stored value.
    find_stated.bind(1, id);
    find_stated.bind(2, row.period);
    if (find_stated.step()) {
      found = {find_stated.real(0), find_stated.integer(1), find_stated.text(2)};
      find_stated.reset();
      return WriteOutcome::conflict;
    }
    find_stated.reset();
    insert_revision(row, stored.revision + 1);
    return WriteOutcome::revised;
  }

  // One row on its own.
  WriteOutcome store(const Queued& row, Conflict& found) {
    if (!previous_row_was_stored) {
      insert_first.bind(2, series[row.series].id);
      insert_first.bind(3, row.period);
      insert_first.bind(4, row.value);
      insert_first.bind_static(5, row.source);
      insert_first.bind(6, row.line);
      insert_first.bind_reason(7, row.missing);
      reserved_import_id();
      if (insert_first.run() == 1) {
        record_change();
        return WriteOutcome::added;
      }
    }
    const auto stored = latest_of(row);
    if (!stored) {
      previous_row_was_stored = false;
      insert_revision(row, 1);
      return WriteOutcome::added;
    }
    previous_row_was_stored = true;
    return against(row, *stored, found);
  }

  void count(WriteOutcome outcome, const Queued& row, const Conflict& found) {
    switch (outcome) {
      case WriteOutcome::added:
        ++counts.added;
        break;
      case WriteOutcome::revised:
        ++counts.revised;
        break;
      case WriteOutcome::unchanged:
        ++counts.unchanged;
        break;
      case WriteOutcome::conflict:
        if (!conflict) {
          const Series& of = series[row.series];
          conflict = ConflictingRow{of.metric,  of.region, period_from_key(row.period),
                                    row.value,  row.line,  found,
                                    row.missing};
        }
        break;
    }
  }

  // Stores the queued rows: all in one INSERT when the queue is full (what a
  // new month of figures gives), then row by row those it did not insert.
  void flush() {
    const std::size_t rows = queued;
    queued = 0;
    if (rows == 0 || conflict) return;
    if (rows < kBatchRows) {
      for (std::size_t i = 0; i < rows && !conflict; ++i) {
        Conflict found;
        count(store(queue[i], found), queue[i], found);
      }
      return;
    }
    reserved_import_id();
    for (std::size_t i = 0; i < rows; ++i) {
      const Queued& row = queue[i];
      const auto first = static_cast<int>(2 + i * kBatchColumns);
      insert_batch.bind(first, series[row.series].id);
      insert_batch.bind(first + 1, row.period);
      insert_batch.bind(first + 2, row.value);
      insert_batch.bind_static(first + 3, row.source);
      insert_batch.bind(first + 4, row.line);
    }
    const auto inserted = static_cast<std::size_t>(insert_batch.run());
    if (inserted > 0) record_change();
    if (inserted == rows) {
      counts.added += rows;
      return;
    }
    // Some rows met a stored revision, or one of an earlier row of the
    // batch. Each row in file order: the batch inserted it exactly when its
    // observation's latest revision is the first, of this import and its line
    // (lines are unique within a file).
    for (std::size_t i = 0; i < rows && !conflict; ++i) {
      const Queued& row = queue[i];
      Conflict found;
      const auto stored = latest_of(row);
      WriteOutcome outcome;
      if (!stored) {
        insert_revision(row, 1);  // not inserted and nothing stored: cannot happen, but is right
        outcome = WriteOutcome::added;
      } else if (stored->revision == 1 && stored->import_id == reserved_import_id() &&
                 stored->line == row.line) {
        outcome = WriteOutcome::added;
      } else {
        outcome = against(row, *stored, found);
      }
      count(outcome, row, found);
    }
    // A batch of stored rows: a re-delivery. Look rows up first from here on.
    if (inserted == 0) previous_row_was_stored = true;
  }
};

ObservationWriter::ObservationWriter(Database& database, ImportFile file) {
  require_write_transaction(database);
  prepare_stated_table(database);
  impl_ = std::make_unique<Impl>(database, std::move(file));
}

ObservationWriter::~ObservationWriter() = default;

WriteOutcome ObservationWriter::write(std::string_view metric, std::string_view region,
                                      YearMonth period, double value, std::string_view source,
                                      std::int64_t line, Conflict& conflict,
                                      std::string_view missing) {
  Impl& impl = *impl_;
  impl.flush();
  Queued row;
  row.series = impl.series_of(metric, region);
  row.period = period_key(period);
  row.value = value;
  row.source.assign(source);
  row.line = line;
  row.missing.assign(missing);
  const WriteOutcome outcome = impl.store(row, conflict);
  impl.count(outcome, row, conflict);
  return outcome;
}

void ObservationWriter::add(std::string_view metric, std::string_view region, YearMonth period,
                            double value, std::string_view source, std::int64_t line,
                            std::string_view missing) {
  Impl& impl = *impl_;
  if (impl.conflict) return;
  Queued& row = impl.queue[impl.queued];
  row.series = impl.series_of(metric, region);
  row.period = period_key(period);
  row.value = value;
  row.source.assign(source);
  row.line = line;
  row.missing.assign(missing);
  if (impl.previous_row_was_stored || !row.missing.empty()) {
    // A re-delivery: one row at a time, each looked up first, until a row
    // turns out new. A missing value: on its own, after the rows queued
    // before it (flush() leaves this slot, past the queued ones, alone).
    if (impl.queued > 0) {
      impl.flush();
      if (impl.conflict) return;
    }
    Conflict found;
    impl.count(impl.store(row, found), row, found);
    return;
  }
  if (++impl.queued == kBatchRows) impl.flush();
}

void ObservationWriter::flush() {
  impl_->flush();
}

const ImportCounts& ObservationWriter::counts() const {
  return impl_->counts;
}

const std::optional<ObservationWriter::ConflictingRow>& ObservationWriter::conflict() const {
  return impl_->conflict;
}

void ObservationWriter::set_file_hash(std::string hash) {
  impl_->file.file_hash = std::move(hash);
}

std::optional<std::int64_t> ObservationWriter::finish(const ImportCounts& counts) {
  Impl& impl = *impl_;
  impl.flush();
  if (!impl.import_id) return std::nullopt;
  Statement update(impl.database,
                   "UPDATE import_batch SET rows_read = ?, added = ?, revised = ?, "
                   "unchanged = ?, file_hash = ? WHERE id = ?");
  update.bind(1, static_cast<int64_t>(counts.rows_read));
  update.bind(2, static_cast<int64_t>(counts.added));
  update.bind(3, static_cast<int64_t>(counts.revised));
  update.bind(4, static_cast<int64_t>(counts.unchanged));
  update.bind(5, impl.file.file_hash);
  update.bind(6, static_cast<int64_t>(*impl.import_id));
  update.exec();
  return impl.import_id;
}

std::optional<Timestamp> latest_import_time(Database& database) {
  Statement query(database, "SELECT max(imported_at) FROM import_batch");
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return parse_timestamp(query.getColumn(0).getString());
}

std::optional<ImportRecord> find_import_by_hash(Database& database, std::string_view file_hash) {
  Statement query(database,
                  "SELECT id, imported_at, actor, file_name, file_hash, rows_read, added, "
                  "revised, unchanged FROM import_batch WHERE file_hash = ? "
                  "ORDER BY id LIMIT 1");
  query.bind(1, std::string(file_hash));
  if (!query.executeStep()) return std::nullopt;
  ImportRecord record;
  record.id = query.getColumn(0).getInt64();
  record.imported_at = parse_timestamp(query.getColumn(1).getString()).value_or(Timestamp{});
  record.actor = query.getColumn(2).getString();
  record.file_name = query.getColumn(3).getString();
  record.file_hash = query.getColumn(4).getString();
  record.counts.rows_read = static_cast<std::uint64_t>(query.getColumn(5).getInt64());
  record.counts.added = static_cast<std::uint64_t>(query.getColumn(6).getInt64());
  record.counts.revised = static_cast<std::uint64_t>(query.getColumn(7).getInt64());
  record.counts.unchanged = static_cast<std::uint64_t>(query.getColumn(8).getInt64());
  return record;
}

std::vector<StoredObservation> load_current_observations(Database& database,
                                                         std::string_view region,
                                                         std::optional<Timestamp> known_at) {
  // All revisions known then, in revision order: the last one per key wins.
  // CROSS JOIN keeps observation the outer loop: one pass over it, whereas
  // starting from series would search observation once per series (its key
  // starts with the period).
  Statement query(database, std::string("SELECT ") + observation_columns(database) +
                                "WHERE s.region = ? AND b.imported_at <= ? "
                                "ORDER BY s.metric, o.period, o.revision");
  query.bind(1, std::string(region));
  query.bind(2, known_at ? format_timestamp(*known_at) : std::string("9999"));
  std::vector<StoredObservation> rows;
  while (query.executeStep()) {
    StoredObservation row = read_observation(query);
    if (!rows.empty() && rows.back().metric == row.metric && rows.back().period == row.period) {
      rows.back() = std::move(row);
    } else {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::vector<StoredObservation> load_revisions(Database& database, std::string_view metric,
                                              std::string_view region, YearMonth period) {
  Statement query(database, std::string("SELECT ") + observation_columns(database) +
                                "WHERE s.metric = ? AND s.region = ? AND o.period = ? "
                                "ORDER BY o.revision");
  query.bind(1, std::string(metric));
  query.bind(2, std::string(region));
  query.bind(3, static_cast<int64_t>(period_key(period)));
  std::vector<StoredObservation> rows;
  while (query.executeStep())
    rows.push_back(read_observation(query));
  return rows;
}

}  // namespace zielwerk::storage
