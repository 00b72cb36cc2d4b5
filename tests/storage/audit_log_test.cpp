#include "zielwerk/storage/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/proofs/merkle.h"
#include "zielwerk/storage/audit_line.h"
#include "zielwerk/storage/audit_tree.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/observation_store.h"

namespace zielwerk::storage {
namespace {

using zielwerk::testing::at;
using zielwerk::testing::exec_raw;
using zielwerk::testing::query_raw;
using zielwerk::testing::TempDir;

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
  }

  std::filesystem::path path() const { return dir_.path() / "zielwerk.db"; }
  Database& db() { return *database_; }

  static AuditEvent event(const char* operation, const char* time = "2025-07-01T08:00:00Z") {
    AuditEvent e;
    e.recorded_at = at(time);
    e.actor = "fallmanager";
    e.operation = operation;
    e.rule_set_version = "v1";
    return e;
  }

  std::int64_t append(const AuditEvent& e) {
    std::int64_t seq = 0;
    const Status status = db().write([&]() -> Status {
      seq = append_audit_record(db(), e);
      return Ok{};
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return seq;
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

// ---- Database::write --------------------------------------------------------

using DatabaseWriteTest = StorageTest;

TEST_F(DatabaseWriteTest, CommitsWhenTheWorkReturnsOk) {
  const Status status = db().write([&]() -> Status {
    EXPECT_TRUE(db().in_write_transaction());
    db().set_meta("agreement", "me-aktiv-2025");
    append_audit_record(db(), event("project.init"));
    return Ok{};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_FALSE(db().in_write_transaction());
  EXPECT_EQ(db().meta("agreement"), "me-aktiv-2025");
  EXPECT_EQ(read_audit_records(db()).size(), 1u);
  // Committed: another connection sees it.
  EXPECT_EQ(query_raw(path(), "SELECT value FROM project_meta WHERE key = 'agreement'"),
            "me-aktiv-2025");
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_record"), "1");
}

TEST_F(DatabaseWriteTest, SetMetaReplacesAValue) {
  ASSERT_TRUE(db().write([&]() -> Status {
                    db().set_meta("agreement", "a");
                    db().set_meta("agreement", "b");
                    return Ok{};
                  })
                  .ok());
  EXPECT_EQ(db().meta("agreement"), "b");
  EXPECT_EQ(db().meta("unknown"), std::nullopt);
}

TEST_F(DatabaseWriteTest, RollsBackWhenTheWorkReturnsAnError) {
  const Status status = db().write([&]() -> Status {
    db().set_meta("agreement", "me-aktiv-2025");
    append_audit_record(db(), event("project.init"));
    return Error::invalid_input("obs.csv has errors");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(status.error().message, "obs.csv has errors");
  EXPECT_FALSE(db().in_write_transaction());
  EXPECT_EQ(db().meta("agreement"), std::nullopt);
  EXPECT_TRUE(read_audit_records(db()).empty());
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_record"), "0");
  // The next write starts from a clean state and numbers from 1 again.
  EXPECT_EQ(append(event("project.init")), 1);
}

TEST_F(DatabaseWriteTest, RollsBackAndRethrowsWhenTheWorkThrows) {
  EXPECT_THROW(db().write([&]() -> Status {
    db().set_meta("agreement", "me-aktiv-2025");
    append_audit_record(db(), event("project.init"));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(db().in_write_transaction());
  EXPECT_EQ(db().meta("agreement"), std::nullopt);
  EXPECT_TRUE(read_audit_records(db()).empty());
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM project_meta WHERE key <> 'instance'"), "0");
  EXPECT_EQ(append(event("project.init")), 1);
}

TEST_F(DatabaseWriteTest, ASqliteFailureIsAStorageErrorAndRollsBack) {
  const Status status = db().write([&]() -> Status {
    db().set_meta("agreement", "x");
    const std::int64_t seq = append_audit_record(db(), event("milestone.done"));
    const MilestoneRecord record{
        "q1",          "konzept", std::chrono::year{2025} / 6 / 30, at("2025-07-01T08:00:00Z"),
        "fallmanager", seq};
    insert_milestone_record(db(), record);
    insert_milestone_record(db(), record);  // the same milestone twice: a constraint fails
    return Ok{};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::storage);
  EXPECT_NE(status.error().message.find("nothing was changed"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(db().meta("agreement"), std::nullopt);
  EXPECT_TRUE(read_audit_records(db()).empty());
  EXPECT_TRUE(load_milestone_records(db(), std::nullopt).empty());
}

TEST_F(DatabaseWriteTest, IsNotReentrant) {
  EXPECT_THROW(db().write([&]() -> Status {
    db().set_meta("agreement", "x");
    return db().write([] { return Status(Ok{}); });
  }),
               std::logic_error);
  EXPECT_FALSE(db().in_write_transaction());
  EXPECT_EQ(db().meta("agreement"), std::nullopt);
}

TEST_F(DatabaseWriteTest, WritersOutsideWriteThrowLogicError) {
  EXPECT_THROW(db().set_meta("agreement", "x"), std::logic_error);
  EXPECT_THROW(append_audit_record(db(), event("project.init")), std::logic_error);
  EXPECT_THROW(ObservationWriter(db(), ImportFile{"obs.csv", "", at("2025-07-01T08:00:00Z"), "a"}),
               std::logic_error);
  EXPECT_THROW(insert_milestone_record(
                   db(), MilestoneRecord{"q1", "konzept", std::chrono::year{2025} / 6 / 30,
                                         at("2025-07-01T08:00:00Z"), "a", 1}),
               std::logic_error);
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM project_meta WHERE key <> 'instance'"), "0");
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_record"), "0");
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM import_batch"), "0");
}

// ---- Audit trail ------------------------------------------------------------

using AuditLogTest = StorageTest;

TEST_F(AuditLogTest, RecordsAreNumberedAndHashChained) {
  EXPECT_EQ(append(event("project.init", "2025-07-01T08:00:00Z")), 1);
  EXPECT_EQ(append(event("observations.import", "2025-07-01T08:05:00Z")), 2);
  EXPECT_EQ(append(event("milestone.done", "2025-07-02T09:30:00.250Z")), 3);

  const auto records = read_audit_records(db());
  ASSERT_EQ(records.size(), 3u);
  std::string previous(kGenesisHash);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const AuditRecord& record = records[i];
    EXPECT_EQ(record.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(record.previous_hash, previous);
    EXPECT_EQ(record.hash, audit_chain_hash(previous, record.payload));
    EXPECT_EQ(record.hash, sha256_hex(previous + "\n" + record.payload));
    EXPECT_EQ(record.hash.size(), 64u);
    previous = record.hash;
  }
  EXPECT_EQ(records[0].operation, "project.init");
  EXPECT_EQ(records[1].operation, "observations.import");
  EXPECT_EQ(records[2].operation, "milestone.done");
  EXPECT_EQ(records[2].recorded_at, at("2025-07-02T09:30:00.250Z"));
  EXPECT_EQ(records[2].actor, "fallmanager");
  EXPECT_EQ(records[2].rule_set_version, "v1");
  EXPECT_EQ(kGenesisHash, std::string(64, '0'));
}

// The record's bytes, its Merkle leaf, are the export's line: nlohmann's
// dump of {seq, previous_hash, hash, payload}, byte for byte, whatever the
// payload holds.
TEST_F(AuditLogTest, TheRecordLineIsTheExportLineByteForByte) {
  std::string every_byte;
  for (int byte = 1; byte < 0x80; ++byte)
    every_byte.push_back(static_cast<char>(byte));
  for (const std::string& payload :
       {std::string(R"({"actor":"a","details":{"title":"Maßnahme \"Teilzeit\" – 50 €"}})"),
        every_byte, std::string("\\\"\n\t\r\b\f\x01\x1f\x7f"), std::string("a\0b", 3),
        std::string()}) {
    AuditRecord record;
    record.seq = 123456789;
    record.previous_hash = std::string(64, '0');
    record.hash = sha256_hex(payload);
    record.payload = payload;
    const nlohmann::json expected = {{"seq", record.seq},
                                     {"previous_hash", record.previous_hash},
                                     {"hash", record.hash},
                                     {"payload", record.payload}};
    EXPECT_EQ(audit_line(record), expected.dump()) << payload;
  }
}

// Each record appends its leaf to the stored Merkle tree in its own write:
// the stored root is the root of the records' lines, and proofs hold.
TEST_F(AuditLogTest, EveryRecordExtendsTheStoredMerkleTree) {
  proofs::TreeBuilder tree;
  for (int i = 0; i < 13; ++i) {
    append(event("observations.import", "2025-07-01T08:05:00Z"));
    const auto records = read_audit_records(db());
    tree.add(proofs::leaf_hash(audit_line(records.back())));
    const auto root = audit_tree_root(db(), tree.size());
    ASSERT_TRUE(root.ok()) << root.error().message;
    EXPECT_EQ(root.value(), tree.root()) << "after record " << i + 1;
  }
  const auto records = read_audit_records(db());
  const auto root = audit_tree_root(db(), 13).value();
  for (std::int64_t index = 0; index < 13; ++index) {
    const auto proof = audit_inclusion_proof(db(), 13, index);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proofs::check_inclusion(
        proof.value(), 13, root, index,
        proofs::leaf_hash(audit_line(records[static_cast<std::size_t>(index)]))));
  }
  const auto old_root = audit_tree_root(db(), 5).value();
  const auto consistency = audit_consistency_proof(db(), 13, 5);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(proofs::check_consistency(consistency.value(), 13, root, 5, old_root));
  EXPECT_FALSE(audit_tree_root(db(), 14).ok());  // no such tree yet
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_tree"),
            std::to_string(proofs::stored_hash_count(13)));
}

// A database from before the tree (schema 7) gets it computed from its
// records when it is opened, and a random identity of its own.
TEST_F(AuditLogTest, ADatabaseFromBeforeTheTreeGetsItsTree) {
  for (int i = 0; i < 6; ++i)
    append(event("observations.import"));
  const auto root = audit_tree_root(db(), 6).value();
  const auto instance = db().meta("instance");
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->size(), 32u);
  database_.reset();
  ASSERT_EQ(exec_raw(path(),
                     "DROP TABLE audit_tree; DELETE FROM project_meta WHERE key = 'instance'; "
                     "ALTER TABLE observation DROP COLUMN missing; PRAGMA user_version = 7"),
            "");
  auto reopened = Database::open(path());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(audit_tree_root(*reopened.value(), 6).value(), root);
  const auto new_instance = reopened.value()->meta("instance");
  ASSERT_TRUE(new_instance.has_value());
  EXPECT_NE(*new_instance, *instance);
}

TEST_F(AuditLogTest, PayloadIsCanonicalJsonWithSortedKeys) {
  AuditEvent e = event("observations.import", "2025-07-01T08:00:00Z");
  // Listed in any order and twice: the payload has them sorted, each once.
  e.objects = {{"workflow", "ba"}, {"goal", "iq-frauen"}, {"workflow", "ba"}};
  e.rule_set_version = "3f2a";
  e.file_hash = "ab12";
  e.details_json = R"({"rows_read": 3, "added": 2, "file": "obs.csv"})";
  const std::string expected =
      R"({"actor":"fallmanager","details":{"added":2,"file":"obs.csv","rows_read":3},)"
      R"("file_hash":"ab12","objects":[{"id":"iq-frauen","kind":"goal"},{"id":"ba","kind":"workflow"}],)"
      R"("operation":"observations.import","recorded_at":"2025-07-01T08:00:00.000Z",)"
      R"("rule_set_version":"3f2a","seq":1})";
  EXPECT_EQ(audit_payload(1, e), expected);
  // Exactly what a JSON library writes for the same object.
  EXPECT_EQ(nlohmann::json::parse(expected).dump(), expected);

  EXPECT_EQ(append(e), 1);
  const auto records = read_audit_records(db());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].payload, expected);
  EXPECT_EQ(records[0].hash, sha256_hex(std::string(64, '0') + "\n" + expected));
  EXPECT_EQ(query_raw(path(),
                      "SELECT group_concat(kind || ':' || object_id, ' ') FROM "
                      "(SELECT * FROM audit_object ORDER BY kind)"),
            "goal:iq-frauen workflow:ba");
}

TEST_F(AuditLogTest, RecordsTheDigestOfEachStateObjectAsItIsAfterTheChange) {
  AuditEvent e = event("milestone.done");
  e.objects = {{"milestone", "kdu/konzept"}, {"goal", "kdu"}};
  ASSERT_TRUE(db().write([&]() -> Status {
                    insert_milestone_record(db(), {"kdu",
                                                   "konzept",
                                                   {},
                                                   at("2025-07-01T08:00:00Z"),
                                                   "fallmanager",
                                                   next_audit_seq(db())});
                    EXPECT_EQ(append_audit_record(db(), e), 1);
                    return Ok{};
                  })
                  .ok());
  const auto payload = nlohmann::json::parse(read_audit_records(db()).at(0).payload);
  const auto& objects = payload.at("objects");
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_FALSE(objects[0].contains("sha256"));  // a goal lives in the rule files
  EXPECT_EQ(objects[1].at("kind"), "milestone");
  EXPECT_EQ(objects[1].at("rows"), 1);
  EXPECT_EQ(objects[1].at("sha256").get<std::string>().size(), 64u);
  EXPECT_EQ(payload.dump(), read_audit_records(db()).at(0).payload);
  EXPECT_EQ(query_raw(path(),
                      "SELECT rows || ' ' || length(sha256) FROM audit_object "
                      "WHERE kind = 'milestone'"),
            "1 64");

  // An object of a state kind that has no rows is recorded as such.
  AuditEvent gone = event("review.close");
  gone.objects = {{"review", "ba/2025-06"}};
  append(gone);
  EXPECT_EQ(
      nlohmann::json::parse(read_audit_records(db()).at(1).payload).at("objects")[0].at("sha256"),
      sha256_hex(""));
}

TEST_F(AuditLogTest, PayloadKeepsUtf8AndEscapesQuotes) {
  AuditEvent e = event("milestone.done");
  e.actor = "Jürgen \"JM\" Müller";
  e.details_json = "{}";
  EXPECT_EQ(audit_payload(4, e),
            R"({"actor":"Jürgen \"JM\" Müller","details":{},"file_hash":"","objects":[],)"
            R"("operation":"milestone.done","recorded_at":"2025-07-01T08:00:00.000Z",)"
            R"("rule_set_version":"v1","seq":4})");
}

TEST_F(AuditLogTest, DetailsMustBeAJsonObject) {
  AuditEvent e = event("project.init");
  e.details_json = "[1, 2]";
  EXPECT_THROW(audit_payload(1, e), std::invalid_argument);
  e.details_json = "42";
  EXPECT_THROW(audit_payload(1, e), std::invalid_argument);
  e.details_json = "{not json";
  EXPECT_THROW(audit_payload(1, e), std::invalid_argument);
  e.details_json = "";
  EXPECT_THROW(audit_payload(1, e), std::invalid_argument);
}

TEST_F(AuditLogTest, ReadsAfterASeqWithALimit) {
  for (int i = 0; i < 5; ++i)
    append(event("project.init"));
  auto records = read_audit_records(db(), 2, 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].seq, 3);
  EXPECT_EQ(records[1].seq, 4);
  EXPECT_EQ(read_audit_records(db(), 5).size(), 0u);
  EXPECT_EQ(read_audit_records(db(), 0).size(), 5u);
}

TEST_F(AuditLogTest, TheDatabaseRefusesUpdateAndDelete) {
  AuditEvent e = event("observations.import");
  e.objects = {{"import", "1"}};
  append(e);
  append(event("milestone.done"));
  const auto before = read_audit_records(db());
  database_.reset();  // only the plain C API touches the file now

  const std::string refused = "the audit trail is append-only";
  EXPECT_EQ(exec_raw(path(), "UPDATE audit_record SET actor = 'someone else' WHERE seq = 1"),
            refused);
  EXPECT_EQ(exec_raw(path(), "UPDATE audit_record SET payload = '{}'"), refused);
  EXPECT_EQ(exec_raw(path(), "DELETE FROM audit_record WHERE seq = 2"), refused);
  EXPECT_EQ(exec_raw(path(), "DELETE FROM audit_record"), refused);
  // REPLACE deletes without firing DELETE triggers; a BEFORE INSERT trigger catches it.
  EXPECT_EQ(exec_raw(path(),
                     "INSERT OR REPLACE INTO audit_record SELECT seq, recorded_at, 'x', "
                     "operation, rule_set_version, payload, previous_hash, hash "
                     "FROM audit_record WHERE seq = 1"),
            refused);
  EXPECT_EQ(exec_raw(path(), "UPDATE audit_object SET object_id = '2'"), refused);
  EXPECT_EQ(exec_raw(path(), "DELETE FROM audit_object"), refused);

  auto reopened = Database::open(path());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  const auto after = read_audit_records(*reopened.value());
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].payload, before[i].payload);
    EXPECT_EQ(after[i].hash, before[i].hash);
  }
  EXPECT_EQ(query_raw(path(), "SELECT count(*) FROM audit_object"), "1");
}

// ---- Milestone records --------------------------------------------------------

using MilestoneStoreTest = StorageTest;

TEST_F(MilestoneStoreTest, InsertsAndLoadsWithKnownAt) {
  const auto record = [](const char* goal, const char* milestone,
                         std::chrono::year_month_day done_on, Timestamp recorded_at,
                         std::int64_t seq) {
    return MilestoneRecord{goal, milestone, done_on, recorded_at, "fallmanager", seq};
  };
  ASSERT_TRUE(db().write([&]() -> Status {
                    const auto seq = append_audit_record(db(), event("milestone.done"));
                    insert_milestone_record(
                        db(), record("q2", "umsetzung", std::chrono::year{2025} / 6 / 20,
                                     at("2025-07-01T08:00:00Z"), seq));
                    insert_milestone_record(
                        db(), record("q1", "konzept", std::chrono::year{2025} / 5 / 31,
                                     at("2025-07-01T08:00:00Z"), seq));
                    return Ok{};
                  })
                  .ok());
  ASSERT_TRUE(db().write([&]() -> Status {
                    const auto seq = append_audit_record(db(), event("milestone.done"));
                    insert_milestone_record(db(),
                                            record("q2", "konzept", std::chrono::year{2025} / 3 / 1,
                                                   at("2025-08-15T12:00:00Z"), seq));
                    return Ok{};
                  })
                  .ok());

  const auto all = load_milestone_records(db(), std::nullopt);
  ASSERT_EQ(all.size(), 3u);
  // By goal, then done date.
  EXPECT_EQ(all[0].goal, "q1");
  EXPECT_EQ(all[0].milestone, "konzept");
  EXPECT_EQ(all[0].done_on, std::chrono::year{2025} / 5 / 31);
  EXPECT_EQ(all[0].recorded_at, at("2025-07-01T08:00:00Z"));
  EXPECT_EQ(all[0].actor, "fallmanager");
  EXPECT_EQ(all[0].audit_seq, 1);
  EXPECT_EQ(all[1].goal, "q2");
  EXPECT_EQ(all[1].milestone, "konzept");
  EXPECT_EQ(all[1].audit_seq, 2);
  EXPECT_EQ(all[2].milestone, "umsetzung");

  EXPECT_TRUE(load_milestone_records(db(), at("2025-07-01T07:59:59.999Z")).empty());
  EXPECT_EQ(load_milestone_records(db(), at("2025-07-01T08:00:00Z")).size(), 2u);  // inclusive
  EXPECT_EQ(load_milestone_records(db(), at("2025-08-15T11:59:59Z")).size(), 2u);
  EXPECT_EQ(load_milestone_records(db(), at("2025-08-15T12:00:00Z")).size(), 3u);
}

TEST_F(MilestoneStoreTest, ARecordNeedsItsAuditRecord) {
  const Status status = db().write([&]() -> Status {
    insert_milestone_record(db(), MilestoneRecord{"q1", "konzept", std::chrono::year{2025} / 5 / 31,
                                                  at("2025-07-01T08:00:00Z"), "fallmanager", 99});
    return Ok{};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::storage);
  EXPECT_TRUE(load_milestone_records(db(), std::nullopt).empty());
}

}  // namespace
}  // namespace zielwerk::storage
