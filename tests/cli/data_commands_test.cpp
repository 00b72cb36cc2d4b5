// End-to-end: import, evaluate and milestone on the example, as a user runs them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "test_support.h"

namespace zielwerk {
namespace {

using zielwerk::testing::CliRun;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;
using zielwerk::testing::zielwerk;
using zielwerk::testing::zielwerk_in_terminal;

using zielwerk::testing::kData;
const std::string kAllData =
    kData + "2023.csv " + kData + "2024.csv " + kData + "2025.csv " + kData + "korrektur-2025.csv";

class DataCommandsTest : public ::testing::Test {
 protected:
  // Every command on the example project with the test's own database.
  CliRun run(const std::string& command, const std::string& args) {
    return zielwerk(command + " --project " + kExample + " --db " + db_.string() + " " + args);
  }
  CliRun import(const std::string& files) {
    return run("import", "--actor controlling-jc " + files);
  }
  nlohmann::json evaluate_json(const std::string& args) {
    const CliRun result = run("evaluate", "--format json " + args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  }
  static const nlohmann::json& goal(const nlohmann::json& report, const std::string& id) {
    for (const auto& item : report["goals"]) {
      if (item["id"] == id) return item;
    }
    throw std::runtime_error("no goal " + id);
  }

  TempDir dir_;
  std::filesystem::path db_ = dir_.path() / "zielwerk.db";
};

TEST_F(DataCommandsTest, ImportsTheExampleAndReimportingChangesNothing) {
  const CliRun first = import(kAllData);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  EXPECT_NE(first.out.find(kData + "2025.csv: 156 rows read, 156 new, 0 revised, 0 unchanged\n"),
            std::string::npos)
      << first.out;
  EXPECT_NE(
      first.out.find(kData + "korrektur-2025.csv: 2 rows read, 0 new, 2 revised, 0 unchanged\n"),
      std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("imported 4 files: 470 rows read, 468 new, 2 revised, 0 unchanged\n"),
            std::string::npos)
      << first.out;

  const std::string before = read_file(db_);
  const CliRun again = import(kAllData);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("imported 4 files: 470 rows read, 0 new, 0 revised, 470 unchanged\n"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find(kData + "korrektur-2025.csv: imported before (import 4 on "),
            std::string::npos)
      << again.out;
  EXPECT_TRUE(read_file(db_) == before);  // (not EXPECT_EQ: it would print the whole file)
}

// The statuses the example is built to show at 2025-06 (data/README.md).
TEST_F(DataCommandsTest, EvaluatesJune2025AsJson) {
  ASSERT_EQ(import(kAllData).exit_code, 0);
  const auto report = evaluate_json("--period 2025-06");
  EXPECT_EQ(report["agreement"], "me-aktiv-2025");
  EXPECT_EQ(report["period"], "2025-06");
  EXPECT_TRUE(report["known_at"].is_null());
  ASSERT_EQ(report["goals"].size(), 12u);

  const auto& iq = goal(report, "iq-frauen");
  EXPECT_EQ(iq["section"], "I");
  EXPECT_EQ(iq["kind"], "target");
  EXPECT_EQ(iq["responsibility"], "BA");
  EXPECT_EQ(iq["binding"], true);
  // The JFW of June (tests/independent_kennzahlen.py computes it from the CSV files),
  // judged against its Soll for June from 2024's course: 15.5 × JFW 2024-06 ÷ JFW 2024-12.
  EXPECT_EQ(iq["status"], "missed");
  EXPECT_NEAR(iq["actual"].get<double>(), 7.5727164484, 1e-9);
  EXPECT_EQ(iq["target"], 15.5);
  EXPECT_NEAR(iq["soll"].get<double>(), 7.9217194387, 1e-9);
  EXPECT_NEAR(iq["soll_gap"].get<double>(), 7.5727164484 - 7.9217194387, 1e-9);
  EXPECT_EQ(iq["op"], ">=");
  EXPECT_EQ(iq["unit"], "percent");
  EXPECT_EQ(iq["forecast"]["period"], "2025-12");
  EXPECT_TRUE(iq["forecast"]["value"].is_number());
  EXPECT_TRUE(iq["forecast"]["reachable"].is_boolean());

  EXPECT_EQ(goal(report, "iq-maenner")["status"], "at_risk");
  EXPECT_NEAR(goal(report, "iq-maenner")["actual"].get<double>(), 12.7137984344, 1e-9);
  EXPECT_NEAR(goal(report, "iq-maenner")["soll"].get<double>(), 12.8502392477, 1e-9);
  EXPECT_EQ(goal(report, "lzb-frauen")["status"], "missed");
  EXPECT_NEAR(goal(report, "lzb-frauen")["actual"].get<double>(), 10635.6666666667, 1e-9);
  EXPECT_NEAR(goal(report, "lzb-frauen")["soll"].get<double>(), 9903.8511814982, 1e-9);
  EXPECT_EQ(goal(report, "lzb-frauen")["op"], "<=");
  EXPECT_EQ(goal(report, "iq-gesamt")["binding"], false);
  EXPECT_EQ(goal(report, "persoenliche-beratungen")["op"], ">");
  EXPECT_EQ(goal(report, "kdu-kostensenkung")["responsibility"], "kommunal");
  EXPECT_NEAR(goal(report, "kdu-kostensenkung")["actual"].get<double>(), 23.6024844720, 1e-9);
  // The declared path's June value; 23.6 is below it by more than the band 0.25.
  EXPECT_EQ(goal(report, "kdu-kostensenkung")["soll"], 25);
  EXPECT_EQ(goal(report, "kdu-kostensenkung")["status"], "missed");
  // Only target goals have a Soll.
  EXPECT_FALSE(goal(report, "llu-monitoring").contains("soll"));

  const auto& llu = goal(report, "llu-monitoring");
  EXPECT_EQ(llu["kind"], "monitoring");
  EXPECT_EQ(llu["status"], "observed");
  EXPECT_NEAR(llu["actual"].get<double>(), 14676528.17, 1e-6);
  EXPECT_NEAR(llu["previous"].get<double>(), 14247776.81, 1e-6);
  EXPECT_NEAR(llu["change_pct"].get<double>(), 3.0092509570, 1e-9);

  const auto& schulungen = goal(report, "kommunale-eingliederung-schulungen");
  EXPECT_EQ(schulungen["kind"], "milestone");
  EXPECT_EQ(schulungen["status"], "overdue");
  EXPECT_EQ(schulungen["milestones"][0]["id"], "schulungsplan");
  EXPECT_EQ(schulungen["milestones"][0]["status"], "overdue");
  EXPECT_TRUE(schulungen["milestones"][0]["done_on"].is_null());
  EXPECT_EQ(goal(report, "but-lernfoerderung")["status"], "open");
}

TEST_F(DataCommandsTest, TableAndCsvOutput) {
  ASSERT_EQ(import(kAllData).exit_code, 0);
  const CliRun table = run("evaluate", "--period 2025-06");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("reporting month 2025-06"), std::string::npos);
  for (const char* expected : {"iq-frauen", "7.6 %", "7.9 %", ">= 15.5 %", "10,636", "9,904",
                               "<= 10,154", "14,676,528 EUR", "change +3.0 %",
                               "overdue: schulungsplan (due 2025-04-30)", "FORECAST 2025-12"}) {
    EXPECT_NE(table.out.find(expected), std::string::npos) << expected << "\n" << table.out;
  }
  const CliRun csv = run("evaluate", "--period 2025-06 --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("period,goal,section,kind,responsibility,binding,status,actual,", 0), 0u);
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 13);  // header + 12 goals
  EXPECT_NE(csv.out.find("\n2025-06,lzb-frauen,I,target,BA,true,missed,10635.66666"),
            std::string::npos)
      << csv.out;
}

TEST_F(DataCommandsTest, KnownAtShowsTheFiguresBeforeTheCorrection) {
  ASSERT_EQ(import(kData + "2023.csv " + kData + "2024.csv " + kData + "2025.csv").exit_code, 0);
  ASSERT_EQ(import(kData + "korrektur-2025.csv").exit_code, 0);
  // The time of the first import, from the explanation of a value it delivered.
  const CliRun explained = run("evaluate", "--period 2025-06 --explain iq-frauen --format json");
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  const auto explanation = nlohmann::json::parse(explained.out);
  std::string first_import;
  for (const auto& input : explanation["inputs"]) {
    if (input["metric"] == "integrationen_frauen" && input["month"] == "2025-05") {
      ASSERT_EQ(input["revisions"].size(), 2u);
      EXPECT_EQ(input["used"]["revision"], 2);
      EXPECT_EQ(input["used"]["value"], 209);
      first_import = input["revisions"][0]["imported_at"];
    }
  }
  ASSERT_FALSE(first_import.empty());

  const auto before = evaluate_json("--period 2025-06 --known-at " + first_import);
  EXPECT_EQ(before["known_at"], first_import);
  EXPECT_NEAR(goal(before, "iq-frauen")["actual"].get<double>(), 7.4658015925, 1e-9);
  const auto now = evaluate_json("--period 2025-06");
  EXPECT_NEAR(goal(now, "iq-frauen")["actual"].get<double>(), 7.5727164484, 1e-9);
  const auto long_ago = evaluate_json("--period 2025-06 --known-at 2020-01-01");
  EXPECT_EQ(goal(long_ago, "iq-frauen")["status"], "no_data");
}

TEST_F(DataCommandsTest, ExplainShowsFormulaInputsAndRevisions) {
  ASSERT_EQ(import(kAllData).exit_code, 0);
  const CliRun explained = run("evaluate", "--period 2025-06 --explain iq-frauen");
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  for (const char* expected : {"iq-frauen: ", "reporting month 2025-06: missed",
                               "iq_frauen [percent] = 100 * sum(integrationen_frauen, Jan..M) / "
                               "mean(elb_frauen, Dec(Y-1)..M-1)",
                               "soll path (previous_year): 7.92", "judged against the soll 7.92",
                               "elb_frauen                   2023-12", "rev 2 of 2",
                               "korrektur-2025.csv:2", "revision 1: 193"}) {
    EXPECT_NE(explained.out.find(expected), std::string::npos) << expected << "\n" << explained.out;
  }
}

TEST_F(DataCommandsTest, ABrokenFileIsReportedWithLocationsAndNothingIsStored) {
  ASSERT_EQ(import(kData + "2023.csv").exit_code, 0);
  const std::string before = read_file(db_);
  const auto broken = dir_.path() / "broken.csv";
  write_file(broken, "metric;period;value\nelb_frauen;2025-06;12.5\nelb_fraün;2025-02;1\n");
  const CliRun result = import(kData + "2024.csv " + broken.string());
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find(broken.string() + ":2:20: error: value '12.5' is not a number; "),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(broken.string() + ":3:1: error: unknown metric 'elb_fraün' (did you "
                                              "mean 'elb_frauen'?)"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("zielwerk: 2 errors; nothing was imported"), std::string::npos)
      << result.err;
  EXPECT_TRUE(read_file(db_) == before);  // not even 2024.csv, which was fine
}

// Progress goes to stderr only when stderr is a terminal (here a pseudo-terminal
// from script(1), part of Debian's essential bsdutils) and only for large files.
TEST_F(DataCommandsTest, ShowsProgressForLargeFilesOnATerminal) {
  const auto big = dir_.path() / "big.csv";
  {
    std::ofstream out(big);
    out << "metric,period,value,region\n";
    for (int region = 0; region < 15000; ++region) {
      for (int month = 1; month <= 12; ++month) {
        out << "elb_frauen,2025-" << (month < 10 ? "0" : "") << month << ",12345," << region
            << "\n";
      }
    }
  }
  ASSERT_GT(std::filesystem::file_size(big), 4u * 1024u * 1024u);  // progress starts at 4 MiB
  const std::string command = std::string(ZIELWERK_BINARY) + " import --project " + kExample +
                              " --db " + db_.string() + " --actor controlling-jc " + big.string();
  const CliRun on_terminal = zielwerk_in_terminal(command);
  EXPECT_EQ(on_terminal.exit_code, 0) << on_terminal.out;
  EXPECT_NE(on_terminal.out.find("importing " + big.string() + " ["), std::string::npos)
      << on_terminal.out;
  EXPECT_NE(on_terminal.out.find(" rows/s"), std::string::npos) << on_terminal.out;
  EXPECT_NE(on_terminal.out.find("180,000 rows read, 180,000 new"), std::string::npos);

  // Not a terminal: no progress, only the summary.
  TempDir other;
  const CliRun piped =
      zielwerk("import --project " + kExample + " --db " + (other.path() / "z.db").string() +
               " --actor controlling-jc " + big.string());
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err, "");
}

TEST_F(DataCommandsTest, ChangesNeedAKnownActor) {
  const std::string import_2023 =
      "import --project " + kExample + " --db " + db_.string() + " " + kData + "2023.csv";
  unsetenv("ZIELWERK_ACTOR");
  const CliRun missing = zielwerk(import_2023);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("name who acts with --actor ID or ZIELWERK_ACTOR"), std::string::npos)
      << missing.err;
  const CliRun unknown = zielwerk(import_2023 + " --actor controling-jc");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown actor 'controling-jc' (did you mean 'controlling-jc'?)"),
            std::string::npos)
      << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(db_));  // refused before anything was created

  setenv("ZIELWERK_ACTOR", "controlling-jc", 1);
  const CliRun from_env = zielwerk(import_2023);
  unsetenv("ZIELWERK_ACTOR");
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
}

TEST_F(DataCommandsTest, EvaluateUsageErrors) {
  const CliRun no_db = run("evaluate", "--period 2025-06");
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("no database yet; import figures first"), std::string::npos)
      << no_db.err;
  ASSERT_EQ(import(kData + "2025.csv").exit_code, 0);
  const CliRun period = run("evaluate", "--period 2025-13");
  EXPECT_EQ(period.exit_code, 2);
  EXPECT_NE(period.err.find("--period: '2025-13' is not a month YYYY-MM"), std::string::npos);
  const CliRun known_at = run("evaluate", "--period 2025-06 --known-at yesterday");
  EXPECT_EQ(known_at.exit_code, 2);
  EXPECT_NE(known_at.err.find("--known-at: 'yesterday' is not a date or time"), std::string::npos);
  const CliRun explain = run("evaluate", "--period 2025-06 --explain iq-frau");
  EXPECT_EQ(explain.exit_code, 2);
  EXPECT_NE(explain.err.find("unknown goal 'iq-frau' (did you mean 'iq-frauen'?)"),
            std::string::npos)
      << explain.err;
  const CliRun format = run("evaluate", "--period 2025-06 --format xml");
  EXPECT_EQ(format.exit_code, 2);
}

TEST_F(DataCommandsTest, MilestonesAreRecordedInOrder) {
  const std::string goal_id = "kommunale-eingliederung-schulungen";
  const CliRun out_of_order =
      run("milestone done", goal_id + " erste-schulung --date 2025-06-20 --actor sozialamt-kreis");
  EXPECT_EQ(out_of_order.exit_code, 2);
  EXPECT_NE(out_of_order.err.find("'schulungsplan' comes before 'erste-schulung'"),
            std::string::npos)
      << out_of_order.err;
  const CliRun done =
      run("milestone done", goal_id + " schulungsplan --date 2025-05-12 --actor sozialamt-kreis");
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(done.out, goal_id +
                          ": milestone schulungsplan done on 2025-05-12 (recorded by "
                          "sozialamt-kreis)\n");
  const CliRun bad_date =
      run("milestone done", goal_id + " erste-schulung --date 2025-02-30 --actor sozialamt-kreis");
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("--date: '2025-02-30' is not a date YYYY-MM-DD"), std::string::npos);
  const CliRun unknown =
      run("milestone done", goal_id + " schulungsplann --date 2025-05-12 --actor sozialamt-kreis");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("did you mean 'schulungsplan'?"), std::string::npos) << unknown.err;

  const auto report = evaluate_json("--period 2025-06");
  const auto& schulungen = goal(report, goal_id);
  EXPECT_EQ(schulungen["status"], "open");  // erste-schulung is due on 2025-06-30
  EXPECT_EQ(schulungen["milestones"][0]["status"], "done");
  EXPECT_EQ(schulungen["milestones"][0]["done_on"], "2025-05-12");
}

}  // namespace
}  // namespace zielwerk
