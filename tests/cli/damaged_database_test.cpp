// A database whose pages are damaged (a failing disk, a botched copy): every
// command that reads it says so and exits 4 (a storage error), naming the
// file; none stops with "internal error" (70), and reading changes nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli/child_process.h"
#include "storage/raw_sqlite.h"

namespace zielwerk::testing {
namespace {

using zielwerk::testing::kData;

// The pages of `tables` (their indexes too), from SQLite's dbstat.
std::vector<std::int64_t> pages_of(const std::filesystem::path& db,
                                   const std::vector<std::string>& tables) {
  sqlite3* handle = nullptr;
  std::vector<std::int64_t> pages;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return pages;
  }
  for (const auto& table : tables) {
    sqlite3_stmt* statement = nullptr;
    const std::string sql =
        "SELECT pageno FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = "
        "?1)";
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) break;
    sqlite3_bind_text(statement, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(statement) == SQLITE_ROW)
      pages.push_back(sqlite3_column_int64(statement, 0));
    sqlite3_finalize(statement);
  }
  sqlite3_close(handle);
  return pages;
}

// Overwrites the given pages (4 KiB each, 1-based) with a pattern no b-tree page has.
void damage(const std::filesystem::path& db, const std::vector<std::int64_t>& pages) {
  std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
  const std::string garbage(4096, '\xA5');
  for (const auto page : pages) {
    file.seekp((page - 1) * 4096);
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
}

class DamagedDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "zielwerk.db").string();
    expect_ok("import --actor controlling-jc " + kData + "2024.csv " + kData + "2025.csv");
    expect_ok("run --actor zielwerk-dienst --now 2025-07-03T10:00");
    expect_ok(
        "measure add --actor controlling-jc --review ba-zielnachhaltedialog/2025-06 --goal "
        "iq-frauen --title Teilzeitstellen --owner jobcenter --assignee Arbeitgeberservice --due "
        "2025-09-30");
    expect_ok(
        "measure update 1 --actor controlling-jc --status in_progress --review "
        "ba-zielnachhaltedialog/2025-06");
    // Everything in the main file, so the damage is what SQLite reads.
    ASSERT_EQ(exec_raw(db_, "PRAGMA wal_checkpoint(TRUNCATE)"), "");
  }

  CliRun zielwerk_on_db(const std::string& args) {
    return zielwerk(args + " --project " + kExample + " --db " + db_);
  }
  void expect_ok(const std::string& args) {
    const CliRun run = zielwerk_on_db(args);
    ASSERT_EQ(run.exit_code, 0) << args << "\n" << run.err;
  }

  TempDir dir_;
  std::string db_;
};

// Every command that reads the database, as a user types it.
const std::vector<std::string> kReadCommands = {
    "evaluate --period 2025-06",
    "evaluate --period 2025-06 --format json",
    "evaluate --period 2025-06 --explain iq-frauen",
    "review list",
    "review list --format json",
    "review show ba-zielnachhaltedialog/2025-06",
    "review show ba-zielnachhaltedialog/2025-06 --format json",
    "measure list",
    "measure list --format json",
    "report review ba-zielnachhaltedialog/2025-06",
    "report year --period 2025-06 --today 2025-07-03",
    "audit query --all",
    "audit query --format json",
    "audit export",
    "audit verify",
};

TEST_F(DamagedDatabaseTest, EveryReadCommandIsAStorageErrorNamingTheFile) {
  // Every table but the metadata a database is opened by (which agreement,
  // which schema version): opening works, every read fails.
  const auto pages =
      pages_of(db_, {"audit_record", "audit_object", "observation", "series", "import_batch",
                     "review", "review_entry", "measure", "measure_followup", "escalation",
                     "milestone_done", "rule_set"});
  ASSERT_GT(pages.size(), 20u);
  damage(db_, pages);
  const std::string before = read_file(db_);
  for (const auto& command : kReadCommands) {
    const CliRun run = zielwerk_on_db(command);
    EXPECT_EQ(run.exit_code, 4) << command << "\n" << run.out << run.err;
    EXPECT_TRUE(contains(run.err, db_)) << command << "\n" << run.err;
    EXPECT_TRUE(contains(run.err, "damaged")) << command << "\n" << run.err;
    EXPECT_FALSE(contains(run.err, "internal error")) << command << "\n" << run.err;
  }
  EXPECT_EQ(read_file(db_), before) << "reading changed the file";
}

TEST_F(DamagedDatabaseTest, ADamagedTableFailsTheCommandsThatReadIt) {
  damage(db_, pages_of(db_, {"measure", "measure_followup"}));
  for (const auto& command : {"measure list", "review show ba-zielnachhaltedialog/2025-06",
                              "review list", "report year --period 2025-06 --today 2025-07-03"}) {
    const CliRun run = zielwerk_on_db(command);
    EXPECT_EQ(run.exit_code, 4) << command << "\n" << run.out << run.err;
    EXPECT_TRUE(contains(run.err, "damaged")) << command << "\n" << run.err;
  }
  // What does not read measures still works.
  const CliRun evaluate = zielwerk_on_db("evaluate --period 2025-06");
  EXPECT_EQ(evaluate.exit_code, 0) << evaluate.err;
}

}  // namespace
}  // namespace zielwerk::testing
