// Verifying the audit trail of a realistic small database: untouched it
// passes; every way a tamperer with the sqlite3 tool can edit the closed file
// (records, the object index, the state tables, the triggers, a consistent
// rewrite of the chain) is reported, naming the record to blame.
#include "zielwerk/storage/audit_verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/proofs/merkle.h"
#include "zielwerk/storage/audit_line.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/observation_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::storage {
namespace {

using zielwerk::testing::at;
using zielwerk::testing::exec_raw;
using zielwerk::testing::query_raw;
using zielwerk::testing::TempDir;

// The append-only triggers as storage/src/migrations.cpp creates them, to put
// one back after a tampering that needed it out of the way. Read from a new
// database: verification compares a trigger's SQL byte for byte with what the
// migrations store.
const std::map<std::string, std::string>& trigger_sql() {
  static const std::map<std::string, std::string> sql = [] {
    const TempDir dir;
    const auto file = dir.path() / "new.db";
    EXPECT_TRUE(Database::open(file).ok());
    std::map<std::string, std::string> found;
    for (const std::string table : {"audit_record", "audit_object", "audit_tree"}) {
      for (const std::string operation : {"replace", "update", "delete"}) {
        const std::string name = table + "_is_append_only_" + operation;
        found[name] = query_raw(file,
                                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' "
                                "AND name = '" +
                                    name + "'") +
                      ";";
        EXPECT_TRUE(found[name].starts_with("CREATE TRIGGER " + name)) << found[name];
      }
    }
    return found;
  }();
  return sql;
}

// `sql` run with the trigger `name` dropped, which is put back afterwards, so
// verification sees only what `sql` did.
std::string past_trigger(const std::string& name, const std::string& sql) {
  return "DROP TRIGGER " + name + "; " + sql + "; " + trigger_sql().at(name);
}

// `text` as an SQL string literal.
std::string sql_text(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// `text` with its only occurrence of `from` replaced by `to`.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto position = text.find(from);
  EXPECT_NE(position, std::string::npos) << from << " in " << text;
  EXPECT_EQ(text.find(from, position + 1), std::string::npos) << from << " twice in " << text;
  if (position != std::string::npos) text.replace(position, from.size(), to);
  return text;
}

std::string describe(const AuditVerification& verification) {
  std::string out = std::to_string(verification.records) + " records, head " +
                    std::to_string(verification.head.seq) + ", problems:";
  for (const auto& problem : verification.problems)
    out += "\n  " + std::to_string(problem.seq) + ": " + problem.message;
  return out;
}

::testing::AssertionResult has_problem(const AuditVerification& verification, std::size_t index,
                                       std::int64_t seq,
                                       const std::vector<std::string_view>& phrases) {
  if (index >= verification.problems.size()) {
    return ::testing::AssertionFailure()
           << "no problem " << index << " in " << describe(verification);
  }
  const AuditProblem& problem = verification.problems[index];
  if (problem.seq != seq) {
    return ::testing::AssertionFailure() << "problem " << index << " names record " << problem.seq
                                         << ", not " << seq << " in " << describe(verification);
  }
  for (const auto phrase : phrases) {
    if (problem.message.find(phrase) == std::string::npos) {
      return ::testing::AssertionFailure() << "problem " << index << " does not say \"" << phrase
                                           << "\" in " << describe(verification);
    }
  }
  return ::testing::AssertionSuccess();
}

// The database every test starts from: each change in its own write() with
// its audit record, as the engine writes them.
//
//   1 observations.import  import 1 (3 observations, two series of region "",
//                           one of region 05315)
//   2 milestone.done       goal kdu, milestone kdu/konzept
//   3 review.prepare       review ba/2025-06, workflow ba       <- checkpoint `early_`
//   4 review.record        review ba/2025-06, review_entry 1 and 2
//   5 measure.add          measure 1, goal iq-frauen, review ba/2025-06
//   6 measure.update       measure 1, measure_followup 1 (a note), goal iq-frauen
//   7 measure.update       measure 1, measure_followup 2 (agreed -> in_progress), goal
//   8 escalation.raise     escalation 1, goal iq-frauen, workflow ba
class AuditVerifyTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kRecords = 8;

  void SetUp() override {
    {
      auto opened = Database::open(built());
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      database_ = std::move(opened.value());
    }
    build();
    if (HasFatalFailure()) return;
    records_ = read_audit_records(*database_);
    head_ = audit_head(*database_);
    database_.reset();  // only the plain C API touches the file from here on
    fresh_copy(path());
  }

  std::filesystem::path built() const { return dir_.path() / "built.db"; }
  std::filesystem::path path() const { return dir_.path() / "zielwerk.db"; }

  // A copy of the database as built, for a test that tampers more than once.
  void fresh_copy(const std::filesystem::path& target) const {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(target.string() + suffix);
    ASSERT_FALSE(std::filesystem::exists(built().string() + "-wal"))
        << "closing the database leaves its WAL behind; the copy would miss changes";
    std::filesystem::copy_file(built(), target);
  }

  static AuditEvent event(const char* operation, const char* time, const char* actor,
                          std::vector<AuditObject> objects, std::string details = "{}") {
    AuditEvent e;
    e.recorded_at = at(time);
    e.actor = actor;
    e.operation = operation;
    e.objects = std::move(objects);
    e.rule_set_version = "3f2a9c";
    e.details_json = std::move(details);
    return e;
  }

  // One change in one write: `change` writes the rows (naming record `seq`)
  // and returns the event that lists what it touched.
  void step(const std::function<AuditEvent(std::int64_t seq)>& change) {
    Database& db = *database_;
    const Status status = db.write([&]() -> Status {
      const std::int64_t seq = next_audit_seq(db);
      const AuditEvent e = change(seq);
      EXPECT_EQ(append_audit_record(db, e), seq);
      return Ok{};
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  void build() {
    Database& db = *database_;
    const std::string file_hash = sha256_hex("Kennzahl;Region;Monat;Wert\n...");
    step([&](std::int64_t) {
      ObservationWriter writer(db, {"juni.csv", "", at("2025-07-01T08:00:00Z"), "statistik"});
      ImportCounts counts;
      const auto row = [&](const char* metric, const char* region, double value,
                           std::int64_t line) {
        ObservationWriter::Conflict conflict;
        EXPECT_EQ(writer.write(metric, region, YearMonth(2025, 6), value, "BA", line, conflict),
                  WriteOutcome::added);
        ++counts.rows_read;
        ++counts.added;
      };
      row("elb", "", 10154, 2);
      row("lzb", "", 3001.5, 3);
      row("elb", "05315", 812, 4);
      writer.set_file_hash(file_hash);
      const auto id = writer.finish(counts);
      EXPECT_EQ(id, 1);
      AuditEvent e = event("observations.import", "2025-07-01T08:00:00Z", "statistik",
                           {{"import", std::to_string(id.value_or(0))}},
                           R"({"added":3,"file":"juni.csv","revised":0,"rows_read":3,)"
                           R"("unchanged":0})");
      e.file_hash = file_hash;
      return e;
    });
    step([&](std::int64_t seq) {
      insert_milestone_record(db, {"kdu", "konzept", std::chrono::year{2025} / 6 / 30,
                                   at("2025-07-02T09:00:00Z"), "fallmanager", seq});
      return event("milestone.done", "2025-07-02T09:00:00Z", "fallmanager",
                   {{"goal", "kdu"}, {"milestone", "kdu/konzept"}},
                   R"({"done_on":"2025-06-30","goal":"kdu","milestone":"konzept"})");
    });
    step([&](std::int64_t seq) {
      ReviewRecord review;
      review.id = "ba/2025-06";
      review.workflow = "ba";
      review.period = YearMonth(2025, 6);
      review.meeting_date = parse_date("2025-07-08");
      review.starts_at = at("2025-07-08T08:00:00Z");
      review.prepared_at = at("2025-07-03T06:00:00Z");
      review.prepared_by = "zielwerk-dienst";
      review.rule_set_version = "3f2a9c";
      review.figures_known_at = at("2025-07-01T08:00:00Z");
      review.snapshot_json = R"({"evaluation":{"iq-frauen":"behind"}})";
      review.agenda_json = R"({"goals":["iq-frauen"]})";
      review.audit_seq = seq;
      insert_review(db, review);
      return event("review.prepare", "2025-07-03T06:00:00Z", "zielwerk-dienst",
                   {{"review", "ba/2025-06"}, {"workflow", "ba"}}, R"({"review":"ba/2025-06"})");
    });
    early_ = audit_head(db);
    step([&](std::int64_t seq) {
      std::vector<AuditObject> objects = {{"review", "ba/2025-06"}};
      for (const auto& [kind, text] :
           {std::pair{domain::EntryKind::attendance, "Frau Albers (JC)"},
            std::pair{domain::EntryKind::decision, "Aktivierung vereinbaren"}}) {
        domain::ReviewEntry entry;
        entry.review_id = "ba/2025-06";
        entry.kind = kind;
        entry.text = text;
        entry.recorded_at = at("2025-07-08T11:00:00Z");
        entry.actor = "controlling-jc";
        entry.audit_seq = seq;
        objects.push_back({"review_entry", std::to_string(insert_review_entry(db, entry))});
      }
      return event("review.record", "2025-07-08T11:00:00Z", "controlling-jc", objects,
                   R"({"decisions":["Aktivierung vereinbaren"],"review":"ba/2025-06"})");
    });
    domain::Measure measure;
    step([&](std::int64_t) {
      measure.goal = "iq-frauen";
      measure.review_id = "ba/2025-06";
      measure.title = "Aktivierung";
      measure.owner_party = "jobcenter";
      measure.assignee = "Teamleitung";
      measure.due_on = std::chrono::year{2025} / 7 / 31;
      measure.created_at = at("2025-07-08T11:05:00Z");
      measure.created_by = "controlling-jc";
      measure.updated_at = measure.created_at;
      measure.id = insert_measure(db, measure);
      return event("measure.add", "2025-07-08T11:05:00Z", "controlling-jc",
                   {{"measure", std::to_string(measure.id)},
                    {"goal", "iq-frauen"},
                    {"review", "ba/2025-06"}},
                   R"({"goal":"iq-frauen","measure":1,"title":"Aktivierung"})");
    });
    const auto follow_up = [&](std::int64_t seq, const char* time, const char* note,
                               const char* changes) {
      measure.updated_at = at(time);
      update_measure(db, measure);
      FollowUpRecord entry;
      entry.measure_id = measure.id;
      entry.recorded_at = at(time);
      entry.actor = "teamleitung";
      entry.status = measure.status;
      entry.note = note;
      entry.changes_json = changes;
      entry.audit_seq = seq;
      return event("measure.update", time, "teamleitung",
                   {{"measure", std::to_string(measure.id)},
                    {"measure_followup", std::to_string(insert_measure_follow_up(db, entry))},
                    {"goal", "iq-frauen"}},
                   R"({"changes":{},"measure":1})");
    };
    step([&](std::int64_t seq) {
      return follow_up(seq, "2025-07-20T10:00:00Z", "Termin mit der Agentur steht", "{}");
    });
    step([&](std::int64_t seq) {
      measure.status = domain::MeasureStatus::in_progress;
      return follow_up(seq, "2025-08-05T09:00:00Z", "begonnen",
                       R"({"status":["agreed","in_progress"]})");
    });
    step([&](std::int64_t seq) {
      EscalationRecord escalation;
      escalation.kind = domain::EscalationKind::measure_overdue;
      escalation.subject = "measure/1/due/2025-07-31";
      escalation.workflow = "ba";
      escalation.goal = "iq-frauen";
      escalation.measure_id = measure.id;
      escalation.party = "agentur";
      escalation.facts_json = R"({"due":"2025-08-01"})";
      escalation.raised_at = at("2025-08-10T06:00:00Z");
      escalation.audit_seq = seq;
      const auto id = insert_escalation(db, escalation);
      EXPECT_EQ(id, 1);
      return event("escalation.raise", "2025-08-10T06:00:00Z", "zielwerk-dienst",
                   {{"escalation", std::to_string(id.value_or(0))},
                    {"goal", "iq-frauen"},
                    {"workflow", "ba"}},
                   R"({"escalation":1,"subject":"measure/1/due/2025-07-31"})");
    });
  }

  void tamper(const std::string& sql) { ASSERT_EQ(exec_raw(path(), sql), "") << sql; }

  // The Merkle tree recomputed from the records as they are now, and stored
  // in place of zielwerk's: what someone who rewrites the chain would do.
  void rewrite_tree() {
    std::vector<AuditRecord> now;
    {
      auto opened = Database::open(path());
      ASSERT_TRUE(opened.ok());
      now = read_audit_records(*opened.value());
    }
    std::vector<proofs::Hash> stored;
    const proofs::HashReader read = [&](const std::vector<std::int64_t>& indexes) {
      std::vector<proofs::Hash> hashes;
      for (const auto index : indexes)
        hashes.push_back(stored.at(static_cast<std::size_t>(index)));
      return Result<std::vector<proofs::Hash>>(hashes);
    };
    std::string sql = "DELETE FROM audit_tree; ";
    for (std::size_t n = 0; n < now.size(); ++n) {
      const auto hashes = proofs::hashes_for_leaf(static_cast<std::int64_t>(n),
                                                  proofs::leaf_hash(audit_line(now[n])), read);
      ASSERT_TRUE(hashes.ok());
      for (const auto& hash : hashes.value()) {
        sql += "INSERT INTO audit_tree VALUES (" + std::to_string(stored.size()) + ", X'" +
               proofs::to_hex(hash) + "'); ";
        stored.push_back(hash);
      }
    }
    tamper(past_trigger("audit_tree_is_append_only_delete", sql));
  }

  // The tree checkpoint of the first `size` records as built.
  TreeCheckpoint tree_of_first(std::int64_t size) const {
    proofs::TreeBuilder tree;
    for (std::int64_t seq = 1; seq <= size; ++seq)
      tree.add(proofs::leaf_hash(audit_line(record(seq))));
    return {size, tree.root()};
  }

  AuditVerification verify_tree(const TreeCheckpoint& against) {
    auto opened = Database::open(path());
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().message;
      return {};
    }
    return verify_audit_trail(*opened.value(), std::nullopt, against);
  }

  AuditVerification verify(const std::optional<AuditCheckpoint>& against = std::nullopt) {
    return verify_at(path(), against);
  }

  static AuditVerification verify_at(const std::filesystem::path& file,
                                     const std::optional<AuditCheckpoint>& against) {
    auto opened = Database::open(file);
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().message;
      return {};
    }
    return verify_audit_trail(*opened.value(), against);
  }

  const AuditRecord& record(std::int64_t seq) const {
    return records_.at(static_cast<std::size_t>(seq - 1));
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
  std::vector<AuditRecord> records_;  // as built
  AuditCheckpoint early_;             // the head after record 3
  AuditCheckpoint head_;              // the head as built
};

// ---- Untouched ----------------------------------------------------------------

TEST_F(AuditVerifyTest, AnUntouchedDatabasePasses) {
  ASSERT_EQ(records_.size(), static_cast<std::size_t>(kRecords));
  // The fixture is what the table above says: every state object has its digest.
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_object WHERE sha256 IS NOT NULL"), "13");
  EXPECT_EQ(query_raw(path(), "SELECT rows FROM audit_object WHERE kind = 'import'"), "4");
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM observation"), "3");
  EXPECT_EQ(query_raw(path(), "SELECT status FROM measure WHERE id = 1"), "in_progress");
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM measure_followup"), "2");

  const auto verification = verify();
  EXPECT_TRUE(verification.ok()) << describe(verification);
  EXPECT_EQ(verification.records, kRecords);
  EXPECT_EQ(verification.head.seq, head_.seq);
  EXPECT_EQ(verification.head.hash, head_.hash);
  EXPECT_EQ(head_.seq, kRecords);
  EXPECT_EQ(head_.hash, record(kRecords).hash);
}

// The digest a record keeps for an import is part of the file format: the
// records of every database written so far hold it. Recomputed here from the
// rows as storage/src/audit_state.h defines it (the import_batch row, then the
// observations joined with their series in key order, every value tagged
// with its type), through the plain C API.
TEST_F(AuditVerifyTest, AnImportsDigestIsItsRowsAsTheFormatDefinesIt) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string bytes;
  std::int64_t rows = 0;
  const auto encode = [&](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, sql, -1, &statement, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        switch (sqlite3_column_type(statement, i)) {
          case SQLITE_NULL:
            bytes += 'n';
            break;
          case SQLITE_INTEGER:
            bytes += 'i' + std::to_string(sqlite3_column_int64(statement, i)) + ';';
            break;
          case SQLITE_FLOAT: {
            char number[32];
            const auto end =
                std::to_chars(number, number + sizeof number, sqlite3_column_double(statement, i))
                    .ptr;
            bytes += 'f' + std::string(number, end) + ';';
            break;
          }
          default:
            bytes += 't' + std::to_string(sqlite3_column_bytes(statement, i)) + ':' +
                     reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
        }
      }
      bytes += '\n';
      ++rows;
    }
    sqlite3_finalize(statement);
  };
  encode(
      "SELECT id, imported_at, actor, file_name, file_hash, rows_read, added, revised, unchanged "
      "FROM import_batch WHERE id = 1");
  encode(
      "SELECT o.period, s.metric, s.region, o.revision, o.value, o.source, o.line "
      "FROM observation o JOIN series s ON s.id = o.series_id WHERE o.import_id = 1 "
      "ORDER BY o.period, o.series_id, o.revision");
  sqlite3_close(raw);
  EXPECT_EQ(rows, 4);
  EXPECT_NE(bytes.find("f3001.5;t2:BA"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("t3:elbt5:05315"), std::string::npos) << bytes;
  EXPECT_EQ(query_raw(path(),
                      "SELECT rows || ' ' || sha256 FROM audit_object "
                      "WHERE kind = 'import' AND object_id = '1'"),
            "4 " + sha256_hex(bytes));
}

TEST_F(AuditVerifyTest, AnEmptyTrailPasses) {
  const auto empty = dir_.path() / "empty.db";
  auto verification = verify_at(empty, std::nullopt);
  EXPECT_TRUE(verification.ok()) << describe(verification);
  EXPECT_EQ(verification.records, 0);
  EXPECT_EQ(verification.head.seq, 0);
  EXPECT_EQ(verification.head.hash, std::string(64, '0'));

  verification = verify_at(empty, AuditCheckpoint{0, std::string(kGenesisHash)});
  EXPECT_TRUE(verification.ok()) << describe(verification);
  // A checkpoint of a trail that had records: they are gone.
  verification = verify_at(empty, head_);
  EXPECT_TRUE(
      has_problem(verification, 0, 0, {"names record 8", "ends at record 0", "were removed"}));
}

// ---- Records altered ------------------------------------------------------------

TEST_F(AuditVerifyTest, AnAlteredPayloadByteBreaksTheHash) {
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET payload = replace(payload, '\"rows_read\":3', "
                      "'\"rows_read\":4') WHERE seq = 1"));
  ASSERT_EQ(query_raw(path(), "SELECT length(payload) FROM audit_record WHERE seq = 1"),
            std::to_string(record(1).payload.size()));  // one byte differs, nothing else

  const auto verification = verify();
  EXPECT_FALSE(verification.ok());
  EXPECT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 1, {"record 1", "hash does not match", "altered"}));
  // The record after it still names the stored hash: only record 1 is to blame.
  EXPECT_EQ(verification.records, kRecords);
}

TEST_F(AuditVerifyTest, RecordProblemsComeBeforeAMissingTrigger) {
  // The tamperer did not put the trigger back.
  tamper(
      "DROP TRIGGER audit_record_is_append_only_update; "
      "UPDATE audit_record SET payload = replace(payload, '\"done_on\":\"2025-06-30\"', "
      "'\"done_on\":\"2025-06-20\"') WHERE seq = 2");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 2u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 2, {"record 2", "hash does not match"}));
  EXPECT_TRUE(has_problem(verification, 1, 0,
                          {"audit_record_is_append_only_update", "missing", "dropped"}));
}

TEST_F(AuditVerifyTest, AnAlteredActorColumnDiffersFromThePayload) {
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET actor = 'geschaeftsfuehrung' WHERE seq = 5"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 5, {"record 5", "columns", "differ from its payload"}));
}

TEST_F(AuditVerifyTest, AnAlteredOperationColumnDiffersFromThePayload) {
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET operation = 'measure.drop' WHERE seq = 6"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(
      has_problem(verification, 0, 6, {"record 6", "differ from its payload", "operation"}));
}

TEST_F(AuditVerifyTest, AnAlteredTimeColumnDiffersFromThePayload) {
  ASSERT_EQ(query_raw(path(), "SELECT recorded_at FROM audit_record WHERE seq = 3"),
            "2025-07-03T06:00:00.000Z");
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET recorded_at = '2025-07-03T05:59:59.000Z' "
                      "WHERE seq = 3"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 3, {"record 3", "differ from its payload", "time"}));
}

TEST_F(AuditVerifyTest, AnAlteredRuleSetVersionColumnDiffersFromThePayload) {
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET rule_set_version = 'ffffff' WHERE seq = 7"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 7, {"record 7", "rule-set version"}));
}

// ---- Records deleted, inserted, reordered -----------------------------------------

TEST_F(AuditVerifyTest, TheLastRecordDeletedWithItsIndexRowsLeavesItsRowsUncovered) {
  tamper(past_trigger("audit_object_is_append_only_delete",
                      past_trigger("audit_record_is_append_only_delete",
                                   "DELETE FROM audit_record WHERE seq = 8; "
                                   "DELETE FROM audit_object WHERE seq = 8")));
  auto verification = verify();
  EXPECT_EQ(verification.records, kRecords - 1);
  EXPECT_EQ(verification.head.seq, 7);
  EXPECT_EQ(verification.head.hash, record(7).hash);
  // The chain itself ends cleanly; the stored tree still has the record's
  // leaf, and the escalation the record described shows it.
  ASSERT_EQ(verification.problems.size(), 2u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0, {"stored Merkle tree", "not the tree"}));
  EXPECT_TRUE(has_problem(verification, 1, 0,
                          {"escalation 1", "no audit record covers it", "outside zielwerk"}));

  // A checkpoint of the head names the removed record.
  verification = verify(head_);
  ASSERT_EQ(verification.problems.size(), 2u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the checkpoint names record 8", "ends at record 7", "removed"}));
  EXPECT_TRUE(has_problem(verification, 1, 0, {"escalation 1"}));

  // With the tree cut as well, only a signed tree checkpoint tells.
  rewrite_tree();
  verification = verify_tree(tree_of_first(kRecords));
  EXPECT_TRUE(has_problem(verification, 0, 0, {"covers 8 records", "the trail has 7", "cut off"}))
      << describe(verification);
}

TEST_F(AuditVerifyTest, TheLastRecordDeletedAloneLeavesItsIndexRowsBehind) {
  tamper(
      past_trigger("audit_record_is_append_only_delete", "DELETE FROM audit_record WHERE seq = 8"));
  const auto verification = verify();
  EXPECT_EQ(verification.records, kRecords - 1);
  EXPECT_FALSE(verification.ok());
  EXPECT_TRUE(
      has_problem(verification, 0, 8, {"record 8", "object index names a record that does not"}));
  ASSERT_FALSE(verification.problems.empty());
  EXPECT_TRUE(has_problem(verification, verification.problems.size() - 1, 0,
                          {"escalation 1", "no audit record covers it"}));
}

TEST_F(AuditVerifyTest, AMiddleRecordDeletedBreaksTheChainAtTheNext) {
  tamper(past_trigger("audit_object_is_append_only_delete",
                      past_trigger("audit_record_is_append_only_delete",
                                   "DELETE FROM audit_record WHERE seq = 4; "
                                   "DELETE FROM audit_object WHERE seq = 4")));
  const auto verification = verify();
  EXPECT_EQ(verification.records, kRecords - 1);
  ASSERT_EQ(verification.problems.size(), 4u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 5, {"record 5", "record 4 is missing"}));
  EXPECT_TRUE(has_problem(verification, 1, 5, {"record 5", "previous hash", "deleted"}));
  // The minutes it recorded have no record now.
  EXPECT_TRUE(has_problem(verification, 2, 0, {"review_entry 1", "no audit record covers it"}));
  EXPECT_TRUE(has_problem(verification, 3, 0, {"review_entry 2", "no audit record covers it"}));
}

TEST_F(AuditVerifyTest, TheFirstRecordDeletedIsMissing) {
  tamper(past_trigger("audit_object_is_append_only_delete",
                      past_trigger("audit_record_is_append_only_delete",
                                   "DELETE FROM audit_record WHERE seq = 1; "
                                   "DELETE FROM audit_object WHERE seq = 1")));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 3u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 2, {"record 2", "record 1 is missing"}));
  EXPECT_TRUE(has_problem(verification, 1, 2, {"record 2", "previous hash"}));
  EXPECT_TRUE(has_problem(verification, 2, 0, {"import 1", "no audit record covers it"}));
}

TEST_F(AuditVerifyTest, AForgedRecordWithAWrongPreviousHashIsReported) {
  // Well formed and hashed correctly, but chained onto record 7, not 8.
  const AuditEvent forged = event("measure.update", "2025-08-11T07:00:00Z", "teamleitung",
                                  {{"goal", "iq-frauen"}}, R"({"note":"erledigt"})");
  const std::string payload = audit_payload(9, forged);
  const std::string hash = audit_chain_hash(record(7).hash, payload);
  tamper(
      "INSERT INTO audit_record (seq, recorded_at, actor, operation, rule_set_version, payload, "
      "previous_hash, hash) VALUES (9, '2025-08-11T07:00:00.000Z', 'teamleitung', "
      "'measure.update', '3f2a9c', " +
      sql_text(payload) + ", '" + record(7).hash + "', '" + hash +
      "'); INSERT INTO audit_object (seq, kind, object_id) VALUES (9, 'goal', 'iq-frauen')");
  const auto verification = verify();
  EXPECT_EQ(verification.records, kRecords + 1);
  EXPECT_EQ(verification.head.seq, 9);
  EXPECT_EQ(verification.head.hash, hash);
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(
      verification, 0, 9,
      {"record 9", "previous hash is not the hash of the record before it", "inserted"}));
}

TEST_F(AuditVerifyTest, AForgedRecordThatChainsButHasNoIndexRowsIsReported) {
  const AuditEvent forged = event("measure.update", "2025-08-11T07:00:00Z", "teamleitung",
                                  {{"goal", "iq-frauen"}, {"workflow", "ba"}}, "{}");
  const std::string payload = audit_payload(9, forged);
  const std::string hash = sha256_hex(head_.hash + "\n" + payload);
  tamper(
      "INSERT INTO audit_record (seq, recorded_at, actor, operation, rule_set_version, payload, "
      "previous_hash, hash) VALUES (9, '2025-08-11T07:00:00.000Z', 'teamleitung', "
      "'measure.update', '3f2a9c', " +
      sql_text(payload) + ", '" + head_.hash + "', '" + hash + "')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 9, {"record 9", "object index differ"}));
  // An extension of the trail: a checkpoint of the old head does not object.
  EXPECT_EQ(verify(head_).problems.size(), 1u);
}

TEST_F(AuditVerifyTest, ARecordDatedBeforeItsPredecessorIsReported) {
  const AuditEvent forged =
      event("measure.update", "2025-01-02T07:00:00Z", "teamleitung", {}, "{}");
  const std::string payload = audit_payload(9, forged);
  tamper(
      "INSERT INTO audit_record (seq, recorded_at, actor, operation, rule_set_version, payload, "
      "previous_hash, hash) VALUES (9, '2025-01-02T07:00:00.000Z', 'teamleitung', "
      "'measure.update', '3f2a9c', " +
      sql_text(payload) + ", '" + head_.hash + "', '" + audit_chain_hash(head_.hash, payload) +
      "')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 9, {"record 9", "2025-01-02T07:00:00.000Z", "before"}));
}

TEST_F(AuditVerifyTest, ASecondActorSmuggledInAfterTheDetailsIsReported) {
  // The details object closed early and an "actor" key of its own after it:
  // a JSON reader takes the last key, the column says someone else.
  const AuditEvent honest = event("measure.update", "2025-08-11T07:00:00Z", "teamleitung",
                                  {{"goal", "iq-frauen"}}, R"({"note":"x"})");
  std::string payload = audit_payload(9, honest);
  const std::string details = R"({"note":"x"})";
  payload.replace(payload.find(details), details.size(),
                  R"({"note":"x"},"actor":"regionaldirektion","details":{})");
  const std::string hash = sha256_hex(head_.hash + "\n" + payload);
  tamper(
      "INSERT INTO audit_record (seq, recorded_at, actor, operation, rule_set_version, payload, "
      "previous_hash, hash) VALUES (9, '2025-08-11T07:00:00.000Z', 'teamleitung', "
      "'measure.update', '3f2a9c', " +
      sql_text(payload) + ", '" + head_.hash + "', '" + hash +
      "'); INSERT INTO audit_object (seq, kind, object_id) VALUES (9, 'goal', 'iq-frauen')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 9, {"record 9", "differ from its payload"}));
}

TEST_F(AuditVerifyTest, TwoRecordsSwappedAreOutOfChain) {
  tamper(past_trigger("audit_record_is_append_only_update",
                      "UPDATE audit_record SET seq = 100 WHERE seq = 3; "
                      "UPDATE audit_record SET seq = 3 WHERE seq = 4; "
                      "UPDATE audit_record SET seq = 4 WHERE seq = 100"));
  ASSERT_EQ(query_raw(path(), "SELECT operation FROM audit_record WHERE seq = 3"), "review.record");
  const auto verification = verify();
  EXPECT_EQ(verification.records, kRecords);
  EXPECT_FALSE(verification.ok());
  EXPECT_TRUE(has_problem(verification, 0, 3, {"record 3", "previous hash", "reordered"}));
  // Each swapped record and the one after them is to blame, nothing else.
  for (const auto& problem : verification.problems) {
    EXPECT_TRUE(problem.seq >= 3 && problem.seq <= 5) << describe(verification);
  }
  bool next_reported = false;
  for (const auto& problem : verification.problems)
    next_reported = next_reported || (problem.seq == 5 &&
                                      problem.message.find("previous hash") != std::string::npos);
  EXPECT_TRUE(next_reported) << describe(verification);
}

// ---- State tables changed ----------------------------------------------------------

TEST_F(AuditVerifyTest, AMeasureStatusChangedInTheTableNamesItsLastRecord) {
  tamper("UPDATE measure SET status = 'done' WHERE id = 1");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(
      has_problem(verification, 0, 7,
                  {"record 7", "measure 1 was changed after this record", "last audited change"}));
}

TEST_F(AuditVerifyTest, ADeletedReviewEntryNamesItsRecord) {
  tamper("DELETE FROM review_entry WHERE id = 2");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 4, {"record 4", "review_entry 2 was deleted"}));
}

TEST_F(AuditVerifyTest, AMeasureWrittenOutsideZielwerkHasNoRecord) {
  tamper(
      "INSERT INTO measure (id, goal, review_id, title, owner_party, assignee, due_on, status, "
      "created_at, created_by, updated_at) VALUES (2, 'iq-frauen', 'ba/2025-06', 'Nachgetragen', "
      "'jobcenter', 'Teamleitung', '2025-12-31', 'agreed', '2025-07-08T11:05:00.000Z', "
      "'controlling-jc', '2025-07-08T11:05:00.000Z')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"measure 2 is in the database, but no audit record covers it"}));
}

TEST_F(AuditVerifyTest, AChangedObservationValueNamesTheImportRecord) {
  tamper("UPDATE observation SET value = 10155 WHERE line = 2");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 1, {"record 1", "import 1 was changed"}));
}

TEST_F(AuditVerifyTest, ADeletedObservationChangesTheImportsRowCount) {
  tamper("DELETE FROM observation WHERE line = 3");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  // The import_batch row and three observations were recorded.
  EXPECT_TRUE(
      has_problem(verification, 0, 1, {"record 1", "import 1 has 3 rows where the record says 4"}));
}

TEST_F(AuditVerifyTest, AChangedSeriesRegionChangesTheImportsObservations) {
  // The observation rows are untouched; what their series id stands for is not.
  tamper("UPDATE series SET region = '05316' WHERE region = '05315'");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 1, {"record 1", "import 1 was changed"}));
}

TEST_F(AuditVerifyTest, ObservationsOfAnImportWithoutBatchHaveNoRecord) {
  tamper(
      "INSERT INTO observation (series_id, period, revision, value, source, import_id, line) "
      "VALUES (1, 202507, 1, 10200, 'BA', 2, 2)");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0, {"import 2", "no audit record covers it"}));
}

// ---- Object index changed -----------------------------------------------------------

TEST_F(AuditVerifyTest, ADeletedIndexRowDiffersFromThePayload) {
  tamper(past_trigger("audit_object_is_append_only_delete",
                      "DELETE FROM audit_object WHERE seq = 2 AND kind = 'milestone'"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 2u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 2, {"record 2", "object index differ"}));
  // Without its index row no record vouches for the milestone any more.
  EXPECT_TRUE(
      has_problem(verification, 1, 0, {"milestone kdu/konzept", "no audit record covers it"}));
}

TEST_F(AuditVerifyTest, AnAddedIndexRowDiffersFromThePayload) {
  tamper("INSERT INTO audit_object (seq, kind, object_id) VALUES (6, 'goal', 'kdu')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 6, {"record 6", "object index differ"}));
}

TEST_F(AuditVerifyTest, AnIndexRowOfNoRecordIsReported) {
  tamper("INSERT INTO audit_object (seq, kind, object_id) VALUES (20, 'goal', 'kdu')");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 20,
                          {"record 20", "object index names a record that does not exist"}));
}

TEST_F(AuditVerifyTest, AReplacedIndexDigestIsReported) {
  // Past the trigger, as someone editing the file would go.
  tamper(past_trigger("audit_object_is_append_only_update",
                      "UPDATE audit_object SET sha256 = '" + std::string(64, 'a') +
                          "' WHERE seq = 7 AND kind = 'measure'"));
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 2u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 7, {"record 7", "object index differ"}));
  EXPECT_TRUE(has_problem(verification, 1, 7, {"record 7", "measure 1 was changed"}));
}

// INSERT OR REPLACE deletes the row it conflicts with without firing the
// DELETE trigger; since the index has columns outside its key (rows, sha256),
// a trigger of its own refuses it, as for the records.
TEST_F(AuditVerifyTest, TheObjectIndexRefusesInsertOrReplace) {
  EXPECT_EQ(exec_raw(path(),
                     "INSERT OR REPLACE INTO audit_object (seq, kind, object_id, rows, sha256) "
                     "VALUES (7, 'measure', '1', 1, '" +
                         std::string(64, 'a') + "')"),
            "the audit trail is append-only");
  EXPECT_EQ(
      query_raw(path(), "SELECT sha256 FROM audit_object WHERE seq = 7 AND kind = 'measure'"),
      query_raw(built(), "SELECT sha256 FROM audit_object WHERE seq = 7 AND kind = 'measure'"));
}

// ---- Triggers -----------------------------------------------------------------------

TEST_F(AuditVerifyTest, EachDroppedTriggerIsReported) {
  for (const auto& [name, sql] : trigger_sql()) {
    SCOPED_TRACE(name);
    const auto copy = dir_.path() / (name + ".db");
    fresh_copy(copy);
    ASSERT_EQ(exec_raw(copy, "DROP TRIGGER " + name), "");
    const auto verification = verify_at(copy, std::nullopt);
    ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
    EXPECT_TRUE(has_problem(verification, 0, 0,
                            {"the trigger " + name + " on ",
                             "that zielwerk's migrations create is missing", "dropped"}));
  }
  // Put back as migrations.cpp creates them, they pass again.
  std::string all;
  for (const auto& [name, sql] : trigger_sql())
    all += past_trigger(name, "SELECT 1") + " ";
  tamper(all);
  EXPECT_TRUE(verify().ok()) << describe(verify());
}

// ---- Schema -------------------------------------------------------------------------
//
// A trigger changes rows inside zielwerk's own transaction, before the record
// vouches for them: the chain and the digests then agree with the altered
// rows. Only the schema, compared with what the migrations create, shows it.

// The file's bytes, to show that a refused write left it as it was.
std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr const char* kObservationTrigger =
    "CREATE TRIGGER observation_rounding AFTER INSERT ON observation BEGIN "
    "UPDATE observation SET value = NEW.value * 0.9 WHERE period = NEW.period AND "
    "series_id = NEW.series_id AND revision = NEW.revision; END";

// An import, the way the engine writes one: its rows and its record in one write.
Status import_july(Database& db) {
  return db.write([&]() -> Status {
    ObservationWriter writer(db, {"juli.csv", "", at("2025-08-01T08:00:00Z"), "statistik"});
    ObservationWriter::Conflict conflict;
    writer.write("elb", "", YearMonth(2025, 7), 10200, "BA", 2, conflict);
    writer.set_file_hash(std::string(64, 'b'));
    ImportCounts counts;
    counts.rows_read = 1;
    counts.added = 1;
    const auto id = writer.finish(counts);
    AuditEvent e;
    e.recorded_at = at("2025-08-01T08:00:00Z");
    e.actor = "statistik";
    e.operation = "observations.import";
    e.objects = {{"import", std::to_string(id.value_or(0))}};
    e.rule_set_version = "3f2a9c";
    e.details_json = R"({"added":1,"file":"juli.csv"})";
    e.file_hash = std::string(64, 'b');
    append_audit_record(db, e);
    return Ok{};
  });
}

TEST_F(AuditVerifyTest, APlantedObservationTriggerIsFoundAndRefusesEveryWrite) {
  tamper(kObservationTrigger);
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the database has a trigger zielwerk did not create: "
                           "observation_rounding on observation",
                           "may change what they store"}));

  const std::string before = bytes_of(path());
  {
    auto opened = Database::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    Database& db = *opened.value();
    const Status refused = import_july(db);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, ErrorKind::storage);
    for (const std::string_view phrase :
         {std::string_view("zielwerk.db: the database has a trigger zielwerk did not create: "
                           "observation_rounding on observation"),
          std::string_view("run `zielwerk audit verify`"),
          std::string_view("nothing was changed")}) {
      EXPECT_NE(refused.error().message.find(phrase), std::string::npos)
          << phrase << " in " << refused.error().message;
    }
    // Reading goes on, so that an auditor can still look and verify.
    EXPECT_EQ(read_audit_records(db).size(), static_cast<std::size_t>(kRecords));
    EXPECT_EQ(verify_audit_trail(db).problems.size(), 1u);
  }
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM observation"), "3");
  EXPECT_EQ(bytes_of(path()), before);

  // Without the refusal the import would store 9180 for 10200, and the
  // trail would vouch for it: only the schema shows the difference.
  tamper("DROP TRIGGER observation_rounding");
  {
    auto opened = Database::open(path());
    ASSERT_TRUE(opened.ok());
    ASSERT_TRUE(import_july(*opened.value()).ok());
  }
  EXPECT_EQ(query_raw(path(), "SELECT value FROM observation WHERE period = 202507"), "10200.0");
  EXPECT_TRUE(verify().ok()) << describe(verify());
}

TEST_F(AuditVerifyTest, ATriggerPlantedOnMeasureWhileZielwerkRunsRefusesItsNextWrite) {
  auto opened = Database::open(path());
  ASSERT_TRUE(opened.ok());
  Database& db = *opened.value();
  domain::Measure measure = find_measure(db, 1).value();
  measure.assignee = "Team Arbeitgeberservice";
  ASSERT_TRUE(db.write([&]() -> Status {
                  update_measure(db, measure);
                  return Ok{};
                }).ok());
  // Planted by another process between two writes of this connection.
  tamper(
      "CREATE TRIGGER measure_reassigned AFTER UPDATE ON measure BEGIN "
      "UPDATE measure SET owner_party = 'agentur' WHERE id = NEW.id; END");
  measure.assignee = "Teamleitung";
  const Status refused = db.write([&]() -> Status {
    update_measure(db, measure);
    return Ok{};
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("trigger zielwerk did not create: measure_reassigned on "
                                         "measure"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(query_raw(path(), "SELECT assignee || ' ' || owner_party FROM measure WHERE id = 1"),
            "Team Arbeitgeberservice jobcenter");
  const auto verification = verify_audit_trail(db);
  EXPECT_TRUE(has_problem(verification, verification.problems.size() - 1, 0,
                          {"trigger zielwerk did not create: measure_reassigned on measure"}))
      << describe(verification);
}

TEST_F(AuditVerifyTest, AWhenZeroTriggerUnderZielwerksOwnNameIsAlteredAndRefusesWrites) {
  tamper(
      "DROP TRIGGER audit_record_is_append_only_update; "
      "CREATE TRIGGER audit_record_is_append_only_update BEFORE UPDATE ON audit_record WHEN 0 "
      "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");
  // The trail can now be edited in place.
  tamper("UPDATE audit_record SET actor = actor WHERE seq = 1");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the trigger audit_record_is_append_only_update on audit_record is not "
                           "as zielwerk created it",
                           "WHEN 0", "where zielwerk's migrations create `"}));

  auto opened = Database::open(path());
  ASSERT_TRUE(opened.ok());
  const Status refused = import_july(*opened.value());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("trigger audit_record_is_append_only_update on "
                                         "audit_record is not as zielwerk created it"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_record"), std::to_string(kRecords));
}

TEST_F(AuditVerifyTest, AnExtraIndexViewOrTableIsAFindingButNoReasonToRefuseWrites) {
  tamper(
      "CREATE INDEX observation_by_value ON observation (value); "
      "CREATE VIEW measure_overview AS SELECT id, title FROM measure; "
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE)");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 3u) << describe(verification);
  // The table's automatic index (for UNIQUE) is part of the table's finding.
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the database has an index zielwerk did not create: "
                           "observation_by_value on observation"}));
  EXPECT_TRUE(
      has_problem(verification, 1, 0, {"the database has a table zielwerk did not create: notes"}));
  EXPECT_TRUE(has_problem(verification, 2, 0,
                          {"the database has a view zielwerk did not create: measure_overview"}));
  auto opened = Database::open(path());
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(import_july(*opened.value()).ok());
}

TEST_F(AuditVerifyTest, AColumnAddedToATableIsAnAlteredTable) {
  tamper("ALTER TABLE measure ADD COLUMN budget REAL");
  const auto verification = verify();
  const auto says = [](const std::string& message, std::string_view part) {
    return message.find(part) != std::string::npos;
  };
  EXPECT_TRUE(std::ranges::any_of(verification.problems, [&](const AuditProblem& problem) {
    return says(problem.message, "the table measure is not as zielwerk created it") &&
           says(problem.message, "budget REAL");
  })) << describe(verification);
}

TEST_F(AuditVerifyTest, AnIndexMovedOrDroppedIsAFinding) {
  tamper("DROP INDEX measure_by_goal; CREATE INDEX measure_by_goal ON measure_followup (status)");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the index measure_by_goal on measure_followup is not as zielwerk "
                           "created it: it is on measure_followup where zielwerk's migrations put "
                           "it on measure"}));
  tamper("DROP INDEX measure_by_goal");
  EXPECT_TRUE(has_problem(verify(), 0, 0,
                          {"the index measure_by_goal on measure that zielwerk's migrations create "
                           "is missing"}));
}

TEST_F(AuditVerifyTest, SqlitesOwnStatisticsAreNoFinding) {
  tamper("ANALYZE");
  ASSERT_NE(query_raw(path(), "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'"),
            "0");
  EXPECT_TRUE(verify().ok()) << describe(verify());
}

// ---- Rewritten chain and checkpoints ------------------------------------------------

TEST_F(AuditVerifyTest, AConsistentlyRewrittenChainFailsOnlyAgainstACheckpoint) {
  // Record 5 altered, and every hash from it on recomputed as the writer would.
  std::string sql;
  std::string previous = record(4).hash;
  for (std::int64_t seq = 5; seq <= kRecords; ++seq) {
    std::string payload = record(seq).payload;
    if (seq == 5) payload = replaced(payload, R"("title":"Aktivierung")", R"("title":"Beratung")");
    const std::string hash = sha256_hex(previous + "\n" + payload);
    sql += "UPDATE audit_record SET payload = " + sql_text(payload) + ", previous_hash = '" +
           previous + "', hash = '" + hash + "' WHERE seq = " + std::to_string(seq) + "; ";
    previous = hash;
  }
  tamper(past_trigger("audit_record_is_append_only_update", sql));
  ASSERT_NE(query_raw(path(), "SELECT hash FROM audit_record WHERE seq = 8"), head_.hash);
  // The stored tree no longer fits the records ...
  EXPECT_TRUE(has_problem(verify(), 0, 0, {"stored Merkle tree"}));
  // ... so it is rewritten too.
  rewrite_tree();

  // Without a checkpoint the trail cannot tell.
  auto verification = verify();
  EXPECT_TRUE(verification.ok()) << describe(verification);
  EXPECT_EQ(verification.head.seq, kRecords);
  EXPECT_EQ(verification.head.hash, previous);

  // The checkpoint taken before the rewrite names its record.
  verification = verify(head_);
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, kRecords,
                          {"record 8", previous.substr(0, 12), head_.hash.substr(0, 12),
                           "rewritten since the checkpoint"}));

  // A checkpoint of record 6 as well; one from before the altered record does not.
  verification = verify(AuditCheckpoint{6, record(6).hash});
  EXPECT_TRUE(has_problem(verification, 0, 6, {"record 6", "rewritten since the checkpoint"}));
  verification = verify(early_);
  EXPECT_TRUE(verification.ok()) << describe(verification);
}

// A signed checkpoint names the Merkle root of the first records: a chain
// rewritten after it, tree and all, no longer has that root.
TEST_F(AuditVerifyTest, AConsistentRewriteIsFoundAgainstASignedTreeCheckpoint) {
  const TreeCheckpoint signed_at_6 = tree_of_first(6);
  EXPECT_TRUE(verify_tree(signed_at_6).ok()) << describe(verify_tree(signed_at_6));
  EXPECT_TRUE(verify_tree(tree_of_first(kRecords)).ok());
  EXPECT_EQ(verify_tree(tree_of_first(kRecords)).root, tree_of_first(kRecords).root);

  std::string sql;
  std::string previous = record(4).hash;
  for (std::int64_t seq = 5; seq <= kRecords; ++seq) {
    std::string payload = record(seq).payload;
    if (seq == 5) payload = replaced(payload, R"("title":"Aktivierung")", R"("title":"Beratung")");
    const std::string hash = sha256_hex(previous + "\n" + payload);
    sql += "UPDATE audit_record SET payload = " + sql_text(payload) + ", previous_hash = '" +
           previous + "', hash = '" + hash + "' WHERE seq = " + std::to_string(seq) + "; ";
    previous = hash;
  }
  tamper(past_trigger("audit_record_is_append_only_update", sql));
  rewrite_tree();
  ASSERT_TRUE(verify().ok()) << describe(verify());

  const auto verification = verify_tree(signed_at_6);
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(
      has_problem(verification, 0, 0, {"Merkle root of the first 6 records", "rewritten since"}));
  // A checkpoint from before the altered record still holds.
  EXPECT_TRUE(verify_tree(tree_of_first(4)).ok());
}

TEST_F(AuditVerifyTest, ACheckpointOfTheTrailBeforeItGrewPasses) {
  EXPECT_EQ(early_.seq, 3);
  EXPECT_EQ(early_.hash, record(3).hash);
  auto verification = verify(early_);
  EXPECT_TRUE(verification.ok()) << describe(verification);
  verification = verify(head_);
  EXPECT_TRUE(verification.ok()) << describe(verification);
}

TEST_F(AuditVerifyTest, ACheckpointBeyondTheEndFails) {
  const auto verification = verify(AuditCheckpoint{12, std::string(64, 'c')});
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0,
                          {"the checkpoint names record 12", "trail ends at record 8"}));
}

TEST_F(AuditVerifyTest, ACheckpointWithAnotherHashFails) {
  const auto verification = verify(AuditCheckpoint{3, record(4).hash});
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(
      has_problem(verification, 0, 3,
                  {"record 3", "differs from the checkpoint", record(4).hash.substr(0, 12)}));
}

TEST_F(AuditVerifyTest, TheGenesisCheckpointPasses) {
  auto verification = verify(AuditCheckpoint{0, std::string(64, '0')});
  EXPECT_TRUE(verification.ok()) << describe(verification);
  verification = verify(AuditCheckpoint{0, std::string(64, 'f')});
  ASSERT_EQ(verification.problems.size(), 1u) << describe(verification);
  EXPECT_TRUE(has_problem(verification, 0, 0, {"record 0", "other than the trail's start"}));
}

}  // namespace
}  // namespace zielwerk::storage
