#include "zielwerk/storage/database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "storage/raw_sqlite.h"
#include "test_support.h"

namespace zielwerk::storage {
namespace {

using zielwerk::testing::TempDir;

// Reads one PRAGMA past the code under test.
std::string pragma(const std::filesystem::path& path, const std::string& name) {
  return zielwerk::testing::query_raw(path, "PRAGMA " + name);
}

TEST(DatabaseTest, CreatesAndMigratesANewFile) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  auto opened = Database::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened.value()->schema_version(), current_schema_version());
  EXPECT_GE(current_schema_version(), 1);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(pragma(path, "journal_mode"), "wal");
  EXPECT_EQ(pragma(path, "user_version"), std::to_string(current_schema_version()));
}

TEST(DatabaseTest, ASnapshotSeesOneMomentWhateverOthersCommit) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  auto opened = Database::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Database& database = *opened.value();
  ASSERT_TRUE(database
                  .write([&]() -> Status {
                    database.set_meta("a", "1");
                    return Ok{};
                  })
                  .ok());
  std::optional<std::string> before;
  std::optional<std::string> after;
  const Status status = database.snapshot([&]() -> Status {
    before = database.meta("a");
    // Another process commits in the middle of the reading.
    EXPECT_EQ(zielwerk::testing::exec_raw(path, "UPDATE project_meta SET value = '2'"), "");
    after = database.meta("a");
    return Ok{};
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(before, "1");
  EXPECT_EQ(after, "1");
  EXPECT_EQ(database.meta("a"), "2");  // the next read sees the change
}

TEST(DatabaseTest, ANestedSnapshotReadsInTheOuterOnesMoment) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  auto opened = Database::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Database& database = *opened.value();
  ASSERT_TRUE(database
                  .write([&]() -> Status {
                    database.set_meta("a", "1");
                    return Ok{};
                  })
                  .ok());
  std::optional<std::string> inner;
  const Status status = database.snapshot([&]() -> Status {
    EXPECT_EQ(database.meta("a"), "1");
    EXPECT_EQ(zielwerk::testing::exec_raw(path, "UPDATE project_meta SET value = '2'"), "");
    return database.snapshot([&]() -> Status {
      inner = database.meta("a");
      return Ok{};
    });
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(inner, "1");
  EXPECT_EQ(database.meta("a"), "2");  // both ended: the next read sees the change
}

TEST(DatabaseTest, AConnectionThatForbidsWritesChangesNothing) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  auto opened = Database::open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Database& database = *opened.value();
  database.forbid_writes();
  const Status status = database.write([&]() -> Status {
    database.set_meta("a", "1");
    return Ok{};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::storage);
  EXPECT_EQ(database.meta("a"), std::nullopt);
  EXPECT_EQ(zielwerk::testing::query_raw(path, "SELECT count(*) FROM project_meta WHERE key = 'a'"),
            "0");
}

TEST(DatabaseTest, ReopeningIsIdempotent) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  ASSERT_TRUE(Database::open(path).ok());
  auto again = Database::open(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again.value()->schema_version(), current_schema_version());
}

TEST(DatabaseTest, RefusesADatabaseFromANewerZielwerk) {
  TempDir dir;
  const auto path = dir.path() / "zielwerk.db";
  ASSERT_TRUE(Database::open(path).ok());
  const int newer = current_schema_version() + 1;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql = "PRAGMA user_version = " + std::to_string(newer);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto opened = Database::open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::storage);
  EXPECT_NE(opened.error().message.find("schema version " + std::to_string(newer)),
            std::string::npos)
      << opened.error().message;
  EXPECT_EQ(pragma(path, "user_version"), std::to_string(newer));  // left as it was
}

TEST(DatabaseTest, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.path() / "notes.db";
  zielwerk::testing::write_file(path, std::string(4096, 'x'));
  auto opened = Database::open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::storage);
  EXPECT_NE(opened.error().message.find(path.string()), std::string::npos);
  EXPECT_EQ(zielwerk::testing::read_file(path), std::string(4096, 'x'));  // untouched
}

TEST(DatabaseTest, AMissingDirectoryIsAStorageError) {
  TempDir dir;
  auto opened = Database::open(dir.path() / "no" / "such" / "dir" / "z.db");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::storage);
}

}  // namespace
}  // namespace zielwerk::storage
