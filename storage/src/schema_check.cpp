#include "schema_check.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <string_view>
#include <tuple>
#include <utility>

#include "migrations.h"

namespace zielwerk::storage {
namespace {

// An object is known by its type and name: triggers have a namespace of their
// own in SQLite, so a trigger may share its name with a table.
using SchemaKey = std::pair<std::string, std::string>;
using Schema = std::map<SchemaKey, SchemaObject>;

constexpr std::string_view kAutoindexPrefix = "sqlite_autoindex_";

Schema read_schema(SQLite::Database& db, std::string_view only_type = {}) {
  SQLite::Statement query(db, only_type.empty()
                                  ? "SELECT type, name, tbl_name, sql FROM sqlite_schema"
                                  : "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                    "WHERE type = ?");
  if (!only_type.empty()) query.bind(1, std::string(only_type));
  Schema schema;
  while (query.executeStep()) {
    SchemaObject object{query.getColumn(0).getString(), query.getColumn(1).getString(),
                        query.getColumn(2).getString(), std::nullopt};
    if (!query.getColumn(3).isNull()) object.sql = query.getColumn(3).getString();
    SchemaKey key{object.type, object.name};
    schema.emplace(std::move(key), std::move(object));
  }
  return schema;
}

// What the first `version` migrations leave in an empty database: run once
// per process and version (the current one in practice), on a private
// in-memory database, so the list of migrations is never written down twice.
const Schema& expected_schema(int version) {
  static std::mutex mutex;
  static std::map<int, Schema> by_version;
  const std::scoped_lock lock(mutex);
  const auto found = by_version.find(version);
  if (found != by_version.end()) return found->second;
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  const auto& steps = migrations();
  const auto count = std::min(static_cast<std::size_t>(std::max(version, 0)), steps.size());
  for (std::size_t step = 0; step < count; ++step)
    db.exec(std::string(steps[step]));
  return by_version.emplace(version, read_schema(db)).first->second;
}

int schema_version_of(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

// SQLite's statistics (ANALYZE, PRAGMA optimize) describe the data, not the
// schema: any database may have them.
bool is_statistics(const SchemaObject& object) {
  return object.type == "table" && object.name.starts_with("sqlite_stat");
}

bool is_autoindex(const SchemaObject& object) {
  return object.type == "index" && !object.sql && object.name.starts_with(kAutoindexPrefix);
}

std::string describe(const SchemaObject& object) {
  std::string text = object.type + " " + object.name;
  if (object.type == "index" || object.type == "trigger") text += " on " + object.table;
  return text;
}

// `text` for a message: runs of white space (the migrations' indentation)
// as one space.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The part of `text` around [begin, end): a little context on either side,
// the differing part shortened when long.
std::string excerpt(std::string_view text, std::size_t begin, std::size_t end) {
  constexpr std::size_t kContext = 24;
  constexpr std::size_t kLongest = 80;
  const std::size_t from = begin > kContext ? begin - kContext : 0;
  const std::size_t to = std::min(text.size(), end + kContext);
  std::string out = from > 0 ? "…" : "";
  if (to - from > kLongest + 2 * kContext) {
    out += one_line(text.substr(from, kContext + kLongest)) + " … " +
           one_line(text.substr(to - kContext, kContext));
  } else {
    out += one_line(text.substr(from, to - from));
  }
  if (to < text.size()) out += "…";
  return out;
}

// How the stored SQL of an object differs from the expected: the first and
// last differing characters bound the part shown of each.
std::string sql_difference(const std::optional<std::string>& found,
                           const std::optional<std::string>& expected) {
  if (!found) return "it has no SQL where zielwerk's migrations create one";
  if (!expected) return "it has SQL where zielwerk's migrations create none";
  const std::string_view a = *found;
  const std::string_view b = *expected;
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
    ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  return "its SQL reads `" + excerpt(a, prefix, a.size() - suffix) +
         "` where zielwerk's migrations create `" + excerpt(b, prefix, b.size() - suffix) + "`";
}

SchemaFinding foreign(const SchemaObject& object) {
  const std::string article = object.type == "index" ? "an " : "a ";
  std::string message =
      "the database has " + article + object.type + " zielwerk did not create: " + object.name;
  if (object.type == "index" || object.type == "trigger") message += " on " + object.table;
  if (object.type == "trigger") {
    message += " (it runs inside zielwerk's own writes and may change what they store)";
  }
  return {SchemaFinding::Kind::foreign, object, std::move(message)};
}

SchemaFinding missing(const SchemaObject& object) {
  return {
      SchemaFinding::Kind::missing, object,
      "the " + describe(object) + " that zielwerk's migrations create is missing (it was dropped)"};
}

// Found under a name the migrations use, but defined otherwise.
std::optional<SchemaFinding> altered(const SchemaObject& object, const SchemaObject& expected) {
  std::string difference;
  if (object.table != expected.table) {
    difference =
        "it is on " + object.table + " where zielwerk's migrations put it on " + expected.table;
  } else if (object.sql != expected.sql) {
    difference = sql_difference(object.sql, expected.sql);
  } else {
    return std::nullopt;
  }
  return SchemaFinding{SchemaFinding::Kind::altered, object,
                       "the " + describe(object) + " is not as zielwerk created it: " + difference};
}

}  // namespace

std::vector<SchemaFinding> check_schema(SQLite::Database& db) {
  const Schema& expected = expected_schema(schema_version_of(db));
  const Schema found = read_schema(db);
  auto expected_table = [&](const std::string& name) { return expected.contains({"table", name}); };
  std::vector<SchemaFinding> findings;
  for (const auto& [key, object] : found) {
    if (is_statistics(object)) continue;
    const auto match = expected.find(key);
    if (match == expected.end()) {
      // An automatic index is made by a constraint of its table: one of a
      // foreign table is part of that table's finding.
      if (is_autoindex(object) && !expected_table(object.table)) continue;
      findings.push_back(foreign(object));
    } else if (auto difference = altered(object, match->second)) {
      findings.push_back(std::move(*difference));
    }
  }
  for (const auto& [key, object] : expected) {
    if (!found.contains(key)) findings.push_back(missing(object));
  }
  std::stable_sort(
      findings.begin(), findings.end(), [](const SchemaFinding& a, const SchemaFinding& b) {
        return std::tie(a.object.type, a.object.name) < std::tie(b.object.type, b.object.name);
      });
  return findings;
}

std::optional<SchemaFinding> first_foreign_trigger(SQLite::Database& db) {
  const Schema& expected = expected_schema(schema_version_of(db));
  for (const auto& [key, trigger] : read_schema(db, "trigger")) {
    const auto match = expected.find(key);
    if (match == expected.end()) return foreign(trigger);
    if (auto difference = altered(trigger, match->second)) return difference;
  }
  return std::nullopt;
}

}  // namespace zielwerk::storage
