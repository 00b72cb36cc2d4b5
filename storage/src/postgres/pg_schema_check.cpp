#include "pg_schema_check.h"

#include <map>
#include <regex>
#include <set>
#include <string>

#include "pg_migrations.h"

namespace zielwerk::storage::pg {
namespace {

// pg_trigger.tgtype's bits.
constexpr int kRow = 1;
constexpr int kBefore = 2;
constexpr int kInsert = 4;
constexpr int kDelete = 8;
constexpr int kUpdate = 16;
constexpr int kTruncate = 32;

struct ExpectedTrigger {
  std::string table;
  std::string function;
  int type;
};

// What the migrations create, read from their own text, so nothing is
// written down twice: the tables, the functions' bodies (between their $$)
// and the triggers.
struct Expected {
  std::set<std::string> tables;
  std::map<std::string, std::string> functions;  // name -> body
  std::map<std::string, ExpectedTrigger> triggers;
};

const Expected& expected() {
  static const Expected schema = [] {
    Expected out;
    std::string all;
    for (const auto step : migrations())
      all += step;
    const std::regex table(R"(CREATE TABLE (\w+))");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), table);
         it != std::sregex_iterator(); ++it) {
      out.tables.insert((*it)[1]);
    }
    const std::regex function(R"(CREATE FUNCTION (\w+)\([^$]*\$\$([\s\S]*?)\$\$)");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), function);
         it != std::sregex_iterator(); ++it) {
      out.functions[(*it)[1]] = (*it)[2];
    }
    const std::regex trigger(
        R"(CREATE TRIGGER (\w+) BEFORE ([A-Z ]+?) ON (\w+)\s+FOR EACH (ROW|STATEMENT) EXECUTE FUNCTION (\w+)\(\))");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), trigger);
         it != std::sregex_iterator(); ++it) {
      const std::string events = (*it)[2];
      int type = kBefore | ((*it)[4] == "ROW" ? kRow : 0);
      if (events.find("INSERT") != std::string::npos) type |= kInsert;
      if (events.find("UPDATE") != std::string::npos) type |= kUpdate;
      if (events.find("DELETE") != std::string::npos) type |= kDelete;
      if (events.find("TRUNCATE") != std::string::npos) type |= kTruncate;
      out.triggers[(*it)[1]] = {(*it)[3], (*it)[5], type};
    }
    return out;
  }();
  return schema;
}

SchemaObject trigger_object(const std::string& name, const std::string& table) {
  return {"trigger", name, table, std::nullopt};
}

std::vector<SchemaFinding> check_triggers(Connection& connection, bool first_only) {
  const Expected& schema = expected();
  const Rows rows = connection.query(
      "SELECT c.relname, t.tgname, p.proname, t.tgtype, t.tgenabled, t.tgqual IS NOT NULL, "
      "t.tgattr::text "
      "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
      "WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY t.tgname");
  std::vector<SchemaFinding> findings;
  std::set<std::string> seen;
  for (int row = 0; row < rows.rows(); ++row) {
    const std::string table(rows.text(row, 0));
    const std::string name(rows.text(row, 1));
    const auto found = schema.triggers.find(name);
    const bool ours_table = schema.tables.count(table) > 0;
    if (found == schema.triggers.end() || found->second.table != table) {
      if (!ours_table) continue;  // a table of someone else's in the same schema
      findings.push_back(
          {SchemaFinding::Kind::foreign, trigger_object(name, table),
           "the database has a trigger zielwerk did not create: " + name + " on " + table});
    } else {
      seen.insert(name);
      const ExpectedTrigger& want = found->second;
      const bool same = rows.text(row, 2) == want.function && rows.integer(row, 3) == want.type &&
                        rows.text(row, 4) == "O" && rows.integer(row, 5) == 0 &&
                        rows.text(row, 6).empty();
      if (!same) {
        findings.push_back({SchemaFinding::Kind::altered, trigger_object(name, table),
                            "the trigger " + name + " on " + table +
                                " is not as zielwerk created it (its events, function, "
                                "condition or state differ)"});
      }
    }
    if (first_only && !findings.empty()) return findings;
  }
  if (first_only) return findings;
  for (const auto& [name, want] : schema.triggers) {
    if (seen.count(name) == 0) {
      findings.push_back(
          {SchemaFinding::Kind::missing, trigger_object(name, want.table),
           "the trigger " + name + " on " + want.table + " that zielwerk created is missing"});
    }
  }
  return findings;
}

}  // namespace

std::optional<SchemaFinding> first_foreign_trigger(Connection& connection) {
  auto findings = check_triggers(connection, true);
  if (findings.empty()) return std::nullopt;
  return std::move(findings.front());
}

std::vector<SchemaFinding> check_schema(Connection& connection) {
  const Expected& schema = expected();
  std::vector<SchemaFinding> findings = check_triggers(connection, false);
  // The functions the triggers and policies call.
  const Rows functions = connection.query(
      "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "WHERE n.nspname = current_schema()");
  std::map<std::string, std::string> bodies;
  for (int row = 0; row < functions.rows(); ++row)
    bodies[std::string(functions.text(row, 0))] = std::string(functions.text(row, 1));
  for (const auto& [name, body] : schema.functions) {
    const auto found = bodies.find(name);
    if (found == bodies.end()) {
      findings.push_back({SchemaFinding::Kind::missing,
                          {"function", name, "", std::nullopt},
                          "the function " + name + " that zielwerk created is missing"});
    } else if (found->second != body) {
      findings.push_back({SchemaFinding::Kind::altered,
                          {"function", name, "", found->second},
                          "the function " + name + " is not as zielwerk created it"});
    }
  }
  // Row-level security on every table that holds an agreement's rows.
  const Rows tables = connection.query(
      "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
      "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid "
      " AND p.polname IN (c.relname || '_of_its_agreement', c.relname || '_read_by_the_region')), "
      "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
      "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
      "AND a.attname = 'agreement' AND NOT a.attisdropped) "
      "AND c.relname NOT IN ('zielwerk_tenant', 'zielwerk_agreement') ORDER BY c.relname");
  for (int row = 0; row < tables.rows(); ++row) {
    const std::string name(tables.text(row, 0));
    if (schema.tables.count(name) == 0) continue;
    if (tables.integer(row, 1) == 0 || tables.integer(row, 2) == 0 || tables.integer(row, 3) != 2 ||
        tables.integer(row, 4) != 2) {
      findings.push_back({SchemaFinding::Kind::altered,
                          {"table", name, name, std::nullopt},
                          "the table " + name +
                              " does not keep agreements apart as zielwerk set it up "
                              "(row-level security off, not forced, or its policies changed)"});
    }
  }
  return findings;
}

}  // namespace zielwerk::storage::pg
