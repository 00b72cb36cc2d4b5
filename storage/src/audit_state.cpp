#include "audit_state.h"

#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

#include "connection.h"

namespace zielwerk::storage {
namespace {

struct StateKind {
  std::string_view name;
  bool integer_key;
  // Each query takes the object's id as ?1 and orders its rows fully (for
  // imports the second gives observations as add_observation digests them).
  std::vector<std::string_view> queries;
  // Every stored object of this kind, one row each: its id, then the columns
  // of `queries` (empty for imports, whose rows are digested by
  // digest_all_imports).
  std::string_view scan;
};

// An import's rows, digested at append time (StateDigester) and by
// digest_all_imports (verification) from these same pieces, so the two
// digests cannot drift apart: the import_batch row, then its observations in
// their key order, each with what its series id stands for, so a change of
// the series table shows too; as the rows of
//   SELECT o.period, s.metric, s.region, o.revision, o.value, o.source, o.line
//   [, o.missing when it is not NULL]
//   FROM observation o JOIN series s ON s.id = o.series_id
//   WHERE o.import_id = ?1 ORDER BY o.period, o.series_id, o.revision
// give them. The queries read the series id instead and SeriesColumns puts
// in the metric and region: there are few series and many observations.
#define ZW_IMPORT_BATCH_COLUMNS \
  "id, imported_at, actor, file_name, file_hash, rows_read, added, revised, unchanged"
#define ZW_OBSERVATION_ORDER "ORDER BY o.period, o.series_id, o.revision"

constexpr std::string_view kImportBatch =
    "SELECT " ZW_IMPORT_BATCH_COLUMNS " FROM import_batch WHERE id = ?1";
constexpr std::string_view kAllImportBatches =
    "SELECT " ZW_IMPORT_BATCH_COLUMNS " FROM import_batch ORDER BY id";
// period, series_id, revision, value, source, line, missing (see add_observation).
constexpr std::string_view kImportRows =
    "SELECT o.period, o.series_id, o.revision, o.value, o.source, o.line, o.missing"
    " FROM observation o"
    " WHERE o.import_id = ?1 " ZW_OBSERVATION_ORDER;
// The import id first, then the columns of kImportRows.
constexpr std::string_view kAllImportRows =
    "SELECT o.import_id, o.period, o.series_id, o.revision, o.value, o.source, o.line,"
    " o.missing FROM observation o " ZW_OBSERVATION_ORDER;

#undef ZW_IMPORT_BATCH_COLUMNS
#undef ZW_OBSERVATION_ORDER

#define ZW_MILESTONE_COLUMNS "goal, milestone, done_on, recorded_at, actor, audit_seq"
#define ZW_REVIEW_COLUMNS                                                                  \
  "id, workflow, period, meeting_date, starts_at, state, late, prepared_at, prepared_by, " \
  "rule_set_version, figures_known_at, snapshot, agenda, closed_at, closed_by, audit_seq"
#define ZW_ENTRY_COLUMNS "id, review_id, kind, goal, text, recorded_at, actor, audit_seq"
#define ZW_MEASURE_COLUMNS                                                                    \
  "id, goal, review_id, title, owner_party, assignee, due_on, follow_up_on, status, reason, " \
  "created_at, created_by, updated_at"
#define ZW_FOLLOWUP_COLUMNS \
  "id, measure_id, review_id, recorded_at, actor, status, note, changes, audit_seq"
#define ZW_ESCALATION_COLUMNS                                                           \
  "id, kind, subject, workflow, goal, measure_id, milestone, party, facts, raised_at, " \
  "review_id, audit_seq"
#define ZW_RULE_SET_COLUMNS "audit_seq, version, files, goals, used_from"
#define ZW_CONFIG_COLUMNS "audit_seq, version, files, project, workflows, used_from"

const std::vector<StateKind>& state_kinds() {
  static const std::vector<StateKind> kinds = {
      {"import", true, {kImportBatch, kImportRows}, ""},
      {"milestone",
       false,
       {"SELECT " ZW_MILESTONE_COLUMNS " FROM milestone_done WHERE goal || '/' || milestone = ?1"},
       "SELECT goal || '/' || milestone, " ZW_MILESTONE_COLUMNS " FROM milestone_done"},
      {"review",
       false,
       {"SELECT " ZW_REVIEW_COLUMNS " FROM review WHERE id = ?1"},
       "SELECT id, " ZW_REVIEW_COLUMNS " FROM review"},
      {"review_entry",
       true,
       {"SELECT " ZW_ENTRY_COLUMNS " FROM review_entry WHERE id = ?1"},
       "SELECT id, " ZW_ENTRY_COLUMNS " FROM review_entry"},
      {"measure",
       true,
       {"SELECT " ZW_MEASURE_COLUMNS " FROM measure WHERE id = ?1"},
       "SELECT id, " ZW_MEASURE_COLUMNS " FROM measure"},
      {"measure_followup",
       true,
       {"SELECT " ZW_FOLLOWUP_COLUMNS " FROM measure_followup WHERE id = ?1"},
       "SELECT id, " ZW_FOLLOWUP_COLUMNS " FROM measure_followup"},
      {"escalation",
       true,
       {"SELECT " ZW_ESCALATION_COLUMNS " FROM escalation WHERE id = ?1"},
       "SELECT id, " ZW_ESCALATION_COLUMNS " FROM escalation"},
      {"rule_set",
       true,
       {"SELECT " ZW_RULE_SET_COLUMNS " FROM rule_set WHERE audit_seq = ?1"},
       "SELECT audit_seq, " ZW_RULE_SET_COLUMNS " FROM rule_set"},
      {"config_set",
       true,
       {"SELECT " ZW_CONFIG_COLUMNS " FROM config_set WHERE audit_seq = ?1"},
       "SELECT audit_seq, " ZW_CONFIG_COLUMNS " FROM config_set"},
  };
  return kinds;
}

#undef ZW_MILESTONE_COLUMNS
#undef ZW_REVIEW_COLUMNS
#undef ZW_ENTRY_COLUMNS
#undef ZW_MEASURE_COLUMNS
#undef ZW_FOLLOWUP_COLUMNS
#undef ZW_ESCALATION_COLUMNS
#undef ZW_RULE_SET_COLUMNS
#undef ZW_CONFIG_COLUMNS

const StateKind* find_kind(std::string_view name) {
  for (const auto& kind : state_kinds()) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

void bind_id(RowCursor& cursor, const StateKind& kind, const std::string& id) {
  if (kind.integer_key) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
    // An id that is no number names no row: it digests as zero rows.
    if (error != std::errc() || end != id.data() + id.size()) {
      cursor.restart_with(std::optional<std::int64_t>());
      return;
    }
    cursor.restart_with(std::optional<std::int64_t>(number));
  } else {
    cursor.restart_with(std::string_view(id));
  }
}

}  // namespace

bool is_state_kind(std::string_view kind) {
  return find_kind(kind) != nullptr;
}

bool has_numbered_ids(std::string_view kind) {
  const StateKind* found = find_kind(kind);
  return found != nullptr && found->integer_key;
}

RowCursor::RowCursor(Database& database, std::string_view sql) {
  if (is_postgres(database)) {
    pg_ = std::make_unique<pg::Statement>(postgres(database), sql);
    return;
  }
  db_ = &sqlite(database);
  const int result = sqlite3_prepare_v2(db_->getHandle(), sql.data(), static_cast<int>(sql.size()),
                                        &statement_, nullptr);
  if (result != SQLITE_OK) throw SQLite::Exception(db_->getHandle(), result);
}

RowCursor::~RowCursor() {
  if (statement_ != nullptr) sqlite3_finalize(statement_);
}

void RowCursor::restart_with(std::optional<std::int64_t> value) {
  if (pg_) {
    pg_->reset();
    if (value) {
      pg_->bind(1, *value);
    } else {
      pg_->bind_null(1);
    }
    return;
  }
  sqlite3_reset(statement_);
  const int result =
      value ? sqlite3_bind_int64(statement_, 1, *value) : sqlite3_bind_null(statement_, 1);
  if (result != SQLITE_OK) throw SQLite::Exception(db_->getHandle(), result);
}

void RowCursor::restart_with(std::string_view value) {
  if (pg_) {
    pg_->reset();
    pg_->bind_text(1, value);
    return;
  }
  sqlite3_reset(statement_);
  const int result = sqlite3_bind_text(statement_, 1, value.data(), static_cast<int>(value.size()),
                                       SQLITE_TRANSIENT);
  if (result != SQLITE_OK) throw SQLite::Exception(db_->getHandle(), result);
}

bool RowCursor::step() {
  if (pg_) return pg_->step();
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  throw SQLite::Exception(db_->getHandle(), result);
}

std::int64_t RowCursor::integer(int column) const {
  if (pg_) return pg_->integer(column);
  return sqlite3_column_int64(statement_, column);
}

std::string_view RowCursor::text(int column) const {
  if (pg_) return pg_->text(column);
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  const int size = sqlite3_column_bytes(statement_, column);
  return bytes == nullptr ? std::string_view()
                          : std::string_view(bytes, static_cast<std::size_t>(size));
}

bool RowCursor::is_null(int column) const {
  if (pg_) return pg_->is_null(column);
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int RowCursor::column_count() const {
  if (pg_) return pg_->columns();
  return sqlite3_column_count(statement_);
}

namespace {

constexpr std::size_t kDigestChunk = 16 * 1024;

}  // namespace

namespace {

// A server's row, encoded exactly as SQLite's below: the same values of the
// same types give the same bytes.
void encode_server_columns(std::string& out, const pg::Statement& row, int first, int last) {
  std::array<char, 40> scratch{};
  for (int i = first; i < last; ++i) {
    char* const begin = scratch.data();
    char* const limit = begin + scratch.size();
    char* end = begin;
    switch (row.type(i)) {
      case pg::ValueType::null:
        *end++ = 'n';
        break;
      case pg::ValueType::integer:
        *end++ = 'i';
        end = std::to_chars(end, limit, static_cast<long long>(row.integer(i))).ptr;
        *end++ = ';';
        break;
      case pg::ValueType::real:
        *end++ = 'f';
        end = std::to_chars(end, limit, row.real(i)).ptr;
        *end++ = ';';
        break;
      case pg::ValueType::text:
      case pg::ValueType::blob: {
        const bool text = row.type(i) == pg::ValueType::text;
        const std::string blob = text ? std::string() : row.blob(i);
        const std::string_view bytes = text ? row.text(i) : std::string_view(blob);
        *end++ = text ? 't' : 'b';
        end = std::to_chars(end, limit, bytes.size()).ptr;
        *end++ = ':';
        out.append(begin, end);
        out.append(bytes);
        continue;
      }
    }
    out.append(begin, end);
  }
}

}  // namespace

void RowDigest::encode_columns(std::string& out, const RowCursor& row, int first, int last) {
  if (const pg::Statement* server = row.server()) {
    encode_server_columns(out, *server, first, last);
    return;
  }
  sqlite3_stmt* const statement = row.raw();
  // Numbers and tags go through a small stack buffer, appended once per value.
  std::array<char, 40> scratch{};
  for (int i = first; i < last; ++i) {
    char* const begin = scratch.data();
    char* const limit = begin + scratch.size();
    char* end = begin;
    const int type = sqlite3_column_type(statement, i);
    switch (type) {
      case SQLITE_NULL:
        *end++ = 'n';
        break;
      case SQLITE_INTEGER:
        *end++ = 'i';
        end = std::to_chars(end, limit, static_cast<long long>(sqlite3_column_int64(statement, i)))
                  .ptr;
        *end++ = ';';
        break;
      case SQLITE_FLOAT:
        // Shortest text that reads back as the same double.
        *end++ = 'f';
        end = std::to_chars(end, limit, sqlite3_column_double(statement, i)).ptr;
        *end++ = ';';
        break;
      default: {  // TEXT or BLOB: length-prefixed, so no value can imitate a separator
        const bool text = type == SQLITE_TEXT;
        const void* bytes = text ? static_cast<const void*>(sqlite3_column_text(statement, i))
                                 : sqlite3_column_blob(statement, i);
        const int size = sqlite3_column_bytes(statement, i);
        *end++ = text ? 't' : 'b';
        end = std::to_chars(end, limit, size).ptr;
        *end++ = ':';
        out.append(begin, end);
        if (size > 0) out.append(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
        continue;
      }
    }
    out.append(begin, end);
  }
}

void RowDigest::add_row(const RowCursor& row, int first_column) {
  add_columns(row, first_column, row.column_count());
  end_row();
}

void RowDigest::add_columns(const RowCursor& row, int first, int last) {
  encode_columns(buffer_, row, first, last);
}

void RowDigest::add_encoded(std::string_view encoded) {
  buffer_.append(encoded);
}

void RowDigest::end_row() {
  buffer_ += '\n';
  ++rows_;
  if (buffer_.size() >= kDigestChunk) spill();
}

void RowDigest::spill() {
  sha_.update(buffer_);
  buffer_.clear();
}

void RowDigest::reset() {
  sha_.reset();
  buffer_.clear();
  rows_ = 0;
}

StateDigest RowDigest::finish() {
  StateDigest out;
  finish(out);
  return out;
}

void RowDigest::finish(StateDigest& out) {
  spill();
  out.rows = rows_;
  out.sha256.resize(64);
  sha_.hex_digest(out.sha256.data());
}

namespace {

// An import's observations are digested with the metric and region of their
// series (the join above). The series are few and the
// observations many, so instead of joining, each series' two columns are
// encoded once and copied into every row of it; the bytes are the same.
class SeriesColumns {
 public:
  explicit SeriesColumns(Database& database) {
    RowCursor series(database, "SELECT id, metric, region FROM series");
    while (series.step()) {
      std::string encoded;
      RowDigest::encode_columns(encoded, series, 1, 3);
      const std::int64_t id = series.integer(0);
      if (id >= 0 && id < kDenseIds) {
        const auto index = static_cast<std::size_t>(id);
        if (index >= dense_.size()) dense_.resize(index + 1);
        dense_[index] = std::move(encoded);
        present_.resize(dense_.size());
        present_[index] = true;
      } else {
        sparse_.emplace(id, std::move(encoded));
      }
    }
  }

  // The encoded metric and region of the series `column` names, or nullptr
  // where the join finds none (no series, or a value no integer id equals).
  const std::string* find(const RowCursor& row, int column) const {
    std::int64_t id = 0;
    if (const pg::Statement* server = row.server()) {
      // A server's column has one type: bigint (the schema says so).
      if (server->type(column) != pg::ValueType::integer) return nullptr;
      return find_id(server->integer(column));
    }
    sqlite3_stmt* const statement = row.raw();
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_INTEGER:
        id = sqlite3_column_int64(statement, column);
        break;
      case SQLITE_FLOAT: {  // compares equal to an integer id only when integral
        const double value = sqlite3_column_double(statement, column);
        if (!(value >= -9.0e18 && value <= 9.0e18) ||
            value != static_cast<double>(static_cast<std::int64_t>(value)))
          return nullptr;
        id = static_cast<std::int64_t>(value);
        break;
      }
      default:
        return nullptr;
    }
    return find_id(id);
  }

 private:
  const std::string* find_id(std::int64_t id) const {
    if (id >= 0 && static_cast<std::size_t>(id) < dense_.size()) {
      return present_[static_cast<std::size_t>(id)] ? &dense_[static_cast<std::size_t>(id)]
                                                    : nullptr;
    }
    const auto found = sparse_.find(id);
    return found == sparse_.end() ? nullptr : &found->second;
  }

  static constexpr std::int64_t kDenseIds = 1 << 22;
  std::vector<std::string> dense_;
  std::vector<bool> present_;
  std::map<std::int64_t, std::string> sparse_;
};

// One observation row of kImportRows / kAllImportRows from column `first`
// (period, series_id, revision, value, source, line, missing), as the joined
// query's row (period, metric, region, revision, value, source, line) digests,
// followed by the missing value's reason when there is one: rows of a figure
// digest as they did before reasons were stored, so older records still verify.
bool add_observation(RowDigest& digest, const SeriesColumns& series, const RowCursor& row,
                     int first) {
  const std::string* metric_region = series.find(row, first + 1);
  if (metric_region == nullptr) return false;
  digest.add_columns(row, first, first + 1);
  digest.add_encoded(*metric_region);
  digest.add_columns(row, first + 2, first + 6);
  if (!row.is_null(first + 6)) digest.add_columns(row, first + 6, first + 7);
  digest.end_row();
  return true;
}

}  // namespace

StateDigester::StateDigester(Database& database) : database_(database) {}
StateDigester::~StateDigester() = default;

StateDigest StateDigester::digest(std::string_view kind_name, const std::string& id) {
  const StateKind* kind = find_kind(kind_name);
  if (kind == nullptr) throw std::logic_error("not a state kind: " + std::string(kind_name));
  auto& prepared = statements_[std::string(kind_name)];
  const bool import = kind_name == "import";
  if (prepared.empty()) {
    for (const auto query : kind->queries)
      prepared.push_back(std::make_unique<RowCursor>(database_, query));
  }
  RowDigest digest;
  std::optional<SeriesColumns> series;
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    RowCursor& query = *prepared[i];
    bind_id(query, *kind, id);
    const bool observations = import && i == 1;
    if (observations) series.emplace(database_);
    while (query.step()) {
      if (observations) {
        add_observation(digest, *series, query, 0);
      } else {
        digest.add_row(query);
      }
    }
  }
  return digest.finish();
}

void for_each_stored_object(
    Database& db,
    const std::function<void(std::string_view, const std::string&, const StateDigest&)>& visit) {
  for (const auto& kind : state_kinds()) {
    if (kind.scan.empty()) continue;
    RowCursor rows(db, kind.scan);
    std::string id;
    RowDigest digest;
    StateDigest state;
    while (rows.step()) {
      id.assign(rows.text(0));
      digest.reset();
      digest.add_row(rows, 1);
      digest.finish(state);
      visit(kind.name, id, state);
    }
  }
}

std::vector<std::pair<std::string, StateDigest>> digest_all_imports(Database& db) {
  // Ordered by id so the caller reports the earliest import first.
  std::map<std::int64_t, std::unique_ptr<RowDigest>> digests;
  const auto digest_of = [&](std::int64_t id) -> RowDigest& {
    auto& slot = digests[id];
    if (!slot) slot = std::make_unique<RowDigest>();
    return *slot;
  };
  {
    RowCursor batches(db, kAllImportBatches);
    while (batches.step())
      digest_of(batches.integer(0)).add_row(batches);
  }
  const SeriesColumns series(db);
  RowCursor observations(db, kAllImportRows);
  std::int64_t last_id = -1;
  RowDigest* last = nullptr;
  while (observations.step()) {
    // A row the join would not give (its series is missing) names no import.
    if (series.find(observations, 2) == nullptr) continue;
    const std::int64_t id = observations.integer(0);
    if (id != last_id) {
      last = &digest_of(id);
      last_id = id;
    }
    add_observation(*last, series, observations, 1);
  }
  std::vector<std::pair<std::string, StateDigest>> result;
  result.reserve(digests.size());
  for (auto& [id, digest] : digests)
    result.emplace_back(std::to_string(id), digest->finish());
  return result;
}

}  // namespace zielwerk::storage
