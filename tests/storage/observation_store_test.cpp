#include "zielwerk/storage/observation_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <random>

#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {
namespace {

using zielwerk::testing::at;
using zielwerk::testing::query_raw;
using zielwerk::testing::TempDir;

const YearMonth kJune(2025, 6);
const YearMonth kJuly(2025, 7);

// One row of a file: what ObservationWriter::write takes.
struct Row {
  std::string metric;
  std::string region;
  YearMonth period;
  double value = 0;
  std::int64_t line = 0;
  std::string source;
};

// What writing one file did.
struct FileResult {
  std::vector<WriteOutcome> outcomes;
  std::vector<ObservationWriter::Conflict> conflicts;  // one per outcome
  std::optional<std::int64_t> import_id;
  bool committed = false;
};

class ObservationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
  }

  std::filesystem::path path() const { return dir_.path() / "zielwerk.db"; }
  Database& db() { return *database_; }

  // Writes the rows of one file in one transaction, as the import does: a
  // conflict rolls back everything.
  FileResult import(const std::string& file_name, const char* time, const std::vector<Row>& rows,
                    const std::string& file_hash = "hash") {
    FileResult result;
    const Status status = db().write([&]() -> Status {
      ObservationWriter writer(db(), {file_name, "", at(time), "statistik"});
      ImportCounts counts;
      bool conflict_seen = false;
      for (const Row& row : rows) {
        ObservationWriter::Conflict conflict{-1, -1, {}};
        const WriteOutcome outcome = writer.write(row.metric, row.region, row.period, row.value,
                                                  row.source, row.line, conflict);
        result.outcomes.push_back(outcome);
        result.conflicts.push_back(conflict);
        ++counts.rows_read;
        switch (outcome) {
          case WriteOutcome::added:
            ++counts.added;
            break;
          case WriteOutcome::revised:
            ++counts.revised;
            break;
          case WriteOutcome::unchanged:
            ++counts.unchanged;
            break;
          case WriteOutcome::conflict:
            conflict_seen = true;
            break;
        }
      }
      if (conflict_seen) return Error::invalid_input(file_name + ": conflicting rows");
      writer.set_file_hash(file_hash);
      result.import_id = writer.finish(counts);
      return Ok{};
    });
    result.committed = status.ok();
    return result;
  }

  std::string count(const std::string& table) {
    return query_raw(path(), "SELECT count(*) FROM " + table);
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

using Outcomes = std::vector<WriteOutcome>;

TEST_F(ObservationStoreTest, TheFirstValueIsAdded) {
  const auto result =
      import("juni.csv", "2025-07-01T08:00:00Z",
             {{"elb", "", kJune, 10154, 2, "BA"}, {"lzb", "", kJune, 3001.5, 3, ""}});
  ASSERT_TRUE(result.committed);
  EXPECT_EQ(result.outcomes, (Outcomes{WriteOutcome::added, WriteOutcome::added}));
  ASSERT_TRUE(result.import_id.has_value());

  const auto current = load_current_observations(db(), "", std::nullopt);
  ASSERT_EQ(current.size(), 2u);
  const StoredObservation& elb = current[0];
  EXPECT_EQ(elb.metric, "elb");
  EXPECT_EQ(elb.region, "");
  EXPECT_EQ(elb.period, kJune);
  EXPECT_EQ(elb.value, 10154);
  EXPECT_EQ(elb.revision, 1);
  EXPECT_EQ(elb.import_id, *result.import_id);
  EXPECT_EQ(elb.imported_at, at("2025-07-01T08:00:00Z"));
  EXPECT_EQ(elb.file_name, "juni.csv");
  EXPECT_EQ(elb.file_hash, "hash");
  EXPECT_EQ(elb.line, 2);
  EXPECT_EQ(elb.source, "BA");
  EXPECT_EQ(current[1].metric, "lzb");
  EXPECT_EQ(current[1].value, 3001.5);
  EXPECT_EQ(current[1].line, 3);

  // The import record carries the counts and the hash set before finish().
  const std::string id = std::to_string(*result.import_id);
  EXPECT_EQ(query_raw(path(),
                      "SELECT rows_read || ' ' || added || ' ' || revised || ' ' || "
                      "unchanged || ' ' || file_hash || ' ' || actor || ' ' || "
                      "imported_at FROM import_batch WHERE id = " +
                          id),
            "2 2 0 0 hash statistik 2025-07-01T08:00:00.000Z");
}

TEST_F(ObservationStoreTest, TheSameValueAgainIsUnchangedAndLeavesNoImport) {
  ASSERT_TRUE(
      import("juni.csv", "2025-07-01T08:00:00Z", {{"elb", "", kJune, 10154, 2, ""}}).committed);
  const auto again = import("juni.csv", "2025-07-02T08:00:00Z", {{"elb", "", kJune, 10154, 2, ""}});
  ASSERT_TRUE(again.committed);
  EXPECT_EQ(again.outcomes, (Outcomes{WriteOutcome::unchanged}));
  EXPECT_EQ(again.import_id, std::nullopt);
  EXPECT_EQ(count("import_batch"), "1");
  EXPECT_EQ(count("observation"), "1");
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 1u);
}

TEST_F(ObservationStoreTest, AFileThatChangesNothingLeavesNoTrace) {
  const auto empty = import("leer.csv", "2025-07-01T08:00:00Z", {});
  ASSERT_TRUE(empty.committed);
  EXPECT_EQ(empty.import_id, std::nullopt);
  EXPECT_EQ(count("import_batch"), "0");
  EXPECT_EQ(count("observation"), "0");
}

TEST_F(ObservationStoreTest, AChangedValueIsARevisionAndBothAreKept) {
  const auto first =
      import("juni.csv", "2025-07-01T08:00:00Z", {{"elb", "", kJune, 10154, 2, "vorläufig"}});
  const auto second = import("korrektur.csv", "2025-08-01T08:00:00Z",
                             {{"elb", "", kJune, 10200, 5, "endgültig"}}, "hash2");
  ASSERT_TRUE(second.committed);
  EXPECT_EQ(second.outcomes, (Outcomes{WriteOutcome::revised}));
  ASSERT_TRUE(second.import_id.has_value());
  EXPECT_NE(second.import_id, first.import_id);

  const auto revisions = load_revisions(db(), "elb", "", kJune);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].revision, 1);
  EXPECT_EQ(revisions[0].value, 10154);
  EXPECT_EQ(revisions[0].file_name, "juni.csv");
  EXPECT_EQ(revisions[0].line, 2);
  EXPECT_EQ(revisions[0].source, "vorläufig");
  EXPECT_EQ(revisions[0].import_id, *first.import_id);
  EXPECT_EQ(revisions[1].revision, 2);
  EXPECT_EQ(revisions[1].value, 10200);
  EXPECT_EQ(revisions[1].file_name, "korrektur.csv");
  EXPECT_EQ(revisions[1].file_hash, "hash2");
  EXPECT_EQ(revisions[1].line, 5);
  EXPECT_EQ(revisions[1].source, "endgültig");
  EXPECT_EQ(revisions[1].imported_at, at("2025-08-01T08:00:00Z"));

  const auto current = load_current_observations(db(), "", std::nullopt);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0].value, 10200);
  EXPECT_EQ(current[0].revision, 2);

  // Going back to the first value is a third revision, not a return to the first.
  const auto third =
      import("zurueck.csv", "2025-09-01T08:00:00Z", {{"elb", "", kJune, 10154, 2, ""}});
  EXPECT_EQ(third.outcomes, (Outcomes{WriteOutcome::revised}));
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 3u);
  EXPECT_EQ(load_current_observations(db(), "", std::nullopt)[0].revision, 3);
}

TEST_F(ObservationStoreTest, KnownAtPicksTheRevisionKnownThen) {
  import("juni.csv", "2025-07-01T08:00:00Z",
         {{"elb", "", kJune, 10154, 2, ""},
          { "elb",
            "",
            kJuly,
            10100,
            3,
            "" }});
  import("korrektur.csv", "2025-08-01T08:00:00Z", {{ "elb", "", kJune, 10200, 2, "" }});

  EXPECT_TRUE(load_current_observations(db(), "", at("2025-07-01T07:59:59Z")).empty());

  auto known = load_current_observations(db(), "", at("2025-07-15T00:00:00Z"));
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].period, kJune);
  EXPECT_EQ(known[0].revision, 1);
  EXPECT_EQ(known[0].value, 10154);
  EXPECT_EQ(known[1].period, kJuly);
  EXPECT_EQ(known[1].value, 10100);

  known = load_current_observations(db(), "", at("2025-08-01T08:00:00Z"));  // inclusive
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].revision, 2);
  EXPECT_EQ(known[0].value, 10200);
  EXPECT_EQ(known[1].value, 10100);

  known = load_current_observations(db(), "", at("2025-08-01T07:59:59.999Z"));
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].revision, 1);
}

TEST_F(ObservationStoreTest, CurrentObservationsAreOrderedByMetricAndPeriod) {
  import("a.csv", "2025-07-01T08:00:00Z",
         {{"lzb", "", kJuly, 1, 2, ""},
          {"elb", "", kJuly, 2, 3, ""},
          {"lzb", "", kJune, 3, 4, ""},
          { "elb",
            "",
            kJune,
            4,
            5,
            "" }});
  const auto current = load_current_observations(db(), "", std::nullopt);
  ASSERT_EQ(current.size(), 4u);
  EXPECT_EQ(current[0].metric + " " + current[0].period.to_string(), "elb 2025-06");
  EXPECT_EQ(current[1].metric + " " + current[1].period.to_string(), "elb 2025-07");
  EXPECT_EQ(current[2].metric + " " + current[2].period.to_string(), "lzb 2025-06");
  EXPECT_EQ(current[3].metric + " " + current[3].period.to_string(), "lzb 2025-07");
}

TEST_F(ObservationStoreTest, ASecondRowWithAnotherValueConflictsWithTheFirst) {
  const auto result = import("juni.csv", "2025-07-01T08:00:00Z",
                             {{"elb", "", kJune, 10154, 2, ""},
                              {"lzb", "", kJune, 3000, 3, ""},
                              {"elb", "", kJune, 10200, 4, ""}});
  EXPECT_FALSE(result.committed);
  EXPECT_EQ(result.outcomes,
            (Outcomes{WriteOutcome::added, WriteOutcome::added, WriteOutcome::conflict}));
  EXPECT_EQ(result.conflicts[2].line, 2);
  EXPECT_EQ(result.conflicts[2].value, 10154);
  // Rolled back: nothing of the file is stored.
  EXPECT_EQ(count("import_batch"), "0");
  EXPECT_EQ(count("observation"), "0");
  EXPECT_EQ(count("series"), "0");
}

TEST_F(ObservationStoreTest, ASecondRowConflictsAlsoWithARevisionOfThisFile) {
  import("juni.csv", "2025-07-01T08:00:00Z", {{ "elb", "", kJune, 10154, 2, "" }});
  const auto result = import("korrektur.csv", "2025-08-01T08:00:00Z",
                             {{"elb", "", kJune, 10200, 7, ""}, {"elb", "", kJune, 10154, 9, ""}});
  EXPECT_FALSE(result.committed);
  EXPECT_EQ(result.outcomes, (Outcomes{WriteOutcome::revised, WriteOutcome::conflict}));
  EXPECT_EQ(result.conflicts[1].line, 7);
  EXPECT_EQ(result.conflicts[1].value, 10200);
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 1u);
}

TEST_F(ObservationStoreTest, ASecondRowConflictsAlsoWhenTheFirstChangedNothing) {
  import("juni.csv", "2025-07-01T08:00:00Z", {{ "elb", "", kJune, 10154, 2, "" }});
  // Line 4 repeats the stored value, line 6 contradicts line 4: the file
  // disagrees with itself, whichever of its values is stored already.
  const auto result = import("korrektur.csv", "2025-08-01T08:00:00Z",
                             {{"elb", "", kJune, 10154, 4, ""}, {"elb", "", kJune, 10200, 6, ""}});
  EXPECT_FALSE(result.committed);
  EXPECT_EQ(result.outcomes, (Outcomes{WriteOutcome::unchanged, WriteOutcome::conflict}));
  EXPECT_EQ(result.conflicts[1].line, 4);
  EXPECT_EQ(result.conflicts[1].value, 10154);
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 1u);
}

TEST_F(ObservationStoreTest, ARowOfAnotherFileInTheSameTransactionIsNoConflict) {
  import("juni.csv", "2025-07-01T08:00:00Z", {{ "elb", "", kJune, 10154, 2, "" }});
  ObservationWriter::Conflict conflict;
  ASSERT_TRUE(
      db().write([&]() -> Status {
            {
              ObservationWriter a(db(), {"a.csv", "", at("2025-08-01T08:00:00Z"), "x"});
              EXPECT_EQ(a.write("elb", "", kJune, 10154, "", 2, conflict), WriteOutcome::unchanged);
              EXPECT_EQ(a.finish({1, 0, 0, 1}), std::nullopt);
            }
            ObservationWriter b(db(), {"b.csv", "", at("2025-08-01T08:00:00Z"), "x"});
            EXPECT_EQ(b.write("elb", "", kJune, 10200, "", 3, conflict), WriteOutcome::revised);
            EXPECT_TRUE(b.finish({1, 0, 1, 0}).has_value());
            return Ok{};
          })
          .ok());
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 2u);
}

TEST_F(ObservationStoreTest, TheSameRowRepeatedWithTheSameValueIsUnchanged) {
  const auto result = import("juni.csv", "2025-07-01T08:00:00Z",
                             {{"elb", "", kJune, 10154, 2, ""},
                              {"elb", "", kJune, 10154, 3, ""},
                              {"elb", "", kJune, 10154, 4, ""}});
  ASSERT_TRUE(result.committed);
  EXPECT_EQ(result.outcomes,
            (Outcomes{WriteOutcome::added, WriteOutcome::unchanged, WriteOutcome::unchanged}));
  const auto revisions = load_revisions(db(), "elb", "", kJune);
  ASSERT_EQ(revisions.size(), 1u);
  EXPECT_EQ(revisions[0].line, 2);  // the first row stated it
  EXPECT_EQ(query_raw(path(), "SELECT added || ' ' || unchanged FROM import_batch"), "1 2");
}

TEST_F(ObservationStoreTest, ReimportingAFileWithRepeatedRowsChangesNothing) {
  const std::vector<Row> rows = {{"elb", "", kJune, 10154, 2, ""},
                                 {"elb", "", kJune, 10154, 3, ""}};
  ASSERT_TRUE(import("juni.csv", "2025-07-01T08:00:00Z", rows).committed);
  const auto again = import("juni.csv", "2025-07-02T08:00:00Z", rows);
  ASSERT_TRUE(again.committed);
  EXPECT_EQ(again.outcomes, (Outcomes{WriteOutcome::unchanged, WriteOutcome::unchanged}));
  EXPECT_EQ(again.import_id, std::nullopt);
  EXPECT_EQ(count("import_batch"), "1");
}

TEST_F(ObservationStoreTest, RegionsAreKeptApart) {
  const auto result = import("regionen.csv", "2025-07-01T08:00:00Z",
                             {{"elb", "Nord", kJune, 100, 2, ""},
                              {"elb", "Süd", kJune, 200, 3, ""},
                              {"elb", "", kJune, 300, 4, ""}});
  ASSERT_TRUE(result.committed);
  EXPECT_EQ(result.outcomes,
            (Outcomes{WriteOutcome::added, WriteOutcome::added, WriteOutcome::added}));
  EXPECT_EQ(count("series"), "3");

  auto nord = load_current_observations(db(), "Nord", std::nullopt);
  ASSERT_EQ(nord.size(), 1u);
  EXPECT_EQ(nord[0].value, 100);
  EXPECT_EQ(nord[0].region, "Nord");
  auto sued = load_current_observations(db(), "Süd", std::nullopt);
  ASSERT_EQ(sued.size(), 1u);
  EXPECT_EQ(sued[0].value, 200);
  auto whole = load_current_observations(db(), "", std::nullopt);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].value, 300);
  EXPECT_TRUE(load_current_observations(db(), "West", std::nullopt).empty());

  // A revision in one region leaves the others alone.
  const auto revised =
      import("nord.csv", "2025-08-01T08:00:00Z", {{"elb", "Nord", kJune, 150, 2, ""}});
  EXPECT_EQ(revised.outcomes, (Outcomes{WriteOutcome::revised}));
  EXPECT_EQ(load_revisions(db(), "elb", "Nord", kJune).size(), 2u);
  EXPECT_EQ(load_revisions(db(), "elb", "Süd", kJune).size(), 1u);
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 1u);
  EXPECT_EQ(load_current_observations(db(), "Süd", std::nullopt)[0].value, 200);
}

TEST_F(ObservationStoreTest, TheSamePeriodInTwoRegionsOfOneFileIsNoConflict) {
  const auto result =
      import("regionen.csv", "2025-07-01T08:00:00Z",
             {{"elb", "Nord", kJune, 100, 2, ""}, {"elb", "Süd", kJune, 200, 3, ""}});
  ASSERT_TRUE(result.committed);
  EXPECT_EQ(result.outcomes, (Outcomes{WriteOutcome::added, WriteOutcome::added}));
}

TEST_F(ObservationStoreTest, SeveralFilesInOneTransactionAreSeparateImports) {
  std::optional<std::int64_t> first;
  std::optional<std::int64_t> second;
  ObservationWriter::Conflict conflict;
  ASSERT_TRUE(
      db().write([&]() -> Status {
            {
              ObservationWriter writer(db(), {"a.csv", "", at("2025-07-01T08:00:00Z"), "x"});
              EXPECT_EQ(writer.write("elb", "", kJune, 1, "", 2, conflict), WriteOutcome::added);
              first = writer.finish({1, 1, 0, 0});
            }
            {
              ObservationWriter writer(db(), {"b.csv", "", at("2025-07-01T08:00:00Z"), "x"});
              // Another file may revise what the one before it wrote.
              EXPECT_EQ(writer.write("elb", "", kJune, 2, "", 2, conflict), WriteOutcome::revised);
              second = writer.finish({1, 0, 1, 0});
            }
            return Ok{};
          })
          .ok());
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_EQ(load_revisions(db(), "elb", "", kJune).size(), 2u);
}

TEST_F(ObservationStoreTest, NothingIsVisibleAfterARollback) {
  const Status status = db().write([&]() -> Status {
    ObservationWriter writer(db(), {"juni.csv", "", at("2025-07-01T08:00:00Z"), "x"});
    ObservationWriter::Conflict conflict;
    writer.write("elb", "", kJune, 10154, "", 2, conflict);
    writer.finish({1, 1, 0, 0});
    return Error::invalid_input("juni.csv: errors");
  });
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(load_current_observations(db(), "", std::nullopt).empty());
  EXPECT_TRUE(load_revisions(db(), "elb", "", kJune).empty());
  EXPECT_EQ(count("import_batch"), "0");
  EXPECT_EQ(count("series"), "0");
}

TEST_F(ObservationStoreTest, ValuesAreStoredExactly) {
  import("a.csv", "2025-07-01T08:00:00Z",
         {{"llu", "", kJune, 1234567.89, 2, ""},
          { "llu",
            "",
            kJuly,
            -0.1,
            3,
            "" }});
  const auto again =
      import("a.csv", "2025-07-02T08:00:00Z",
             {{"llu", "", kJune, 1234567.89, 2, ""}, {"llu", "", kJuly, -0.1, 3, ""}});
  EXPECT_EQ(again.outcomes, (Outcomes{WriteOutcome::unchanged, WriteOutcome::unchanged}));
  const auto current = load_current_observations(db(), "", std::nullopt);
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(current[0].value, 1234567.89);
  EXPECT_EQ(current[1].value, -0.1);
}

// add() stores rows in batches and sorts out row by row those a batch did
// not insert; whatever the mix of new rows, repeats, revisions and
// contradictions, it must do exactly what write() does row by row: the same
// counts, the same first conflict, the same rows stored.
class BatchedWriterTest : public ::testing::TestWithParam<unsigned> {
 protected:
  struct Outcome {
    ImportCounts counts;
    std::optional<std::int64_t> conflict_line;
    ObservationWriter::Conflict earlier;
    std::string stored;  // every observation and import, as text
  };

  static std::string dump(const std::filesystem::path& file) {
    return query_raw(file,
                     "SELECT count(*) || ':' || coalesce(group_concat(r, ';'), '') FROM ("
                     "SELECT s.metric || '/' || s.region || ' ' || o.period || ' r' || o.revision "
                     "|| ' ' || o.value || ' ' || o.source || ' i' || o.import_id || ' l' || "
                     "o.line AS r FROM observation o JOIN series s ON s.id = o.series_id "
                     "ORDER BY s.metric, s.region, o.period, o.revision)") +
           " | " +
           query_raw(file,
                     "SELECT group_concat(id || ' ' || file_name || ' ' || rows_read || ' ' || "
                     "added || ' ' || revised || ' ' || unchanged, ';') FROM import_batch");
  }

  // Imports `stored` with write() (as before), then `rows` with write() or
  // add(); keeps the second file's changes only when it has no conflict.
  static Outcome run(const std::filesystem::path& file, const std::vector<Row>& stored,
                     const std::vector<Row>& rows, bool batched) {
    auto opened = Database::open(file);
    EXPECT_TRUE(opened.ok());
    Database& db = *opened.value();
    EXPECT_TRUE(db.write([&]() -> Status {
                    ObservationWriter writer(db, {"alt.csv", "", at("2025-07-01T08:00:00Z"), "x"});
                    ObservationWriter::Conflict conflict;
                    for (const Row& row : stored) {
                      EXPECT_EQ(writer.write(row.metric, row.region, row.period, row.value,
                                             row.source, row.line, conflict),
                                WriteOutcome::added);
                    }
                    writer.finish({stored.size(), stored.size(), 0, 0});
                    return Ok{};
                  }).ok());
    Outcome outcome;
    const Status status = db.write([&]() -> Status {
      ObservationWriter writer(db, {"neu.csv", "", at("2025-08-01T08:00:00Z"), "x"});
      for (const Row& row : rows) {
        if (batched) {
          writer.add(row.metric, row.region, row.period, row.value, row.source, row.line);
          continue;
        }
        ObservationWriter::Conflict conflict;
        if (writer.write(row.metric, row.region, row.period, row.value, row.source, row.line,
                         conflict) == WriteOutcome::conflict) {
          outcome.conflict_line = row.line;
          outcome.earlier = conflict;
          break;  // the importer stores nothing after an error
        }
      }
      writer.flush();
      outcome.counts = writer.counts();
      if (batched && writer.conflict()) {
        outcome.conflict_line = writer.conflict()->line;
        outcome.earlier = writer.conflict()->earlier;
        const auto& conflicting = writer.conflict();
        const Row& row = *std::find_if(rows.begin(), rows.end(),
                                       [&](const Row& r) { return r.line == conflicting->line; });
        EXPECT_EQ(conflicting->metric, row.metric);
        EXPECT_EQ(conflicting->region, row.region);
        EXPECT_EQ(conflicting->period, row.period);
        EXPECT_EQ(conflicting->value, row.value);
      }
      if (outcome.conflict_line) return Error::invalid_input("conflict");
      ImportCounts counts = outcome.counts;
      counts.rows_read = rows.size();
      writer.finish(counts);
      return Ok{};
    });
    EXPECT_EQ(status.ok(), !outcome.conflict_line.has_value());
    outcome.stored = dump(file);
    return outcome;
  }
};

TEST_P(BatchedWriterTest, DoesWhatWritingRowByRowDoes) {
  std::mt19937 random(GetParam());
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  // 300 series x 4 months; a third stored before.
  struct Key {
    std::string metric;
    std::string region;
    YearMonth period;
  };
  std::vector<Key> keys;
  for (int series = 0; series < 300; ++series) {
    for (int month = 1; month <= 4; ++month) {
      keys.push_back({"m" + std::to_string(series % 15), std::to_string(10000 + series / 15),
                      YearMonth(2025, month)});
    }
  }
  std::vector<Row> stored;
  std::vector<std::size_t> stored_keys;
  std::vector<double> stored_value(keys.size(), -1);
  std::int64_t line = 2;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (pick(3) != 0) continue;
    stored_keys.push_back(k);
    stored_value[k] = static_cast<double>(pick(1000));
    stored.push_back(
        {keys[k].metric, keys[k].region, keys[k].period, stored_value[k], line++, "a"});
  }
  // The new file in stretches: new keys in file order (full batches), stored
  // keys again (a re-delivery), and a mix with repeats and revisions. Each
  // key keeps one value in the file, except one contradiction in some runs.
  std::vector<double> file_value(keys.size(), -1);
  std::vector<Row> rows;
  line = 2;
  const auto emit = [&](std::size_t k) {
    if (file_value[k] < 0) {
      const bool keep = stored_value[k] >= 0 && pick(2) == 0;
      file_value[k] = keep ? stored_value[k] : static_cast<double>(1000 + pick(1000));
    }
    rows.push_back({keys[k].metric, keys[k].region, keys[k].period, file_value[k], line++,
                    pick(4) == 0 ? "b" : "a"});
  };
  std::size_t next_new = 0;
  while (rows.size() < 1500) {
    const std::size_t length = 20 + pick(150);
    switch (pick(3)) {
      case 0:  // new keys, in key order as a monthly file has them
        for (std::size_t i = 0; i < length && next_new < keys.size(); ++next_new) {
          if (stored_value[next_new] < 0 && file_value[next_new] < 0) {
            emit(next_new);
            ++i;
          }
        }
        break;
      case 1:  // stored keys, as a re-delivery has them
        for (std::size_t i = 0; i < length; ++i)
          emit(stored_keys[pick(stored_keys.size())]);
        break;
      default:  // anything, repeats included
        for (std::size_t i = 0; i < length; ++i)
          emit(pick(keys.size()));
        break;
    }
  }
  if (GetParam() % 2 == 1) {
    // A row contradicting an earlier row of the file (one that was stored,
    // revised or merely stated), somewhere after it.
    const std::size_t earlier = pick(rows.size() - 1);
    Row contradiction = rows[earlier];
    contradiction.value += 0.5;
    contradiction.line = line++;
    rows.insert(
        rows.begin() + static_cast<std::ptrdiff_t>(earlier + 1 + pick(rows.size() - earlier - 1)),
        contradiction);
  }

  TempDir dir;
  const Outcome one_by_one = run(dir.path() / "write.db", stored, rows, false);
  const Outcome batched = run(dir.path() / "add.db", stored, rows, true);
  EXPECT_EQ(batched.conflict_line, one_by_one.conflict_line);
  EXPECT_EQ(batched.earlier.line, one_by_one.earlier.line);
  EXPECT_EQ(batched.earlier.value, one_by_one.earlier.value);
  EXPECT_EQ(batched.counts.added, one_by_one.counts.added);
  EXPECT_EQ(batched.counts.revised, one_by_one.counts.revised);
  EXPECT_EQ(batched.counts.unchanged, one_by_one.counts.unchanged);
  EXPECT_EQ(batched.stored, one_by_one.stored);
  EXPECT_EQ(GetParam() % 2 == 1, one_by_one.conflict_line.has_value());
  if (!one_by_one.conflict_line) {
    EXPECT_EQ(one_by_one.counts.added + one_by_one.counts.revised + one_by_one.counts.unchanged,
              rows.size());
    EXPECT_GT(one_by_one.counts.added, 300u);
    EXPECT_GT(one_by_one.counts.revised, 50u);
    EXPECT_GT(one_by_one.counts.unchanged, 100u);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BatchedWriterTest, ::testing::Range(1u, 13u));

}  // namespace
}  // namespace zielwerk::storage
