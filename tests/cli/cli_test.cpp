// End-to-end: runs build/zielwerk as a user or a cron job would and checks the
// exit codes, stdout and stderr the contracts promise.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli_support.h"
#include "test_support.h"

namespace zielwerk {
namespace {

using zielwerk::testing::CliRun;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;
using zielwerk::testing::zielwerk;

TEST(CliTest, CheckAcceptsTheExample) {
  const CliRun run = zielwerk("check --project " + kExample);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out.rfind("me-aktiv-2025: 12 goals, ", 0), 0u) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);  // one line
}

TEST(CliTest, CheckReportsEveryErrorWithLocationAndExitsThree) {
  TempDir dir;
  for (const char* name : {"agreement.yaml", "metrics.yaml"}) {
    write_file(dir.path() / name, read_file(source_dir() / "tests/corpus/base" / name));
  }
  write_file(dir.path() / "goals.yaml", R"(goals:
  - {id: a, title: A, section: I, responsibility: BA, metric: iq, op: ">=", target: x, unit: percent}
  - {id: b, title: B, section: I, responsibility: BA, metric: nope, op: ">=", target: 5, unit: percent}
)");
  write_file(dir.path() / "zielwerk.yaml",
             "zielwerk: 1\nrules: [agreement.yaml, metrics.yaml, goals.yaml]\n");
  const CliRun run = zielwerk("check --project " + dir.path().string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  const std::string goals = (dir.path() / "goals.yaml").string();
  EXPECT_NE(run.err.find(goals + ":2:85: error: goals[0] \"a\".target: expected a number, got 'x'"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(goals + ":3:63: error: goals[1] \"b\".metric: unknown metric 'nope'"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("\n2 errors, 2 warnings\n"), std::string::npos) << run.err;
}

TEST(CliTest, CheckOnAnEmptyRuleFile) {
  TempDir dir;
  write_file(dir.path() / "empty.yaml", "");
  write_file(dir.path() / "zielwerk.yaml", "zielwerk: 1\nrules: [empty.yaml]\n");
  const CliRun run = zielwerk("check --project " + dir.path().string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find((dir.path() / "empty.yaml").string() + ":1:1: error: the file is empty"),
            std::string::npos)
      << run.err;
}

TEST(CliTest, CheckWithoutAProject) {
  TempDir dir;
  const CliRun run = zielwerk("check --project " + dir.path().string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("no project file here"), std::string::npos) << run.err;
}

TEST(CliTest, TestRunsTheExamplesRuleTests) {
  const CliRun run = zielwerk("test --project " + kExample);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find(" passed, 0 failed\n"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("FAIL"), std::string::npos) << run.out;
}

TEST(CliTest, TestReportsFailuresWithExitOne) {
  TempDir dir;
  write_file(dir.path() / "fails.test.yaml", R"(tests:
  - name: nothing is met without figures
    period: 2025-06
    expect:
      iq-frauen: met
)");
  const CliRun run =
      zielwerk("test --project " + kExample + " " + (dir.path() / "fails.test.yaml").string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("FAIL  "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(":5:7: iq-frauen: expected met, got no_data"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("0 passed, 1 failed"), std::string::npos) << run.out;
}

TEST(CliTest, TestRejectsAnInvalidTestFileWithExitThree) {
  TempDir dir;
  write_file(dir.path() / "bad.test.yaml",
             "tests:\n  - {name: x, period: 2025-06, expect: {nope: met}}\n");
  const CliRun run =
      zielwerk("test --project " + kExample + " " + (dir.path() / "bad.test.yaml").string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("unknown goal 'nope'"), std::string::npos) << run.err;
}

TEST(CliTest, UsageErrorsExitTwo) {
  const CliRun none = zielwerk("");
  EXPECT_EQ(none.exit_code, 2);
  const CliRun typo = zielwerk("chek");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command 'chek' (did you mean 'check'?)"), std::string::npos)
      << typo.err;
  const CliRun option = zielwerk("check --projekt x");
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("--projekt"), std::string::npos) << option.err;
}

TEST(CliTest, HelpAndVersionOnTheProgramAndEverySubcommand) {
  for (const std::string prefix : {"", "check ", "test ", "import ", "evaluate ", "milestone ",
                                   "milestone done ", "schedule "}) {
    SCOPED_TRACE(prefix);
    const CliRun help = zielwerk(prefix + "--help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Usage: "), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("Exit codes: 0 success"), std::string::npos) << help.out;
    const CliRun version = zielwerk(prefix + "--version");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out.rfind("zielwerk ", 0), 0u) << version.out;
  }
}

// Without a range, schedule lists what run prepares: run at a moment after
// every preparation time stores one review per listed meeting, no other.
TEST(CliTest, ScheduleWithoutARangeListsTheMeetingsRunPrepares) {
  TempDir dir;
  const std::string db = " --db " + (dir.path() / "zielwerk.db").string();
  const CliRun listed = zielwerk("schedule --project " + kExample + " --format json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> scheduled;
  const auto schedule = nlohmann::json::parse(listed.out);
  for (const auto& meeting : schedule["meetings"])
    scheduled.insert(meeting["id"].get<std::string>());
  const CliRun import = zielwerk("import --project " + kExample + db + " --actor controlling-jc " +
                                 kExample + "/data/2024.csv " + kExample + "/data/2025.csv");
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const CliRun run = zielwerk("run --project " + kExample + db +
                              " --actor zielwerk-dienst --now 2026-03-01T00:00");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CliRun reviews = zielwerk("review list --project " + kExample + db + " --format json");
  ASSERT_EQ(reviews.exit_code, 0) << reviews.err;
  std::set<std::string> stored;
  const auto list = nlohmann::json::parse(reviews.out);
  for (const auto& review : list.is_array() ? list : list["reviews"])
    stored.insert(review["id"].get<std::string>());
  EXPECT_EQ(stored, scheduled);
  EXPECT_EQ(scheduled.count("ba-zielnachhaltedialog/2024-12"), 0u);  // reviews 2024
  EXPECT_EQ(scheduled.count("ba-zielnachhaltedialog/2025-12"), 1u)   // held in January 2026
      << ::testing::PrintToString(scheduled);
}

TEST(CliTest, ScheduleListsTheExamplesMeetingsOf2025) {
  const CliRun table = zielwerk("schedule --project " + kExample);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Tue 2025-05-13  10:00  ba-zielnachhaltedialog/2025-04        2025-04"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Thu 2025-04-17  14:00  kommunal-zielnachhaltedialog/2025-03"),
            std::string::npos);

  const CliRun json = zielwerk("schedule --project " + kExample + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto document = nlohmann::json::parse(json.out);
  ASSERT_EQ(document["meetings"].size(), 16u);  // 12 monthly BA + 4 quarterly municipal
  const auto& first = document["meetings"][0];
  EXPECT_EQ(first["id"], "ba-zielnachhaltedialog/2025-01");
  EXPECT_EQ(first["date"], "2025-02-11");
  EXPECT_EQ(first["starts_at"], "2025-02-11T09:00:00.000Z");
  EXPECT_EQ(first["goals"].size(), 9u);  // the BA goals only (footnote *)

  const CliRun ics = zielwerk("schedule --project " + kExample + " --format ics");
  ASSERT_EQ(ics.exit_code, 0) << ics.err;
  EXPECT_EQ(ics.out.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u) << ics.out;
  std::size_t events = 0;
  for (std::size_t at = ics.out.find("BEGIN:VEVENT"); at != std::string::npos;
       at = ics.out.find("BEGIN:VEVENT", at + 1)) {
    ++events;
  }
  EXPECT_EQ(events, 16u);
  EXPECT_NE(ics.out.find("UID:ba-zielnachhaltedialog/2025-04@me-aktiv-2025.zielwerk\r\n"),
            std::string::npos);
  EXPECT_NE(ics.out.find("DTSTART:20250513T080000Z\r\n"), std::string::npos);
}

TEST(CliTest, ScheduleUsageErrors) {
  const CliRun workflow = zielwerk("schedule --project " + kExample + " --workflow ba-dialog");
  EXPECT_EQ(workflow.exit_code, 2);
  EXPECT_NE(workflow.err.find("unknown workflow 'ba-dialog'"), std::string::npos) << workflow.err;
  const CliRun date = zielwerk("schedule --project " + kExample + " --from 2025-02-30");
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("--from: '2025-02-30' is not a date YYYY-MM-DD"), std::string::npos);
  const CliRun range =
      zielwerk("schedule --project " + kExample + " --from 2025-06-01 --to 2025-05-01");
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("--to 2025-05-01 is before --from 2025-06-01"), std::string::npos);
}

}  // namespace
}  // namespace zielwerk
