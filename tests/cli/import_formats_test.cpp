// End-to-end: the example's figures as offices have them (XLSX, German-Excel
// CSV, the wide layout as ODS) store exactly what the example's CSV files
// store; a BA-style workbook imports one jobcenter through a profile; broken
// inputs are refused naming the place, change nothing and leave no database.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_support.h"
#include "test_support.h"

namespace zielwerk {
namespace {

using zielwerk::testing::CliRun;
using zielwerk::testing::contains;
using zielwerk::testing::kData;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::shell;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;
using zielwerk::testing::zielwerk;

namespace fs = std::filesystem;

const std::vector<std::string> kFiles = {"2023", "2024", "2025", "korrektur-2025"};

constexpr const char* kBaProfile =
    "# BA-Eckwerte: one jobcenter of a national workbook, values in thousands.\n"
    "sheet: Eckwerte\n"
    "header_row: 4\n"
    "columns:\n"
    "  metric: Merkmal\n"
    "  period: Berichtsmonat\n"
    "  value: \"Wert (Tsd.)\"\n"
    "  region: JC-Nr.\n"
    "metrics:\n"
    "  \"Integrationen Frauen\": integrationen_frauen\n"
    "  \"Integrationen M\u00e4nner\": integrationen_maenner\n"
    "  \"eLb Frauen\": elb_frauen\n"
    "regions: [\"05158\"]\n"
    "scale: 1000\n";

class ImportFormatsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new TempDir();
    const CliRun made = shell(
        "python3 " + (testing::source_dir() / "tests/fixtures/make_spreadsheets.py").string() +
        " " + kData + " " + files_->path().string());
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  static void TearDownTestSuite() {
    delete files_;
    files_ = nullptr;
  }

  static std::string file(const std::string& name) { return (files_->path() / name).string(); }

  CliRun import(const fs::path& db, const std::string& args) const {
    return zielwerk("import --project " + kExample + " --db " + db.string() +
                    " --actor controlling-jc " + args);
  }

  // The stored observations, every revision, as text (values with every digit).
  static std::string stored(const fs::path& db) {
    return shell("sqlite3 " + db.string() +
                 " \"SELECT s.metric, s.region, o.period, o.revision, printf('%.17g', o.value), "
                 "o.source, coalesce(o.missing, '-') FROM observation o JOIN series s ON s.id = "
                 "o.series_id ORDER BY 1, 2, 3, 4\"")
        .out;
  }

  std::string import_all(const std::string& suffix) const {
    const fs::path db = dir_.path() / ("figures" + suffix + ".db");
    std::string args;
    for (const auto& name : kFiles)
      args += " " + (suffix == ".csv" ? kData + name + ".csv" : file(name + suffix));
    const CliRun run = import(db, args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_TRUE(contains(run.out, "468 new, 2 revised, 0 unchanged")) << run.out;
    const CliRun verified = zielwerk("audit verify --project " + kExample + " --db " + db.string());
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    return stored(db);
  }

  // Refused with exit 3, naming `where`; no database file is left behind.
  void expect_refused(const std::string& args, const std::string& where) const {
    const fs::path db = dir_.path() / "refused.db";
    const CliRun run = import(db, args);
    EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
    EXPECT_TRUE(contains(run.err, where)) << "missing '" << where << "' in: " << run.err;
    EXPECT_TRUE(contains(run.err, "nothing was imported")) << run.err;
    // Neither the database nor the staged one it was built as.
    for (const auto& entry : fs::directory_iterator(dir_.path())) {
      EXPECT_FALSE(entry.path().filename().string().starts_with("refused.db"))
          << "a failed first import left " << entry.path();
    }
  }

  static TempDir* files_;
  TempDir dir_;
};

TempDir* ImportFormatsTest::files_ = nullptr;

TEST_F(ImportFormatsTest, EveryFormStoresExactlyTheSameValues) {
  const std::string from_csv = import_all(".csv");
  ASSERT_EQ(std::count(from_csv.begin(), from_csv.end(), '\n'), 470);
  EXPECT_EQ(import_all(".xlsx"), from_csv);
  EXPECT_EQ(import_all(".de.csv"), from_csv);
  EXPECT_EQ(import_all(".wide.ods"), from_csv);
}

TEST_F(ImportFormatsTest, ABaWorkbookImportsOneJobcenterThroughAProfile) {
  const fs::path profile = dir_.path() / "ba-eckwerte.yaml";
  write_file(profile, kBaProfile);
  const fs::path db = dir_.path() / "ba.db";
  const CliRun run = import(db, "--profile " + profile.string() + " " + file("ba.xlsx"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(stored(db),
            "elb_frauen|05158|202501|1|14747||-\n"
            "elb_frauen|05158|202502|1|14600||-\n"
            "integrationen_frauen|05158|202501|1|152||-\n"
            "integrationen_frauen|05158|202502|1|178||-\n"
            "integrationen_maenner|05158|202501|1|229||-\n"
            "integrationen_maenner|05158|202502|1|0||suppressed\n");
}

TEST_F(ImportFormatsTest, ASuppressedFigureIsNoDataWithItsReason) {
  const fs::path db = dir_.path() / "star.db";
  ASSERT_EQ(import(db, kData + "2023.csv " + kData + "2024.csv " + kData + "2025.csv").exit_code,
            0);
  const fs::path star = dir_.path() / "star.csv";
  write_file(star, "Kennzahl;Monat;Wert\nintegrationen_frauen;06/2025;*\n");
  const CliRun imported = import(db, star.string());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_TRUE(contains(imported.out, "0 new, 1 revised")) << imported.out;
  const CliRun evaluated = zielwerk("evaluate --project " + kExample + " --db " + db.string() +
                                    " --period 2025-06 --format json");
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_TRUE(contains(evaluated.out,
                       "integrationen_frauen 2025-06 is missing: suppressed in the figures "
                       "imported"))
      << evaluated.out;
  EXPECT_TRUE(contains(evaluated.out, "\"no_data\"")) << evaluated.out;
  // The reason is covered by the audit trail: changing it is detected.
  ASSERT_EQ(shell("sqlite3 " + db.string() +
                  " \"UPDATE observation SET missing = 'not_available' WHERE missing IS NOT NULL\"")
                .exit_code,
            0);
  const CliRun verified = zielwerk("audit verify --project " + kExample + " --db " + db.string());
  EXPECT_EQ(verified.exit_code, 1) << verified.out;
  EXPECT_TRUE(contains(verified.out, "was changed after this record")) << verified.out;
}

TEST_F(ImportFormatsTest, BrokenInputsAreRefusedNamingThePlace) {
  expect_refused(file("broken.xlsx"), "broken.xlsx:Daten!C3: error: value '12,5x' is not a number");
  expect_refused(file("conflict.xlsx"),
                 "conflict.xlsx: error: row 3: elb_frauen 2025-06: value 11 disagrees with row 2 "
                 "of this file (10)");
  expect_refused(file("corrupt.xlsx"), "corrupt.xlsx: error: not a readable XLSX workbook");
  expect_refused("--sheet Datn " + file("2025.xlsx"),
                 "2025.xlsx: error: the workbook has no sheet 'Datn' (did you mean 'Daten'?)");
  const fs::path profile = dir_.path() / "no-elb.yaml";
  std::string text = kBaProfile;
  text.erase(text.find("  \"eLb Frauen\""), std::string("  \"eLb Frauen\": elb_frauen\n").size());
  write_file(profile, text);
  expect_refused("--profile " + profile.string() + " " + file("ba.xlsx"),
                 "ba.xlsx:Eckwerte!C15: error: unknown label 'eLb Frauen'");
  // A Windows-1252 file declared as UTF-8.
  expect_refused("--encoding utf-8 " + file("2025.de.csv"),
                 "2025.de.csv:2:55: error: the line is not UTF-8 (byte 0xE4)");
  // An unknown encoding is a usage error.
  const CliRun unknown =
      import(dir_.path() / "refused.db", "--encoding latin9 " + kData + "2025.csv");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "--encoding: unknown encoding 'latin9'")) << unknown.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "refused.db"));
}

TEST_F(ImportFormatsTest, AFailedImportIntoADatabaseChangesNothing) {
  const fs::path db = dir_.path() / "kept.db";
  ASSERT_EQ(import(db, kData + "2023.csv").exit_code, 0);
  const std::string before = read_file(db);
  const CliRun run = import(db, file("broken.xlsx"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_TRUE(fs::exists(db));
  EXPECT_EQ(read_file(db), before);
}

}  // namespace
}  // namespace zielwerk
