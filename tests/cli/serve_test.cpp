// `zielwerk serve` as an operator runs it: the real binary as a child process,
// real signals, a log file, and `zielwerk run` from "cron" on the same database.
// Waits are bounded polls for a log line or an exit, never fixed sleeps.
#include <map>
#include <set>

#include "child_process.h"

namespace zielwerk::testing {
namespace {

// Runs the sqlite3 command-line shell on `database`; one line per row, columns separated by '|'.
std::vector<std::string> sqlite(const std::filesystem::path& database, const std::string& sql) {
  TempDir capture;
  const auto out = capture.path() / "out";
  const std::string command =
      "sqlite3 -readonly '" + database.string() + "' \"" + sql + "\" >" + out.string() + " 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << command << '\n' << read_file(out);
  return split_lines(read_file(out));
}

// A copy of the example project with the example's figures imported.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(kExample, project_, std::filesystem::copy_options::recursive);
    std::filesystem::remove(project_ / "zielwerk.db");
    const auto data = project_ / "data";
    const CliRun imported =
        zielwerk("import --project " + project_.string() + " --actor controlling-jc " +
                 (data / "2023.csv").string() + " " + (data / "2024.csv").string() + " " +
                 (data / "2025.csv").string());
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  std::unique_ptr<Child> serve(const std::string& log_level = "info") {
    return std::make_unique<Child>(
        std::vector<std::string>{"serve", "--project", project_.string(), "--actor",
                                 "zielwerk-dienst", "--log-file", log_.string(), "--log-level",
                                 log_level},
        dir_.path() / "serve.out", dir_.path() / "serve.err");
  }

  std::string log() const { return read_file(log_); }

  // Waits until the log holds `part` (or the daemon ended).
  bool log_shows(const std::string& part, Child& daemon) {
    return eventually([&] { return contains(log(), part) || !daemon.running(); }) &&
           contains(log(), part);
  }

  TempDir dir_;
  std::filesystem::path project_ = dir_.path() / "project";
  std::filesystem::path database_ = project_ / "zielwerk.db";
  std::filesystem::path log_ = dir_.path() / "serve.log";
};

TEST_F(ServeTest, SigtermEndsTheDaemonWithExitCode0) {
  auto daemon = serve();
  // The signals are handled from the "serving" line on.
  ASSERT_TRUE(log_shows("[info] serving me-aktiv-2025", *daemon)) << log() << daemon->err();
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << log();
  const std::string text = log();
  EXPECT_TRUE(contains(text, "[info] SIGTERM: stopping")) << text;
  EXPECT_TRUE(text.ends_with("[info] stopped\n")) << text;
  EXPECT_FALSE(contains(text, "[error]")) << text;
  // stderr carries the same lines as the file.
  EXPECT_TRUE(contains(daemon->err(), "[info] stopped")) << daemon->err();
  EXPECT_EQ(daemon->out(), "");
}

TEST_F(ServeTest, SighupWithABrokenRuleFileKeepsServingAndAFixedOneIsReloaded) {
  auto daemon = serve();
  ASSERT_TRUE(log_shows("[info] serving me-aktiv-2025", *daemon)) << log() << daemon->err();

  const auto goals = project_ / "rules/goals.yaml";
  const std::string good = read_file(goals);
  std::string broken = good;
  broken.replace(broken.find("metric: iq_frauen"), 17, "metric: iq_fraun");
  write_file(goals, broken);
  // The errors exactly as `check` prints them.
  const CliRun check = zielwerk("check --project " + project_.string());
  ASSERT_EQ(check.exit_code, 3) << check.err;
  std::vector<std::string> errors;
  for (const auto& line : split_lines(check.err)) {
    if (contains(line, ": error: ")) errors.push_back(line);
  }
  ASSERT_FALSE(errors.empty()) << check.err;
  EXPECT_TRUE(errors[0].starts_with(goals.string() + ":")) << errors[0];  // file:line:col

  daemon->signal(SIGHUP);
  ASSERT_TRUE(log_shows(errors.back(), *daemon)) << log();
  EXPECT_TRUE(daemon->running());
  std::string text = log();
  EXPECT_TRUE(contains(text, "[info] SIGHUP: reloading the project")) << text;
  EXPECT_TRUE(
      contains(text, "[error] reload failed: the project in " + project_.string() + " is invalid"))
      << text;
  for (const auto& error : errors)
    EXPECT_TRUE(contains(text, "[error] " + error)) << error;
  EXPECT_FALSE(contains(text, "reloaded")) << text;

  write_file(goals, good + "# checked again\n");
  daemon->signal(SIGHUP);
  ASSERT_TRUE(log_shows("[info] reloaded: me-aktiv-2025", *daemon)) << log();
  EXPECT_TRUE(daemon->running());

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << log();
  text = log();
  EXPECT_TRUE(text.ends_with("[info] stopped\n")) << text;
}

// The wall clock is past 2025: every meeting of the example's year is due.
// The daemon and four cron runs race for them on one database; each step is
// done exactly once and nobody fails on a locked database.
TEST_F(ServeTest, ADaemonAndCronRunsAtOnceDoEachStepOnce) {
  auto daemon = serve("debug");
  std::vector<std::unique_ptr<Child>> runs;
  for (int i = 0; i < 4; ++i) {
    runs.push_back(
        std::make_unique<Child>(std::vector<std::string>{"run", "--project", project_.string(),
                                                         "--actor", "zielwerk-dienst"},
                                dir_.path() / ("run" + std::to_string(i) + ".out"),
                                dir_.path() / ("run" + std::to_string(i) + ".err")));
  }
  for (auto& run : runs) {
    EXPECT_EQ(run->wait(60s), 0) << run->out() << run->err();
    EXPECT_FALSE(contains(run->out() + run->err(), "locked")) << run->out() << run->err();
  }
  // The daemon's first wake-up is over when it says when it wakes next.
  ASSERT_TRUE(log_shows("next wake-up in", *daemon)) << log() << daemon->err();
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << log();
  const std::string text = log();
  EXPECT_FALSE(contains(text, "locked")) << text;
  EXPECT_FALSE(contains(text, "[error]")) << text;

  // Each review once; per workflow all missed but the latest, which is prepared late.
  std::map<std::string, std::vector<std::string>> by_workflow;  // "id|state|late", by start
  for (const auto& row : sqlite(database_,
                                "SELECT workflow, id || '|' || state || '|' || late FROM review "
                                "ORDER BY workflow, starts_at")) {
    const auto bar = row.find('|');
    by_workflow[row.substr(0, bar)].push_back(row.substr(bar + 1));
  }
  ASSERT_EQ(by_workflow.size(), 2u);
  std::set<std::string> review_ids;
  for (const auto& [workflow, reviews] : by_workflow) {
    ASSERT_GE(reviews.size(), 2u) << workflow;
    for (std::size_t i = 0; i < reviews.size(); ++i) {
      const std::string id = reviews[i].substr(0, reviews[i].find('|'));
      EXPECT_TRUE(review_ids.insert(id).second) << id;
      const bool latest = i + 1 == reviews.size();
      EXPECT_EQ(reviews[i], id + (latest ? "|prepared|1" : "|missed|0")) << workflow;
    }
  }
  EXPECT_TRUE(review_ids.contains("ba-zielnachhaltedialog/2025-12"));

  // The audit trail has exactly one record per review, of the right operation.
  std::set<std::string> audited;
  for (const auto& row : sqlite(database_,
                                "SELECT o.object_id || '|' || r.operation || '|' || count(*) "
                                "FROM audit_record r JOIN audit_object o ON o.seq = r.seq "
                                "WHERE o.kind = 'review' AND r.operation IN "
                                "('review.prepare', 'review.missed') GROUP BY o.object_id")) {
    const auto parts = row.substr(0, row.rfind('|'));
    const std::string id = parts.substr(0, parts.find('|'));
    EXPECT_TRUE(row.ends_with("|1")) << row;
    EXPECT_TRUE(audited.insert(id).second) << row;
  }
  EXPECT_EQ(audited, review_ids);
  // Escalations too: one record each, however many processes saw them due.
  const auto escalations = sqlite(database_,
                                  "SELECT (SELECT count(*) FROM escalation), (SELECT count(*) "
                                  "FROM audit_record WHERE operation LIKE 'escalation.%')");
  ASSERT_EQ(escalations.size(), 1u);
  const auto counts = escalations[0];
  EXPECT_EQ(counts.substr(0, counts.find('|')), counts.substr(counts.find('|') + 1)) << counts;
}

TEST_F(ServeTest, AnInvalidProjectExits3AndAnUnknownActorExits2) {
  const auto goals = project_ / "rules/goals.yaml";
  const std::string good = read_file(goals);
  std::string broken = good;
  broken.replace(broken.find("metric: iq_frauen"), 17, "metric: iq_fraun");
  write_file(goals, broken);
  const CliRun invalid =
      zielwerk("serve --project " + project_.string() + " --actor zielwerk-dienst");
  EXPECT_EQ(invalid.exit_code, 3) << invalid.err;
  EXPECT_TRUE(contains(invalid.err, goals.string() + ":")) << invalid.err;
  EXPECT_TRUE(contains(invalid.err, "zielwerk: the project in")) << invalid.err;

  write_file(goals, good);
  const CliRun unknown = zielwerk("serve --project " + project_.string() + " --actor nobody");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "unknown actor 'nobody'")) << unknown.err;
}

TEST(ServeHelpTest, ExplainsSignalsCronAndExitCodes) {
  const CliRun help = zielwerk("serve --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* part : {"--log-level", "--log-file", "--actor", "SIGTERM", "SIGHUP",
                           "zielwerk run", "system", "Exit codes"}) {
    EXPECT_TRUE(contains(help.out, part)) << part << '\n' << help.out;
  }
}

}  // namespace
}  // namespace zielwerk::testing
