// The storage module on a real PostgreSQL server (scripts/pg-test-server.sh,
// started by ctest's fixture): opening and migrating, what a server refuses,
// agreements kept apart by row-level security, writers of one agreement
// taking turns, and the same rows giving byte-identical audit records on
// both backends. Each test makes a database of its own and drops it.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/observation_store.h"

namespace zielwerk::storage {
namespace {

std::string socket_dir() {
  const char* dir = std::getenv("ZIELWERK_TEST_PG");
  return dir == nullptr ? std::string() : std::string(dir);
}

// Runs SQL as the server's superuser on `database`; the first row's first
// value, "" when there is none.
std::string admin(const std::string& database, const std::string& sql) {
  const std::string conninfo = "host=" + socket_dir() + " user=zielwerk_admin dbname=" + database;
  PGconn* conn = PQconnectdb(conninfo.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      << sql << ": " << PQresultErrorMessage(result);
  std::string value;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) value = PQgetvalue(result, 0, 0);
  PQclear(result);
  PQfinish(conn);
  return value;
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (socket_dir().empty()) GTEST_SKIP() << "no test server (ZIELWERK_TEST_PG)";
    static std::atomic<int> counter{0};
    name_ = "storage_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    admin("postgres", "CREATE DATABASE " + name_ + " OWNER zielwerk_app");
  }
  void TearDown() override {
    if (!name_.empty()) admin("postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  std::string uri(const std::string& user = "zielwerk_app") const {
    return "postgresql:///" + name_ + "?host=" + socket_dir() + "&user=" + user;
  }
  std::unique_ptr<Database> open(const std::string& agreement,
                                 const std::string& user = "zielwerk_app") {
    auto opened = Database::open(uri(user), agreement);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::string name_;
};

AuditEvent event(const std::string& operation, std::vector<AuditObject> objects = {}) {
  AuditEvent e;
  e.recorded_at = *parse_timestamp("2025-07-03T08:00:00.000Z");
  e.actor = "controlling-jc";
  e.operation = operation;
  e.objects = std::move(objects);
  e.rule_set_version = "53595d7b4931";
  e.details_json = R"({"note":"ä \"quoted\" \\ and \u0001"})";
  return e;
}

// An import of three figures and a missing value, and a milestone, each with
// its record.
void write_example(Database& database) {
  ASSERT_TRUE(database.write([&]() -> Status {
    database.set_meta("agreement", "a");
    ObservationWriter writer(
        database,
        {"x.csv", "hash-x", *parse_timestamp("2025-07-03T08:00:00.000Z"), "controlling-jc"});
    writer.add("eintritte", "05158", YearMonth(2025, 5), 12.5, "BA", 2);
    writer.add("eintritte", "05158", YearMonth(2025, 6), 0.1 + 0.2, "BA", 3);
    writer.add("bestand", "05158", YearMonth(2025, 6), 1e20, "BA", 4);
    writer.add("bestand", "05158", YearMonth(2025, 7), 0, "BA", 5, "suppressed");
    const auto id = writer.finish({4, 0, 0, 0});
    EXPECT_TRUE(id.has_value());
    append_audit_record(database, event("observations.import", {{"import", std::to_string(*id)}}));
    return Ok{};
  }));
  ASSERT_TRUE(database.write([&]() -> Status {
    MilestoneRecord record{"schulungen",
                           "plan",
                           std::chrono::year_month_day{std::chrono::year(2025),
                                                       std::chrono::month(6), std::chrono::day(30)},
                           *parse_timestamp("2025-07-03T09:00:00.000Z"),
                           "kommunal",
                           next_audit_seq(database)};
    insert_milestone_record(database, record);
    append_audit_record(database, event("milestone.done", {{"milestone", "schulungen/plan"}}));
    return Ok{};
  }));
}

TEST_F(PostgresTest, OpensMigratesAndKeepsTheSchemaVersionOfSqlite) {
  auto database = open("a");
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(database->backend(), Backend::postgresql);
  EXPECT_EQ(database->schema_version(), current_schema_version());
  ASSERT_TRUE(database->write([&]() -> Status {
    database->set_meta("agreement", "a");
    return Ok{};
  }));
  EXPECT_EQ(database->meta("agreement"), "a");
  // A second open finds it migrated and changes nothing.
  auto again = open("a");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->meta("agreement"), "a");
  EXPECT_EQ(admin(name_, "SELECT version FROM zielwerk_schema"),
            std::to_string(current_schema_version()));
}

TEST_F(PostgresTest, RefusesAPasswordInTheUriAndARoleThatBypassesRowSecurity) {
  auto with_password =
      Database::open("postgresql://zielwerk_app:geheim@/" + name_ + "?host=" + socket_dir(), "a");
  ASSERT_FALSE(with_password.ok());
  EXPECT_EQ(with_password.error().kind, ErrorKind::usage);
  EXPECT_NE(with_password.error().message.find("PGPASSFILE"), std::string::npos);
  EXPECT_EQ(with_password.error().message.find("geheim"), std::string::npos);
  auto in_query = Database::open(uri() + "&password=geheim", "a");
  ASSERT_FALSE(in_query.ok());
  EXPECT_EQ(in_query.error().kind, ErrorKind::usage);

  auto superuser = Database::open(uri("zielwerk_admin"), "a");
  ASSERT_FALSE(superuser.ok());
  EXPECT_NE(superuser.error().message.find("row-level security"), std::string::npos);

  auto no_agreement = Database::open(uri(), "");
  ASSERT_FALSE(no_agreement.ok());

  auto no_server = Database::open("postgresql:///" + name_ + "?host=/nonexistent", "a");
  ASSERT_FALSE(no_server.ok());
  EXPECT_EQ(no_server.error().kind, ErrorKind::storage);
}

TEST_F(PostgresTest, AJobcenterRoleCannotReadOrWriteAnothersRows) {
  ASSERT_NE(open("a"), nullptr);  // migrates, as the schema's owner
  const std::string roles = "jc_a_" + name_ + ", jc_b_" + name_ + ", region_" + name_;
  admin(name_, "CREATE ROLE jc_a_" + name_ + " LOGIN; CREATE ROLE jc_b_" + name_ +
                   " LOGIN; CREATE ROLE region_" + name_ + " LOGIN");
  admin(name_, "INSERT INTO zielwerk_tenant VALUES ('a', 'jc_a_" + name_ + "'), ('b', 'jc_b_" +
                   name_ + "'); INSERT INTO zielwerk_region_reader VALUES ('region_" + name_ +
                   "')");
  {
    auto a = open("a", "jc_a_" + name_);
    ASSERT_NE(a, nullptr);
    write_example(*a);
    EXPECT_EQ(query_audit_records(*a, {}).size(), 2U);
    EXPECT_TRUE(verify_audit_trail(*a).ok());
  }
  {
    auto b = open("b", "jc_b_" + name_);
    ASSERT_NE(b, nullptr);
    ASSERT_TRUE(b->write([&]() -> Status {
      b->set_meta("agreement", "b");
      append_audit_record(*b, event("rules.change"));
      return Ok{};
    }));
    // Its own trail starts at 1 beside a's.
    EXPECT_EQ(audit_head(*b).seq, 1);
    EXPECT_EQ(b->visible_agreements(), std::vector<std::string>{"b"});
  }
  // b's role naming a's agreement sees none of its rows and cannot write them.
  auto intruder = open("a", "jc_b_" + name_);
  ASSERT_NE(intruder, nullptr);
  EXPECT_TRUE(query_audit_records(*intruder, {}).empty());
  EXPECT_TRUE(load_current_observations(*intruder, "05158", std::nullopt).empty());
  EXPECT_FALSE(intruder->meta("agreement").has_value());
  const Status write = intruder->write([&]() -> Status {
    append_audit_record(*intruder, event("rules.change"));
    return Ok{};
  });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().kind, ErrorKind::storage);
  EXPECT_NE(write.error().message.find("row-level security"), std::string::npos)
      << write.error().message;
  EXPECT_EQ(admin(name_, "SELECT count(*) FROM audit_record WHERE agreement = 'a'"), "2");

  // The region reads both agreements, and writes neither.
  auto region = open("a", "region_" + name_);
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->visible_agreements(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(query_audit_records(*region, {}).size(), 2U);
  EXPECT_EQ(load_current_observations(*region, "05158", std::nullopt).size(), 4U);
  ASSERT_TRUE(region->use_agreement("b").ok());
  EXPECT_EQ(query_audit_records(*region, {}).size(), 1U);
  EXPECT_FALSE(region
                   ->write([&]() -> Status {
                     append_audit_record(*region, event("rules.change"));
                     return Ok{};
                   })
                   .ok());
  admin(name_, "DROP OWNED BY " + roles + "; DROP ROLE " + roles);
}

TEST_F(PostgresTest, WritersOfOneAgreementTakeTurnsAndOthersDoNotWait) {
  auto database = open("a");
  ASSERT_NE(database, nullptr);
  const std::string conninfo = "host=" + socket_dir() + " user=zielwerk_app dbname=" + name_;
  PGconn* other = PQconnectdb(conninfo.c_str());
  ASSERT_EQ(PQstatus(other), CONNECTION_OK);
  const auto try_lock = [&](const std::string& agreement) {
    PGresult* result = PQexec(
        other, ("SELECT pg_try_advisory_lock(hashtext('zielwerk:" + agreement + "'))").c_str());
    const std::string got = PQgetvalue(result, 0, 0);
    PQclear(result);
    if (got == "t") PQclear(PQexec(other, "SELECT pg_advisory_unlock_all()"));
    return got == "t";
  };
  EXPECT_TRUE(try_lock("a"));
  ASSERT_TRUE(database->write([&]() -> Status {
    EXPECT_FALSE(try_lock("a")) << "a second writer of the agreement would not wait";
    EXPECT_TRUE(try_lock("b")) << "a writer of another agreement would wait";
    return Ok{};
  }));
  EXPECT_TRUE(try_lock("a")) << "the lock outlives the transaction";
  PQfinish(other);
}

TEST_F(PostgresTest, TheSameChangesGiveTheSameRecordsOnBothBackends) {
  zielwerk::testing::TempDir dir;
  auto file = Database::open(dir.path() / "zielwerk.db");
  ASSERT_TRUE(file.ok());
  write_example(*file.value());
  auto server = open("a");
  ASSERT_NE(server, nullptr);
  write_example(*server);
  const auto on_file = query_audit_records(*file.value(), {});
  const auto on_server = query_audit_records(*server, {});
  ASSERT_EQ(on_file.size(), on_server.size());
  for (std::size_t i = 0; i < on_file.size(); ++i) {
    // The payload holds the digests of the rows: equal bytes mean equal rows.
    EXPECT_EQ(on_file[i].payload, on_server[i].payload);
    EXPECT_EQ(on_file[i].hash, on_server[i].hash);
  }
  // The server stores the bytes it was given, not a rendering of them.
  EXPECT_EQ(admin(name_, "SELECT payload FROM audit_record WHERE seq = 1"),
            on_file.back().payload);  // newest first
  const auto values = load_current_observations(*server, "05158", std::nullopt);
  ASSERT_EQ(values.size(), 4U);
  // By metric, then period: the doubles as written, to the last bit, and a
  // missing value with its reason.
  EXPECT_EQ(values[0].value, 1e20);
  EXPECT_EQ(values[1].missing, "suppressed");
  EXPECT_EQ(values[2].value, 12.5);
  EXPECT_EQ(values[3].value, 0.1 + 0.2);
  const auto verified = verify_audit_trail(*server);
  EXPECT_TRUE(verified.ok()) << (verified.problems.empty() ? "" : verified.problems[0].message);
  EXPECT_EQ(verified.root, verify_audit_trail(*file.value()).root);
}

TEST_F(PostgresTest, VerifyFindsAChangedRowAndAnAlteredTrail) {
  auto database = open("a");
  ASSERT_NE(database, nullptr);
  write_example(*database);
  ASSERT_TRUE(verify_audit_trail(*database).ok());
  // Behind zielwerk's back, as the superuser: a value and then a payload.
  admin(name_, "UPDATE observation SET value = 13 WHERE period = 202505");
  auto changed = verify_audit_trail(*database);
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.problems[0].message.find("import"), std::string::npos)
      << changed.problems[0].message;
  // The trail refuses changes even from its owner.
  const std::string conninfo = "host=" + socket_dir() + " user=zielwerk_app dbname=" + name_;
  PGconn* owner = PQconnectdb(conninfo.c_str());
  PGresult* refused =
      PQexec(owner, "SET zielwerk.agreement = 'a'; UPDATE audit_record SET actor = 'x'");
  EXPECT_EQ(PQresultStatus(refused), PGRES_FATAL_ERROR);
  EXPECT_NE(std::string(PQresultErrorMessage(refused)).find("append-only"), std::string::npos);
  PQclear(refused);
  PQfinish(owner);
  admin(name_,
        "ALTER TABLE audit_record DISABLE TRIGGER audit_record_is_append_only; "
        "UPDATE audit_record SET actor = 'someone' WHERE seq = 2");
  auto altered = verify_audit_trail(*database);
  ASSERT_FALSE(altered.ok());
  bool names_record = false;
  bool names_trigger = false;
  for (const auto& problem : altered.problems) {
    names_record = names_record || problem.seq == 2;
    names_trigger =
        names_trigger || problem.message.find("audit_record_is_append_only") != std::string::npos;
  }
  EXPECT_TRUE(names_record);
  EXPECT_TRUE(names_trigger);
}

}  // namespace
}  // namespace zielwerk::storage
