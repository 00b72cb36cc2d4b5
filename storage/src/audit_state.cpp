#include "audit_state.h"

#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

namespace zielwerk::storage {
namespace {

struct StateKind {
  std::string_view name;
  bool integer_key;
  // Each query takes the object's id as ?1 and orders its rows fully.
  std::vector<std::string_view> queries;
  // Every stored object of this kind, one row each: its id, then the columns
  // of `queries` (empty for imports, whose rows are digested by
  // digest_all_imports).
  std::string_view scan;
};

// An import's rows, written by the per-object queries (append time) and by
// digest_all_imports (verification) from these same pieces, so the two
// digests cannot drift apart. Observations come in their key order, with
// what the series id stands for, so a change of the series table shows too.
#define ZW_IMPORT_BATCH_COLUMNS \
  "id, imported_at, actor, file_name, file_hash, rows_read, added, revised, unchanged"
#define ZW_OBSERVATION_COLUMNS "o.period, s.metric, s.region, o.revision, o.value, o.source, o.line"
#define ZW_OBSERVATION_FROM "FROM observation o JOIN series s ON s.id = o.series_id"
#define ZW_OBSERVATION_ORDER "ORDER BY o.period, o.series_id, o.revision"

constexpr std::string_view kImportBatch =
    "SELECT " ZW_IMPORT_BATCH_COLUMNS " FROM import_batch WHERE id = ?1";
constexpr std::string_view kImportObservations =
    "SELECT " ZW_OBSERVATION_COLUMNS " " ZW_OBSERVATION_FROM
    " WHERE o.import_id = ?1 " ZW_OBSERVATION_ORDER;
constexpr std::string_view kAllImportBatches =
    "SELECT " ZW_IMPORT_BATCH_COLUMNS " FROM import_batch ORDER BY id";
// The import id first, then the columns of kImportObservations.
constexpr std::string_view kAllObservations =
    "SELECT o.import_id, " ZW_OBSERVATION_COLUMNS " " ZW_OBSERVATION_FROM " " ZW_OBSERVATION_ORDER;

#undef ZW_IMPORT_BATCH_COLUMNS
#undef ZW_OBSERVATION_COLUMNS
#undef ZW_OBSERVATION_FROM
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
      {"import", true, {kImportBatch, kImportObservations}, ""},
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

RowCursor::RowCursor(SQLite::Database& db, std::string_view sql) : db_(db) {
  const int result = sqlite3_prepare_v2(db.getHandle(), sql.data(), static_cast<int>(sql.size()),
                                        &statement_, nullptr);
  if (result != SQLITE_OK) throw SQLite::Exception(db.getHandle(), result);
}

RowCursor::~RowCursor() {
  sqlite3_finalize(statement_);
}

void RowCursor::restart_with(std::optional<std::int64_t> value) {
  sqlite3_reset(statement_);
  const int result =
      value ? sqlite3_bind_int64(statement_, 1, *value) : sqlite3_bind_null(statement_, 1);
  if (result != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), result);
}

void RowCursor::restart_with(std::string_view value) {
  sqlite3_reset(statement_);
  const int result = sqlite3_bind_text(statement_, 1, value.data(), static_cast<int>(value.size()),
                                       SQLITE_TRANSIENT);
  if (result != SQLITE_OK) throw SQLite::Exception(db_.getHandle(), result);
}

bool RowCursor::step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  throw SQLite::Exception(db_.getHandle(), result);
}

std::int64_t RowCursor::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string_view RowCursor::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  const int size = sqlite3_column_bytes(statement_, column);
  return bytes == nullptr ? std::string_view()
                          : std::string_view(bytes, static_cast<std::size_t>(size));
}

bool RowCursor::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

void RowDigest::add_row(sqlite3_stmt* statement, int first_column) {
  buffer_.clear();
  const int columns = sqlite3_column_count(statement);
  std::array<char, 32> number{};
  for (int i = first_column; i < columns; ++i) {
    const int type = sqlite3_column_type(statement, i);
    switch (type) {
      case SQLITE_NULL:
        buffer_ += 'n';
        break;
      case SQLITE_INTEGER: {
        const auto end = std::to_chars(number.data(), number.data() + number.size(),
                                       static_cast<long long>(sqlite3_column_int64(statement, i)))
                             .ptr;
        buffer_ += 'i';
        buffer_.append(number.data(), end);
        buffer_ += ';';
        break;
      }
      case SQLITE_FLOAT: {
        // Shortest text that reads back as the same double.
        const auto end = std::to_chars(number.data(), number.data() + number.size(),
                                       sqlite3_column_double(statement, i))
                             .ptr;
        buffer_ += 'f';
        buffer_.append(number.data(), end);
        buffer_ += ';';
        break;
      }
      default: {  // TEXT or BLOB: length-prefixed, so no value can imitate a separator
        const bool text = type == SQLITE_TEXT;
        const void* bytes = text ? static_cast<const void*>(sqlite3_column_text(statement, i))
                                 : sqlite3_column_blob(statement, i);
        const int size = sqlite3_column_bytes(statement, i);
        buffer_ += text ? 't' : 'b';
        buffer_ += std::to_string(size);
        buffer_ += ':';
        if (size > 0) {
          buffer_.append(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
        }
        break;
      }
    }
  }
  buffer_ += '\n';
  sha_.update(buffer_);
  ++rows_;
}

void RowDigest::reset() {
  sha_.reset();
  rows_ = 0;
}

StateDigest RowDigest::finish() {
  return {rows_, sha_.hex_digest()};
}

StateDigester::StateDigester(SQLite::Database& db) : db_(db) {}
StateDigester::~StateDigester() = default;

StateDigest StateDigester::digest(std::string_view kind_name, const std::string& id) {
  const StateKind* kind = find_kind(kind_name);
  if (kind == nullptr) throw std::logic_error("not a state kind: " + std::string(kind_name));
  auto& prepared = statements_[std::string(kind_name)];
  if (prepared.empty()) {
    for (const auto query : kind->queries)
      prepared.push_back(std::make_unique<RowCursor>(db_, query));
  }
  RowDigest digest;
  for (auto& query : prepared) {
    bind_id(*query, *kind, id);
    while (query->step())
      digest.add_row(query->raw());
  }
  return digest.finish();
}

void for_each_stored_object(
    SQLite::Database& db,
    const std::function<void(std::string_view, const std::string&, const StateDigest&)>& visit) {
  for (const auto& kind : state_kinds()) {
    if (kind.scan.empty()) continue;
    RowCursor rows(db, kind.scan);
    std::string id;
    RowDigest digest;
    while (rows.step()) {
      id.assign(rows.text(0));
      digest.reset();
      digest.add_row(rows.raw(), 1);
      visit(kind.name, id, digest.finish());
    }
  }
}

std::vector<std::pair<std::string, StateDigest>> digest_all_imports(SQLite::Database& db) {
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
      digest_of(batches.integer(0)).add_row(batches.raw());
  }
  RowCursor observations(db, kAllObservations);
  std::int64_t last_id = -1;
  RowDigest* last = nullptr;
  while (observations.step()) {
    const std::int64_t id = observations.integer(0);
    if (id != last_id) {
      last = &digest_of(id);
      last_id = id;
    }
    last->add_row(observations.raw(), 1);
  }
  std::vector<std::pair<std::string, StateDigest>> result;
  result.reserve(digests.size());
  for (auto& [id, digest] : digests)
    result.emplace_back(std::to_string(id), digest->finish());
  return result;
}

}  // namespace zielwerk::storage
