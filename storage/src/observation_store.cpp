#include "zielwerk/storage/observation_store.h"

#include <stdexcept>
#include <unordered_map>

#include "connection.h"

namespace zielwerk::storage {
namespace {

std::int64_t period_key(YearMonth period) {
  return period.year() * 100 + period.month();
}

YearMonth period_from_key(std::int64_t key) {
  return YearMonth(static_cast<int>(key / 100), static_cast<int>(key % 100));
}

constexpr const char* kObservationColumns =
    "s.metric, s.region, o.period, o.value, o.revision, o.import_id, b.imported_at, "
    "b.file_name, b.file_hash, o.line, o.source "
    "FROM observation o CROSS JOIN series s ON s.id = o.series_id "
    "JOIN import_batch b ON b.id = o.import_id ";

StoredObservation read_observation(SQLite::Statement& query) {
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
  return row;
}

// Rows of the file being written that equal the stored value and so write
// nothing: a later row of the same file with another value contradicts them.
// A temporary table, so memory stays flat however large the file; keyed like
// observation (period first), so rows of a month-by-month file append to it.
bool prepare_stated_table(SQLite::Database& db) {
  db.exec(
      "CREATE TEMP TABLE IF NOT EXISTS observation_stated ("
      "series_id INTEGER NOT NULL, period INTEGER NOT NULL, value REAL NOT NULL, "
      "line INTEGER NOT NULL, PRIMARY KEY (period, series_id)) WITHOUT ROWID");
  db.exec("DELETE FROM temp.observation_stated");
  return true;
}

}  // namespace

struct ObservationWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : stated_ready(prepare_stated_table(db)),
        find_series(db, "SELECT id FROM series WHERE metric = ? AND region = ?"),
        insert_series(db, "INSERT INTO series (metric, region) VALUES (?, ?)"),
        latest(db,
               "SELECT revision, value, import_id, line FROM observation "
               "WHERE series_id = ? AND period = ? ORDER BY revision DESC LIMIT 1"),
        insert(db,
               "INSERT INTO observation (series_id, period, revision, value, source, "
               "import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        insert_first(db,
                     "INSERT INTO observation (series_id, period, revision, value, source, "
                     "import_id, line) VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
        find_stated(db,
                    "SELECT value, line FROM temp.observation_stated "
                    "WHERE series_id = ? AND period = ?"),
        insert_stated(db,
                      "INSERT OR IGNORE INTO temp.observation_stated (series_id, period, value, "
                      "line) VALUES (?, ?, ?, ?)") {}
  bool stated_ready;  // before the statements that use the table
  SQLite::Statement find_series;
  SQLite::Statement insert_series;
  SQLite::Statement latest;
  SQLite::Statement insert;
  SQLite::Statement insert_first;
  SQLite::Statement find_stated;
  SQLite::Statement insert_stated;
  // Series ids by "metric\0region"; looked up with a reused key buffer, so a
  // row costs no allocation once its series is known.
  std::unordered_map<std::string, std::int64_t> series;
  std::string series_key;
  std::string source;  // bound without copying, so it must outlive the step
  bool previous_row_was_stored = false;
};

ObservationWriter::ObservationWriter(Database& database, ImportFile file)
    : database_(database), file_(std::move(file)) {
  require_write_transaction(database_);
  statements_ = std::make_unique<Statements>(sqlite(database_));
}

ObservationWriter::~ObservationWriter() = default;

std::int64_t ObservationWriter::series_id(std::string_view metric, std::string_view region) {
  auto& s = *statements_;
  s.series_key.assign(metric).append(1, '\0').append(region);
  if (const auto it = s.series.find(s.series_key); it != s.series.end()) return it->second;
  const std::string metric_text(metric);
  const std::string region_text(region);
  s.find_series.bind(1, metric_text);
  s.find_series.bind(2, region_text);
  std::int64_t id = 0;
  if (s.find_series.executeStep()) {
    id = s.find_series.getColumn(0).getInt64();
  } else {
    s.insert_series.bind(1, metric_text);
    s.insert_series.bind(2, region_text);
    s.insert_series.exec();
    s.insert_series.reset();
    id = sqlite(database_).getLastInsertRowid();
  }
  s.find_series.reset();
  s.series.emplace(s.series_key, id);
  return id;
}

std::int64_t ObservationWriter::reserved_import_id() {
  if (!reserved_id_) {
    // Stable inside the write transaction; an id left unused by a file that
    // changed nothing is taken by the next one.
    SQLite::Statement next(sqlite(database_), "SELECT coalesce(max(id), 0) + 1 FROM import_batch");
    next.executeStep();
    reserved_id_ = next.getColumn(0).getInt64();
  }
  return *reserved_id_;
}

void ObservationWriter::record_change() {
  if (import_id_) return;
  SQLite::Statement insert(sqlite(database_),
                           "INSERT INTO import_batch (id, imported_at, actor, file_name, "
                           "file_hash) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(reserved_import_id()));
  insert.bind(2, format_timestamp(file_.imported_at));
  insert.bind(3, file_.actor);
  insert.bind(4, file_.file_name);
  insert.bind(5, file_.file_hash);
  insert.exec();
  import_id_ = reserved_import_id();
}

WriteOutcome ObservationWriter::write(std::string_view metric, std::string_view region,
                                      YearMonth period, double value, std::string_view source,
                                      std::int64_t line, Conflict& conflict) {
  auto& s = *statements_;
  const std::int64_t series = series_id(metric, region);
  const std::int64_t key = period_key(period);
  s.source.assign(source);
  auto insert_revision = [&](int revision) {
    s.insert.bind(1, static_cast<int64_t>(series));
    s.insert.bind(2, static_cast<int64_t>(key));
    s.insert.bind(3, revision);
    s.insert.bind(4, value);
    s.insert.bindNoCopy(5, s.source);
    s.insert.bind(6, static_cast<int64_t>(reserved_import_id()));
    s.insert.bind(7, static_cast<int64_t>(line));
    s.insert.exec();
    s.insert.reset();
    record_change();
  };
  // Files are either mostly new (a new month) or mostly stored already (a
  // re-delivery). Guessing from the row before saves a B-tree descent per
  // row: new rows try the insert directly, stored rows look up first.
  if (!s.previous_row_was_stored) {
    s.insert_first.bind(1, static_cast<int64_t>(series));
    s.insert_first.bind(2, static_cast<int64_t>(key));
    s.insert_first.bind(3, value);
    s.insert_first.bindNoCopy(4, s.source);
    s.insert_first.bind(5, static_cast<int64_t>(reserved_import_id()));
    s.insert_first.bind(6, static_cast<int64_t>(line));
    const int inserted = s.insert_first.exec();
    s.insert_first.reset();
    if (inserted == 1) {
      record_change();
      return WriteOutcome::added;
    }
  }

  s.latest.bind(1, static_cast<int64_t>(series));
  s.latest.bind(2, static_cast<int64_t>(key));
  if (!s.latest.executeStep()) {
    s.latest.reset();
    s.previous_row_was_stored = false;
    insert_revision(1);
    return WriteOutcome::added;
  }
  s.previous_row_was_stored = true;
  const int latest_revision = s.latest.getColumn(0).getInt();
  const double latest_value = s.latest.getColumn(1).getDouble();
  const bool from_this_file = s.latest.getColumn(2).getInt64() == reserved_import_id();
  const std::int64_t latest_line = s.latest.getColumn(3).getInt64();
  s.latest.reset();
  // Values are compared exactly: equal decimal text gives equal doubles.
  if (latest_value == value) {
    if (!from_this_file) {
      // The row writes nothing but states this value for the file.
      s.insert_stated.bind(1, static_cast<int64_t>(series));
      s.insert_stated.bind(2, static_cast<int64_t>(key));
      s.insert_stated.bind(3, value);
      s.insert_stated.bind(4, static_cast<int64_t>(line));
      s.insert_stated.exec();
      s.insert_stated.reset();
    }
    return WriteOutcome::unchanged;
  }
  if (from_this_file) {
    conflict = {latest_value, latest_line};
    return WriteOutcome::conflict;
  }
  // An earlier row of this file may have stated the stored value.
  s.find_stated.bind(1, static_cast<int64_t>(series));
  s.find_stated.bind(2, static_cast<int64_t>(key));
  if (s.find_stated.executeStep()) {
    conflict = {s.find_stated.getColumn(0).getDouble(), s.find_stated.getColumn(1).getInt64()};
    s.find_stated.reset();
    return WriteOutcome::conflict;
  }
  s.find_stated.reset();
  insert_revision(latest_revision + 1);
  return WriteOutcome::revised;
}

std::optional<std::int64_t> ObservationWriter::finish(const ImportCounts& counts) {
  if (!import_id_) return std::nullopt;
  SQLite::Statement update(sqlite(database_),
                           "UPDATE import_batch SET rows_read = ?, added = ?, revised = ?, "
                           "unchanged = ?, file_hash = ? WHERE id = ?");
  update.bind(1, static_cast<int64_t>(counts.rows_read));
  update.bind(2, static_cast<int64_t>(counts.added));
  update.bind(3, static_cast<int64_t>(counts.revised));
  update.bind(4, static_cast<int64_t>(counts.unchanged));
  update.bind(5, file_.file_hash);
  update.bind(6, static_cast<int64_t>(*import_id_));
  update.exec();
  return import_id_;
}

std::optional<Timestamp> latest_import_time(Database& database) {
  SQLite::Statement query(sqlite(database), "SELECT max(imported_at) FROM import_batch");
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return parse_timestamp(query.getColumn(0).getString());
}

std::optional<ImportRecord> find_import_by_hash(Database& database, std::string_view file_hash) {
  SQLite::Statement query(sqlite(database),
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
  SQLite::Statement query(sqlite(database), std::string("SELECT ") + kObservationColumns +
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
  SQLite::Statement query(sqlite(database),
                          std::string("SELECT ") + kObservationColumns +
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
