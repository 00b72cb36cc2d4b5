// Questions to the audit trail: filters by object, actor, operation and time,
// alone and combined, in both orders with a limit; counts; the head; visiting
// every record in pages; and that the statements the queries prepare are
// answered by an index (EXPLAIN QUERY PLAN).
#include "zielwerk/storage/audit_query.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {
namespace {

using zielwerk::testing::at;
using zielwerk::testing::query_raw;
using zielwerk::testing::TempDir;

using Seqs = std::vector<std::int64_t>;

// One record of the trail the query tests share.
struct Spec {
  const char* time;
  const char* actor;
  const char* operation;
  std::vector<AuditObject> objects;
};

// Four months of a jobcenter's follow-up, record by record (seq = index + 1).
// Note the import and the measure both numbered 1, two records at the same
// time (4 and 3, 15 and 16, 24 and 25), one a millisecond before August (11)
// and one at its first instant (12), and "measures.report", which a
// "measure.*" filter must not take for a measure operation.
const std::vector<Spec>& trail() {
  static const std::vector<Spec> specs = {
      /* 1 */ {"2025-07-01T08:00:00Z", "statistik", "observations.import", {{"import", "1"}}},
      /* 2 */ {"2025-07-01T08:05:00Z", "statistik", "observations.import", {{"import", "2"}}},
      /* 3 */
      {"2025-07-03T06:00:00Z",
       "zielwerk-dienst",
       "review.prepare",
       {{"review", "ba/2025-06"}, {"workflow", "ba"}, {"goal", "iq-frauen"}, {"goal", "kdu"}}},
      /* 4 */
      {"2025-07-03T06:00:00Z",
       "zielwerk-dienst",
       "review.prepare",
       {{"review", "kommunal/2025-06"}, {"workflow", "kommunal"}, {"goal", "kdu"}}},
      /* 5 */
      {"2025-07-08T11:00:00Z",
       "controlling-jc",
       "review.record",
       {{"review", "ba/2025-06"}, {"goal", "iq-frauen"}}},
      /* 6 */
      {"2025-07-08T11:05:00Z",
       "controlling-jc",
       "measure.add",
       {{"measure", "1"}, {"goal", "iq-frauen"}, {"review", "ba/2025-06"}}},
      /* 7 */
      {"2025-07-08T11:10:00Z",
       "controlling-jc",
       "measure.add",
       {{"measure", "2"}, {"goal", "kdu"}, {"review", "ba/2025-06"}}},
      /* 8 */ {"2025-07-08T12:00:00Z", "gf", "review.close", {{"review", "ba/2025-06"}}},
      /* 9 */
      {"2025-07-15T09:00:00Z",
       "teamleitung",
       "measure.update",
       {{"measure", "1"}, {"goal", "iq-frauen"}}},
      /* 10 */
      {"2025-07-20T10:00:00Z",
       "fallmanager",
       "milestone.done",
       {{"goal", "kdu"}, {"milestone", "kdu/konzept"}}},
      /* 11 */
      {"2025-07-31T23:59:59.999Z",
       "teamleitung",
       "measure.update",
       {{"measure", "2"}, {"goal", "kdu"}}},
      /* 12 */
      {"2025-08-01T00:00:00Z",
       "zielwerk-dienst",
       "escalation.raise",
       {{"escalation", "1"}, {"measure", "1"}, {"goal", "iq-frauen"}, {"workflow", "ba"}}},
      /* 13 */ {"2025-08-01T08:00:00Z", "statistik", "observations.import", {{"import", "3"}}},
      /* 14 */
      {"2025-08-03T06:00:00Z",
       "zielwerk-dienst",
       "review.prepare",
       {{"review", "ba/2025-07"}, {"workflow", "ba"}, {"goal", "iq-frauen"}}},
      /* 15 */
      {"2025-08-05T09:00:00Z",
       "teamleitung",
       "measure.update",
       {{"measure", "1"}, {"goal", "iq-frauen"}, {"review", "ba/2025-07"}}},
      /* 16 */
      {"2025-08-05T09:00:00Z",
       "teamleitung",
       "measure.update",
       {{"measure", "2"}, {"goal", "kdu"}, {"review", "ba/2025-07"}}},
      /* 17 */
      {"2025-08-12T11:00:00Z",
       "controlling-jc",
       "review.record",
       {{"review", "ba/2025-07"}, {"goal", "iq-frauen"}}},
      /* 18 */
      {"2025-08-12T11:20:00Z",
       "controlling-jc",
       "measure.add",
       {{"measure", "3"}, {"goal", "iq-frauen"}, {"review", "ba/2025-07"}}},
      /* 19 */ {"2025-08-12T11:30:00Z", "controlling-jc", "measures.report", {{"workflow", "ba"}}},
      /* 20 */ {"2025-08-12T12:00:00Z", "gf", "review.close", {{"review", "ba/2025-07"}}},
      /* 21 */
      {"2025-08-20T10:00:00Z",
       "fallmanager",
       "milestone.done",
       {{"goal", "kdu"}, {"milestone", "kdu/umsetzung"}}},
      /* 22 */ {"2025-09-01T08:00:00Z", "statistik", "observations.import", {{"import", "4"}}},
      /* 23 */ {"2025-09-02T07:00:00Z", "statistik", "observations.import", {{"import", "5"}}},
      /* 24 */
      {"2025-09-03T06:00:00Z",
       "zielwerk-dienst",
       "review.prepare",
       {{"review", "ba/2025-08"}, {"workflow", "ba"}, {"goal", "iq-frauen"}}},
      /* 25 */
      {"2025-09-03T06:00:00Z",
       "zielwerk-dienst",
       "review.prepare",
       {{"review", "kommunal/2025-08"}, {"workflow", "kommunal"}, {"goal", "kdu"}}},
      /* 26 */
      {"2025-09-09T11:00:00Z",
       "controlling-jc",
       "review.record",
       {{"review", "ba/2025-08"}, {"goal", "iq-frauen"}}},
      /* 27 */
      {"2025-09-09T11:10:00Z",
       "controlling-jc",
       "measure.update",
       {{"measure", "1"}, {"goal", "iq-frauen"}, {"review", "ba/2025-08"}}},
      /* 28 */
      {"2025-09-09T11:15:00Z",
       "controlling-jc",
       "measure.update",
       {{"measure", "3"}, {"goal", "iq-frauen"}, {"review", "ba/2025-08"}}},
      /* 29 */
      {"2025-09-10T08:00:00Z",
       "teamleitung",
       "measure.update",
       {{"measure", "2"}, {"goal", "kdu"}}},
      /* 30 */
      {"2025-09-15T12:00:00Z", "gf", "rules.change", {{"rule_set", "v2"}, {"goal", "iq-frauen"}}},
      /* 31 */
      {"2025-09-30T16:00:00Z",
       "teamleitung",
       "measure.update",
       {{"measure", "3"}, {"goal", "iq-frauen"}}},
  };
  return specs;
}

AuditEvent event_of(const Spec& spec) {
  AuditEvent e;
  e.recorded_at = at(spec.time);
  e.actor = spec.actor;
  e.operation = spec.operation;
  e.objects = spec.objects;
  e.rule_set_version = "3f2a9c";
  return e;
}

// What the query should answer, worked out from the specs.
bool matches(const Spec& spec, const AuditQuery& query) {
  for (const auto& wanted : query.objects) {
    if (std::none_of(spec.objects.begin(), spec.objects.end(), [&](const AuditObject& object) {
          return object.kind == wanted.kind && object.id == wanted.id;
        })) {
      return false;
    }
  }
  if (query.actor && *query.actor != spec.actor) return false;
  if (!query.operations.empty() &&
      std::none_of(query.operations.begin(), query.operations.end(), [&](const std::string& op) {
        if (op.size() > 1 && op.ends_with(".*")) {
          return std::string_view(spec.operation).starts_with(op.substr(0, op.size() - 1));
        }
        return op == spec.operation;
      })) {
    return false;
  }
  const Timestamp time = at(spec.time);
  if (query.since && time < *query.since) return false;
  if (query.until && time >= *query.until) return false;
  return true;
}

Seqs expected(const AuditQuery& query, bool apply_limit = true) {
  Seqs seqs;
  for (std::size_t i = 0; i < trail().size(); ++i) {
    if (matches(trail()[i], query)) seqs.push_back(static_cast<std::int64_t>(i + 1));
  }
  if (query.newest_first) std::reverse(seqs.begin(), seqs.end());
  if (apply_limit && static_cast<std::int64_t>(seqs.size()) > query.limit) {
    seqs.resize(static_cast<std::size_t>(std::max<std::int64_t>(query.limit, 0)));
  }
  return seqs;
}

Seqs seqs_of(const std::vector<AuditRecord>& records) {
  Seqs seqs;
  for (const auto& record : records)
    seqs.push_back(record.seq);
  return seqs;
}

AuditQuery by_objects(std::vector<AuditObject> objects) {
  AuditQuery query;
  query.objects = std::move(objects);
  return query;
}

AuditQuery by_actor(std::string actor) {
  AuditQuery query;
  query.actor = std::move(actor);
  return query;
}

AuditQuery by_operations(std::vector<std::string> operations) {
  AuditQuery query;
  query.operations = std::move(operations);
  return query;
}

AuditQuery by_time(const char* since, const char* until) {
  AuditQuery query;
  if (since != nullptr) query.since = at(since);
  if (until != nullptr) query.until = at(until);
  return query;
}

class AuditQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
    for (const Spec& spec : trail()) {
      const Status status = db().write([&]() -> Status {
        append_audit_record(db(), event_of(spec));
        return Ok{};
      });
      ASSERT_TRUE(status.ok()) << status.error().message;
    }
  }

  std::filesystem::path path() const { return dir_.path() / "zielwerk.db"; }
  Database& db() { return *database_; }

  Seqs query(const AuditQuery& q) { return seqs_of(query_audit_records(db(), q)); }

  // The query answers as worked out from the specs, in both orders, with and
  // without a limit, and its count ignores the limit.
  void expect_answers(AuditQuery q) {
    for (const bool newest_first : {true, false}) {
      q.newest_first = newest_first;
      for (const std::int64_t limit : {INT64_MAX, std::int64_t{2}}) {
        q.limit = limit;
        EXPECT_EQ(query(q), expected(q))
            << (newest_first ? "newest first" : "oldest first") << ", limit " << limit;
        EXPECT_EQ(count_audit_records(db(), q),
                  static_cast<std::int64_t>(expected(q, false).size()));
      }
    }
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

// ---- Single filters ---------------------------------------------------------------

TEST_F(AuditQueryTest, ByObject) {
  EXPECT_EQ(query(by_objects({{"goal", "kdu"}})), (Seqs{29, 25, 21, 16, 11, 10, 7, 4, 3}));
  EXPECT_EQ(query(by_objects({{"measure", "1"}})), (Seqs{27, 15, 12, 9, 6}));
  EXPECT_EQ(query(by_objects({{"review", "ba/2025-06"}})), (Seqs{8, 7, 6, 5, 3}));
  // The kind counts: import 1 is not measure 1.
  EXPECT_EQ(query(by_objects({{"import", "1"}})), (Seqs{1}));
  EXPECT_EQ(query(by_objects({{"workflow", "kommunal"}})), (Seqs{25, 4}));
  // A state kind without rows is indexed like any other object.
  EXPECT_EQ(query(by_objects({{"rule_set", "v2"}})), (Seqs{30}));
  EXPECT_EQ(query(by_objects({{"goal", "unknown"}})), Seqs{});
  EXPECT_EQ(query(by_objects({{"goal", "KDU"}})), Seqs{});
  EXPECT_EQ(query(by_objects({{"review", "ba"}})), Seqs{}) << "ids match exactly, not by prefix";
  for (const auto& object : std::vector<AuditObject>{
           {"goal", "iq-frauen"}, {"measure", "2"}, {"measure", "3"}, {"review", "ba/2025-07"}}) {
    SCOPED_TRACE(object.kind + " " + object.id);
    expect_answers(by_objects({object}));
  }
}

TEST_F(AuditQueryTest, SeveralObjectsMustAllBeTouched) {
  EXPECT_EQ(query(by_objects({{"goal", "iq-frauen"}, {"review", "ba/2025-07"}})),
            (Seqs{18, 17, 15, 14}));
  EXPECT_EQ(query(by_objects({{"measure", "1"}, {"review", "ba/2025-08"}})), (Seqs{27}));
  EXPECT_EQ(query(by_objects({{"goal", "kdu"}, {"goal", "iq-frauen"}})), (Seqs{3}));
  EXPECT_EQ(query(by_objects({{"measure", "1"}, {"measure", "2"}})), Seqs{});
  EXPECT_EQ(
      query(by_objects({{"goal", "iq-frauen"}, {"workflow", "ba"}, {"review", "ba/2025-06"}})),
      (Seqs{3}));
  expect_answers(by_objects({{"goal", "kdu"}, {"review", "ba/2025-07"}}));
  expect_answers(by_objects({{"measure", "1"}, {"goal", "iq-frauen"}}));
}

TEST_F(AuditQueryTest, ByActor) {
  EXPECT_EQ(query(by_actor("gf")), (Seqs{30, 20, 8}));
  EXPECT_EQ(query(by_actor("statistik")), (Seqs{23, 22, 13, 2, 1}));
  EXPECT_EQ(query(by_actor("GF")), Seqs{});
  EXPECT_EQ(query(by_actor("")), Seqs{});
  for (const char* actor : {"controlling-jc", "teamleitung", "zielwerk-dienst", "fallmanager"}) {
    SCOPED_TRACE(actor);
    expect_answers(by_actor(actor));
  }
}

TEST_F(AuditQueryTest, ByOperationExactly) {
  EXPECT_EQ(query(by_operations({"measure.add"})), (Seqs{18, 7, 6}));
  EXPECT_EQ(query(by_operations({"review.prepare"})), (Seqs{25, 24, 14, 4, 3}));
  EXPECT_EQ(query(by_operations({"observations.import"})), (Seqs{23, 22, 13, 2, 1}));
  // Not a prefix without ".*".
  EXPECT_EQ(query(by_operations({"measure"})), Seqs{});
  EXPECT_EQ(query(by_operations({"measure."})), Seqs{});
  // Any of several.
  EXPECT_EQ(query(by_operations({"review.record", "measure.add"})), (Seqs{26, 18, 17, 7, 6, 5}));
  expect_answers(by_operations({"measure.update"}));
  expect_answers(by_operations({"review.close", "milestone.done", "rules.change"}));
}

TEST_F(AuditQueryTest, ByOperationPrefix) {
  // measure.add and measure.update, not measures.report or milestone.done.
  EXPECT_EQ(query(by_operations({"measure.*"})), (Seqs{31, 29, 28, 27, 18, 16, 15, 11, 9, 7, 6}));
  EXPECT_EQ(query(by_operations({"review.*"})), (Seqs{26, 25, 24, 20, 17, 14, 8, 5, 4, 3}));
  EXPECT_EQ(query(by_operations({"measures.*"})), (Seqs{19}));
  EXPECT_EQ(query(by_operations({"observation.*"})), Seqs{});
  // A prefix and an exact operation together.
  EXPECT_EQ(query(by_operations({"review.*", "observations.import"})),
            (Seqs{26, 25, 24, 23, 22, 20, 17, 14, 13, 8, 5, 4, 3, 2, 1}));
  expect_answers(by_operations({"measure.*"}));
  expect_answers(by_operations({"measure.*", "escalation.*"}));
  expect_answers(by_operations({"milestone.*", "rules.change", "review.*"}));
}

TEST_F(AuditQueryTest, SinceIsInclusiveUntilExclusive) {
  // Record 12 is at the first instant of August, record 11 a millisecond before.
  EXPECT_EQ(query(by_time("2025-08-01T00:00:00Z", "2025-08-03T06:00:00Z")), (Seqs{13, 12}));
  EXPECT_EQ(query(by_time("2025-07-31T23:59:59.999Z", "2025-08-01T00:00:00Z")), (Seqs{11}));
  EXPECT_EQ(query(by_time("2025-08-01T00:00:00.001Z", nullptr)).back(), 13);
  EXPECT_EQ(query(by_time(nullptr, "2025-07-01T08:05:00Z")), (Seqs{1}));
  EXPECT_EQ(query(by_time("2025-09-30T16:00:00Z", nullptr)), (Seqs{31}));
  EXPECT_EQ(query(by_time("2025-09-30T16:00:00.001Z", nullptr)), Seqs{});
  EXPECT_EQ(query(by_time(nullptr, "2025-07-01T08:00:00Z")), Seqs{});
  // Two records at the same time are both in or both out.
  EXPECT_EQ(query(by_time("2025-08-05T09:00:00Z", "2025-08-12T12:00:00Z")),
            (Seqs{19, 18, 17, 16, 15}));
  EXPECT_EQ(query(by_time("2025-07-03T06:00:00Z", "2025-07-03T06:00:00.001Z")), (Seqs{4, 3}));
  // An empty or reversed range.
  EXPECT_EQ(query(by_time("2025-08-01T00:00:00Z", "2025-08-01T00:00:00Z")), Seqs{});
  EXPECT_EQ(query(by_time("2025-09-01T00:00:00Z", "2025-08-01T00:00:00Z")), Seqs{});
  expect_answers(by_time("2025-08-01T00:00:00Z", nullptr));
  expect_answers(by_time(nullptr, "2025-08-01T00:00:00Z"));
  expect_answers(by_time("2025-07-08T11:05:00Z", "2025-09-09T11:10:00Z"));
}

TEST_F(AuditQueryTest, FiltersCombine) {
  AuditQuery q = by_objects({{"goal", "iq-frauen"}});
  q.actor = "controlling-jc";
  q.operations = {"measure.*"};
  q.since = at("2025-08-01T00:00:00Z");
  EXPECT_EQ(query(q), (Seqs{28, 27, 18}));
  q.until = at("2025-09-09T11:15:00Z");
  EXPECT_EQ(query(q), (Seqs{27, 18}));
  q.objects.push_back({"measure", "3"});
  EXPECT_EQ(query(q), (Seqs{18}));
  q.actor = "teamleitung";
  EXPECT_EQ(query(q), Seqs{});

  // What teamleitung did in August.
  AuditQuery august = by_actor("teamleitung");
  august.since = at("2025-08-01T00:00:00Z");
  august.until = at("2025-09-01T00:00:00Z");
  EXPECT_EQ(query(august), (Seqs{16, 15}));

  // Every combination of a few values of each filter, against the specs.
  const std::vector<std::vector<AuditObject>> objects = {
      {}, {{"goal", "iq-frauen"}}, {{"goal", "kdu"}, {"workflow", "ba"}}, {{"measure", "2"}}};
  const std::vector<std::optional<std::string>> actors = {std::nullopt, "teamleitung",
                                                          "zielwerk-dienst"};
  const std::vector<std::vector<std::string>> operations = {
      {}, {"measure.update"}, {"measure.*", "review.prepare"}};
  const std::vector<std::pair<const char*, const char*>> times = {
      {nullptr, nullptr},
      {"2025-08-01T00:00:00Z", nullptr},
      {nullptr, "2025-08-05T09:00:00Z"},
      {"2025-07-03T06:00:00Z", "2025-09-03T06:00:00Z"}};
  int nonempty = 0;
  for (const auto& o : objects) {
    for (const auto& actor : actors) {
      for (const auto& ops : operations) {
        for (const auto& [since, until] : times) {
          AuditQuery combined = by_time(since, until);
          combined.objects = o;
          combined.actor = actor;
          combined.operations = ops;
          SCOPED_TRACE(std::to_string(o.size()) + " objects, actor " + actor.value_or("-") + ", " +
                       std::to_string(ops.size()) + " operations, since " + (since ? since : "-") +
                       ", until " + (until ? until : "-"));
          expect_answers(combined);
          if (!expected(combined).empty()) ++nonempty;
        }
      }
    }
  }
  EXPECT_GT(nonempty, 40) << "the combinations should mostly find something";
}

// ---- Order, limit, count -------------------------------------------------------------

TEST_F(AuditQueryTest, NewestFirstByDefaultWithALimit) {
  AuditQuery all;
  const Seqs newest = query(all);
  ASSERT_EQ(newest.size(), trail().size());
  EXPECT_TRUE(std::is_sorted(newest.rbegin(), newest.rend()));
  EXPECT_EQ(newest.front(), 31);
  all.limit = 3;
  EXPECT_EQ(query(all), (Seqs{31, 30, 29}));
  all.limit = 1;
  EXPECT_EQ(query(all), (Seqs{31}));
  all.limit = 0;
  EXPECT_EQ(query(all), Seqs{});
  all.limit = 100;
  EXPECT_EQ(query(all), newest);

  AuditQuery measures = by_operations({"measure.*"});
  measures.limit = 2;
  EXPECT_EQ(query(measures), (Seqs{31, 29}));
}

TEST_F(AuditQueryTest, OldestFirst) {
  AuditQuery all;
  all.newest_first = false;
  const Seqs oldest = query(all);
  ASSERT_EQ(oldest.size(), trail().size());
  for (std::size_t i = 0; i < oldest.size(); ++i)
    EXPECT_EQ(oldest[i], static_cast<std::int64_t>(i + 1));
  all.limit = 3;
  EXPECT_EQ(query(all), (Seqs{1, 2, 3}));

  AuditQuery measures = by_operations({"measure.*"});
  measures.newest_first = false;
  measures.limit = 2;
  EXPECT_EQ(query(measures), (Seqs{6, 7}));
}

TEST_F(AuditQueryTest, RecordsComeBackWhole) {
  AuditQuery q = by_objects({{"measure", "2"}});
  q.newest_first = false;
  const auto records = query_audit_records(db(), q);
  const auto stored = read_audit_records(db());
  ASSERT_EQ(seqs_of(records), (Seqs{7, 11, 16, 29}));
  for (const auto& record : records) {
    SCOPED_TRACE(record.seq);
    const AuditRecord& original = stored.at(static_cast<std::size_t>(record.seq - 1));
    EXPECT_EQ(record.recorded_at, original.recorded_at);
    EXPECT_EQ(record.actor, original.actor);
    EXPECT_EQ(record.operation, original.operation);
    EXPECT_EQ(record.rule_set_version, "3f2a9c");
    EXPECT_EQ(record.payload, original.payload);
    EXPECT_EQ(record.previous_hash, original.previous_hash);
    EXPECT_EQ(record.hash, original.hash);
  }
  EXPECT_EQ(records[1].recorded_at, at("2025-07-31T23:59:59.999Z"));
  EXPECT_EQ(records[1].actor, "teamleitung");
  EXPECT_EQ(records[1].operation, "measure.update");
}

TEST_F(AuditQueryTest, CountIgnoresTheLimit) {
  AuditQuery q;
  q.limit = 2;
  EXPECT_EQ(count_audit_records(db(), q), 31);
  q = by_operations({"measure.*"});
  q.limit = 1;
  EXPECT_EQ(count_audit_records(db(), q), 11);
  q.limit = 0;
  EXPECT_EQ(count_audit_records(db(), q), 11);
  q = by_objects({{"goal", "kdu"}});
  q.limit = 3;
  q.newest_first = false;
  EXPECT_EQ(count_audit_records(db(), q), 9);
  EXPECT_EQ(count_audit_records(db(), by_actor("nobody")), 0);
}

TEST_F(AuditQueryTest, TheHeadIsTheLastRecord) {
  const auto records = read_audit_records(db());
  const AuditCheckpoint head = audit_head(db());
  EXPECT_EQ(head.seq, 31);
  EXPECT_EQ(head.hash, records.back().hash);
  EXPECT_EQ(head.hash, query_raw(path(), "SELECT hash FROM audit_record WHERE seq = 31"));
  ASSERT_TRUE(db().write([&]() -> Status {
                    append_audit_record(db(), event_of(trail()[0]));
                    return Ok{};
                  })
                  .ok());
  EXPECT_EQ(audit_head(db()).seq, 32);
  EXPECT_EQ(audit_head(db()).hash,
            sha256_hex(head.hash + "\n" + read_audit_records(db(), 31)[0].payload));
}

// ---- Empty trail and pages -----------------------------------------------------------

class AuditQueryPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(dir_.path() / "zielwerk.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
  }

  // `count` records in one write, a minute apart, with two actors and operations.
  void append(int count) {
    const Status status = database_->write([&]() -> Status {
      for (int i = 0; i < count; ++i) {
        AuditEvent e;
        e.recorded_at = at("2025-01-01T00:00:00Z") + std::chrono::minutes(i);
        e.actor = i % 2 == 0 ? "zielwerk-dienst" : "controlling-jc";
        e.operation = i % 3 == 0 ? "measure.update" : "observations.import";
        e.objects = {{"goal", i % 5 == 0 ? "kdu" : "iq-frauen"}};
        e.rule_set_version = "v1";
        append_audit_record(*database_, e);
      }
      return Ok{};
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  // Every visited record's seq, checking each follows the one before in seq and hash.
  Seqs visit_all() {
    Seqs seqs;
    std::string previous(kGenesisHash);
    for_each_audit_record(*database_, [&](const AuditRecord& record) {
      EXPECT_EQ(record.seq, static_cast<std::int64_t>(seqs.size() + 1));
      EXPECT_EQ(record.previous_hash, previous) << record.seq;
      previous = record.hash;
      seqs.push_back(record.seq);
    });
    return seqs;
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

TEST_F(AuditQueryPagesTest, AnEmptyTrail) {
  const AuditCheckpoint head = audit_head(*database_);
  EXPECT_EQ(head.seq, 0);
  EXPECT_EQ(head.hash, std::string(64, '0'));
  EXPECT_TRUE(query_audit_records(*database_, AuditQuery{}).empty());
  EXPECT_EQ(count_audit_records(*database_, AuditQuery{}), 0);
  EXPECT_EQ(count_audit_records(*database_, by_objects({{"goal", "kdu"}})), 0);
  EXPECT_TRUE(visit_all().empty());
}

TEST_F(AuditQueryPagesTest, ForEachVisitsEveryRecordInOrderAcrossPages) {
  append(4096 + 4096 + 7);
  const Seqs seqs = visit_all();
  ASSERT_EQ(seqs.size(), 8199u);
  EXPECT_EQ(seqs.back(), 8199);
  EXPECT_EQ(audit_head(*database_).seq, 8199);
  EXPECT_EQ(count_audit_records(*database_, AuditQuery{}), 8199);
  // Filters on a larger trail: every fifth record is about kdu, every third a measure update.
  EXPECT_EQ(count_audit_records(*database_, by_objects({{"goal", "kdu"}})), 1640);
  EXPECT_EQ(count_audit_records(*database_, by_operations({"measure.*"})), 2733);
  AuditQuery kdu_updates = by_objects({{"goal", "kdu"}});
  kdu_updates.operations = {"measure.update"};
  kdu_updates.limit = 2;
  EXPECT_EQ(seqs_of(query_audit_records(*database_, kdu_updates)), (Seqs{8191, 8176}));
  EXPECT_EQ(count_audit_records(*database_, kdu_updates), 547);
}

TEST_F(AuditQueryPagesTest, ForEachStopsAtAFullLastPage) {
  append(4096);
  const Seqs seqs = visit_all();
  ASSERT_EQ(seqs.size(), 4096u);
  EXPECT_EQ(seqs.back(), 4096);
  append(1);
  EXPECT_EQ(visit_all().size(), 4097u);
}

// ---- Query plans --------------------------------------------------------------------

// The SQL text of every statement the code under test steps on a connection
// opened while `tracing()` is on: SQLite calls the auto extension for each new
// connection, which installs a trace. So the plans below are those of exactly
// the statements storage/src/audit_query.cpp builds, not of copies.
std::vector<std::string>& traced() {
  static std::vector<std::string> statements;
  return statements;
}
bool& tracing() {
  static bool on = false;
  return on;
}

int on_trace(unsigned type, void*, void*, void* text) {
  if (type == SQLITE_TRACE_STMT && tracing() && text != nullptr) {
    traced().emplace_back(static_cast<const char*>(text));
  }
  return 0;
}

int install_trace(sqlite3* db, char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_trace, nullptr);
  return SQLITE_OK;
}

// The detail lines of EXPLAIN QUERY PLAN for `sql`, through the plain C API
// (query_raw returns only the first column of the first row).
std::vector<std::string> query_plan(const std::filesystem::path& path, const std::string& sql) {
  std::vector<std::string> lines;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &statement, nullptr) ==
        SQLITE_OK) {
      while (sqlite3_step(statement) == SQLITE_ROW) {
        const auto* detail = sqlite3_column_text(statement, 3);
        lines.emplace_back(detail != nullptr ? reinterpret_cast<const char*>(detail) : "");
      }
    } else {
      lines.push_back(std::string("cannot prepare: ") + sqlite3_errmsg(db));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines)
    out += "\n  " + line;
  return out;
}

class AuditQueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(&install_trace));
    auto opened = Database::open(path());
    sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&install_trace));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
    ASSERT_TRUE(database_
                    ->write([&]() -> Status {
                      for (const Spec& spec : trail())
                        append_audit_record(*database_, event_of(spec));
                      return Ok{};
                    })
                    .ok());
  }

  void TearDown() override {
    tracing() = false;
    traced().clear();
  }

  std::filesystem::path path() const { return dir_.path() / "zielwerk.db"; }

  // The statements the query and the count prepare.
  std::vector<std::string> statements_of(const AuditQuery& query) {
    traced().clear();
    tracing() = true;
    const auto records = query_audit_records(*database_, query);
    const auto count = count_audit_records(*database_, query);
    tracing() = false;
    EXPECT_EQ(records.size(), static_cast<std::size_t>(std::min(count, query.limit)));
    EXPECT_EQ(traced().size(), 2u) << joined(traced());
    return traced();
  }

  // Whether each statement of `query` searches with one of `indexes` and
  // scans no table.
  ::testing::AssertionResult answered_by_index(const AuditQuery& query,
                                               const std::vector<std::string_view>& indexes) {
    for (const auto& sql : statements_of(query)) {
      const auto plan = query_plan(path(), sql);
      const auto uses = [&](std::string_view name) {
        return std::any_of(plan.begin(), plan.end(), [&](const std::string& line) {
          return line.starts_with("SEARCH ") && line.find(name) != std::string::npos;
        });
      };
      if (std::none_of(indexes.begin(), indexes.end(), uses)) {
        return ::testing::AssertionFailure() << "no search with the expected index:\n"
                                             << sql << joined(plan);
      }
      for (const auto& line : plan) {
        if (line.starts_with("SCAN ")) {
          return ::testing::AssertionFailure() << "a scan (" << line << "):\n"
                                               << sql << joined(plan);
        }
      }
    }
    return ::testing::AssertionSuccess();
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

TEST_F(AuditQueryPlanTest, TheTraceSeesTheStatementsTheQueryBuilds) {
  const auto statements = statements_of(by_actor("gf"));
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0],
            "SELECT r.seq, r.recorded_at, r.actor, r.operation, r.rule_set_version, r.payload, "
            "r.previous_hash, r.hash FROM audit_record r WHERE r.actor = ? ORDER BY r.seq DESC "
            "LIMIT ?");
  EXPECT_EQ(statements[1], "SELECT count(*) FROM audit_record r WHERE r.actor = ?");
  EXPECT_EQ(query_plan(path(), statements[0]),
            (std::vector<std::string>{"SEARCH r USING INDEX audit_record_by_actor (actor=?)",
                                      "USE TEMP B-TREE FOR ORDER BY"}));
}

TEST_F(AuditQueryPlanTest, EveryFilterIsAnsweredByAnIndex) {
  constexpr std::string_view kObject = "audit_object_by_object";
  constexpr std::string_view kActor = "audit_record_by_actor";
  constexpr std::string_view kOperation = "audit_record_by_operation";
  constexpr std::string_view kTime = "audit_record_by_time";
  constexpr std::string_view kSeq = "INTEGER PRIMARY KEY";

  AuditQuery everything = by_time("2025-08-01T00:00:00Z", "2025-09-01T00:00:00Z");
  everything.objects = {{"goal", "iq-frauen"}, {"review", "ba/2025-07"}};
  everything.actor = "teamleitung";
  everything.operations = {"measure.*", "review.record"};
  AuditQuery actor_in_august = by_time("2025-08-01T00:00:00Z", "2025-09-01T00:00:00Z");
  actor_in_august.actor = "teamleitung";
  AuditQuery operation_since = by_time("2025-08-01T00:00:00Z", nullptr);
  operation_since.operations = {"measure.update"};
  AuditQuery object_and_actor = by_objects({{"measure", "1"}});
  object_and_actor.actor = "teamleitung";
  AuditQuery object_until = by_objects({{"goal", "kdu"}});
  object_until.until = at("2025-08-01T00:00:00Z");

  const std::vector<std::tuple<const char*, AuditQuery, std::vector<std::string_view>>> cases = {
      {"one object", by_objects({{"goal", "iq-frauen"}}), {kObject}},
      {"two objects", by_objects({{"goal", "iq-frauen"}, {"review", "ba/2025-07"}}), {kObject}},
      {"actor", by_actor("teamleitung"), {kActor}},
      {"operation", by_operations({"measure.add"}), {kOperation}},
      {"two operations", by_operations({"measure.add", "review.record"}), {kOperation}},
      {"operation prefix", by_operations({"measure.*"}), {kOperation}},
      {"prefix and operation", by_operations({"measure.*", "observations.import"}), {kOperation}},
      {"since and until", by_time("2025-08-01T00:00:00Z", "2025-09-01T00:00:00Z"), {kTime}},
      {"actor in a time range", actor_in_august, {kActor}},
      {"operation since", operation_since, {kOperation}},
      {"object and actor", object_and_actor, {kObject, kActor, kSeq}},
      {"object until", object_until, {kObject, kSeq, kTime}},
      {"every filter", everything, {kObject, kActor, kOperation, kTime, kSeq}},
  };
  for (auto [name, query, indexes] : cases) {
    for (const bool newest_first : {true, false}) {
      SCOPED_TRACE(std::string(name) + (newest_first ? ", newest first" : ", oldest first"));
      query.newest_first = newest_first;
      query.limit = 10;
      EXPECT_TRUE(answered_by_index(query, indexes));
    }
  }
}

// With `since` alone or `until` alone, SQLite 3.40 (no ANALYZE statistics)
// would rather walk the primary key for `ORDER BY r.seq` than search the
// one-sided range on audit_record_by_time, reading every record: on 1,000,000
// records, `recorded_at >= X` matching 641 took 260 ms that way and 3 ms
// through the index. The query orders by `+r.seq` then.
TEST_F(AuditQueryPlanTest, ASinceOrUntilAloneIsAnsweredByTheTimeIndex) {
  for (const auto& [since, until] :
       {std::pair<const char*, const char*>{"2025-08-01T00:00:00Z", nullptr},
        std::pair<const char*, const char*>{nullptr, "2025-08-01T00:00:00Z"}}) {
    for (const bool newest_first : {true, false}) {
      SCOPED_TRACE(std::string(since != nullptr ? "since" : "until") +
                   (newest_first ? ", newest first" : ", oldest first"));
      AuditQuery query = by_time(since, until);
      query.newest_first = newest_first;
      EXPECT_TRUE(answered_by_index(query, {"audit_record_by_time"}));
    }
  }
}

}  // namespace
}  // namespace zielwerk::storage
