// The daemon in-process: a manual clock the test moves, a steady timer of a few
// milliseconds, stop and reload requested through the API (tests/cli/serve_test.cpp
// sends real signals to the real binary). Nothing waits for real time to pass:
// the tests wait for a condition (a review stored, a log line), bounded.
#include "zielwerk/engine/daemon.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_support.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

using namespace std::chrono_literals;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

// Polls `condition` every 2 ms for up to 10 s.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return condition();
}

using zielwerk::testing::contains;

// A clock the test sets; the daemon's worker thread reads it.
class ManualClock {
 public:
  explicit ManualClock(Timestamp start) : ms_(start.time_since_epoch().count()) {}
  void set(Timestamp time) { ms_ = time.time_since_epoch().count(); }
  Clock clock() {
    return [this] { return Timestamp(std::chrono::milliseconds(ms_.load())); };
  }

 private:
  std::atomic<std::int64_t> ms_;
};

// A copy of the example project with the example's figures imported into a
// database in the same temporary directory.
class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(source_dir() / "examples/me-aktiv-2025", project_dir_,
                          std::filesystem::copy_options::recursive);
    std::filesystem::remove(project_dir_ / "zielwerk.db");
    const Project project = load();
    auto database = open_database(project, db_path_, OpenMode::create_if_missing);
    ASSERT_TRUE(database.ok()) << database.error().message;
    ImportRequest request;
    for (const char* file : {"2023.csv", "2024.csv", "2025.csv"})
      request.files.push_back((project_dir_ / "data" / file).string());
    request.actor = "controlling-jc";
    request.now = at("2025-01-10T08:00:00Z");
    Diagnostics diagnostics;
    const auto imported = import_observations(project, *database.value(), request, diagnostics);
    ASSERT_TRUE(imported.ok()) << ::testing::PrintToString(lines(diagnostics));
  }

  Project load() {
    Diagnostics diagnostics;
    auto project = load_project(project_dir_, diagnostics);
    EXPECT_TRUE(project.has_value()) << ::testing::PrintToString(lines(diagnostics));
    return std::move(project).value();
  }

  DaemonOptions options(ManualClock& clock) {
    DaemonOptions result;
    result.project = project_dir_;
    result.db = db_path_;
    result.actor = "zielwerk-dienst";
    result.clock = clock.clock();
    result.max_sleep = 5ms;
    result.log_file = log_path_;
    result.log_to_stderr = false;
    result.handle_signals = false;  // the CLI tests send real signals
    return result;
  }

  // A second connection, as another process would have.
  std::unique_ptr<storage::Database> reader() {
    auto database = storage::Database::open(db_path_);
    EXPECT_TRUE(database.ok());
    return std::move(database).value();
  }

  std::string log() const { return read_file(log_path_); }

  TempDir dir_;
  std::filesystem::path project_dir_ = dir_.path() / "project";
  std::filesystem::path db_path_ = dir_.path() / "zielwerk.db";
  std::filesystem::path log_path_ = dir_.path() / "serve.log";
};

// Runs a daemon on a thread; stops and joins it whatever the test does.
class Running {
 public:
  explicit Running(DaemonOptions options) : daemon_(std::move(options)) {
    thread_ = std::thread([this] {
      const Status status = daemon_.run();
      ok_ = status.ok();
      if (!status.ok()) error_ = status.error().message;
      done_ = true;
    });
  }
  ~Running() { stop(); }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  Daemon& daemon() { return daemon_; }
  // Waits until `n` more wake-ups have completed.
  bool ticks(std::uint64_t n) {
    const auto target = daemon_.completed_ticks() + n;
    return eventually([&] { return daemon_.completed_ticks() >= target || done_; }) && !done_;
  }
  // Stops and returns whether run() succeeded.
  bool stop() {
    if (thread_.joinable()) {
      daemon_.request_stop();
      thread_.join();
    }
    return ok_;
  }
  const std::string& error() const { return error_; }

 private:
  Daemon daemon_;
  std::atomic<bool> done_{false};
  bool ok_ = false;
  std::string error_;
  std::thread thread_;
};

TEST_F(DaemonTest, PreparesTheDueReviewWhenTheClockReachesItsPreparationTime) {
  const Project project = load();
  const auto due = next_preparation_time(project, at("2025-02-01T00:00:00Z"));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(format_timestamp(*due).substr(0, 7), "2025-02");

  ManualClock clock(*due - 1ms);
  Running running(options(clock));
  auto database = reader();
  // Wake-ups before the preparation time change nothing.
  ASSERT_TRUE(running.ticks(3)) << running.error();
  EXPECT_TRUE(storage::load_reviews(*database).empty());

  clock.set(*due);
  ASSERT_TRUE(eventually([&] { return !storage::load_reviews(*database).empty(); }));
  ASSERT_TRUE(running.ticks(2));  // and nothing more happens
  const auto reviews = storage::load_reviews(*database);
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].id, "ba-zielnachhaltedialog/2025-01");
  EXPECT_EQ(reviews[0].state, domain::ReviewState::prepared);
  EXPECT_FALSE(reviews[0].late);
  EXPECT_EQ(reviews[0].prepared_at, *due);
  EXPECT_EQ(reviews[0].prepared_by, "zielwerk-dienst");
  EXPECT_EQ(reviews[0].rule_set_version, project.rules.version);

  EXPECT_TRUE(running.stop()) << running.error();
  const std::string text = log();
  EXPECT_TRUE(contains(text, "[info] serving me-aktiv-2025")) << text;
  EXPECT_TRUE(contains(text, "actor zielwerk-dienst; rule set " + project.rules.version)) << text;
  EXPECT_TRUE(contains(text, "[info] review_prepared ba-zielnachhaltedialog/2025-01: prepared"))
      << text;
  EXPECT_TRUE(contains(text, "[info] stopped\n")) << text;
  EXPECT_FALSE(contains(text, "[error]")) << text;
  EXPECT_FALSE(contains(text, "[debug]")) << text;  // info is the default
}

TEST_F(DaemonTest, AReloadWithABrokenRuleFileKeepsTheOldRulesAndLogsEveryError) {
  const Project original = load();
  const auto first = next_preparation_time(original, at("2025-02-01T00:00:00Z")).value();
  const auto second = next_preparation_time(original, first).value();
  ManualClock clock(first - 1ms);
  Running running(options(clock));
  ASSERT_TRUE(running.ticks(1)) << running.error();

  // Two mistakes in one file: an unknown metric and an unknown operator.
  const auto goals = project_dir_ / "rules/goals.yaml";
  const std::string good = read_file(goals);
  std::string broken = good;
  broken.replace(broken.find("metric: iq_frauen"), 17, "metric: iq_fraun");
  broken.replace(broken.find("op: \">=\""), 8, "op: \"=>\"");
  write_file(goals, broken);
  Diagnostics expected;
  ASSERT_FALSE(load_project(project_dir_, expected).has_value());
  ASSERT_GE(expected.error_count(), 2u);

  running.daemon().request_reload();
  const auto last = format_diagnostic(expected.items().back());
  ASSERT_TRUE(eventually([&] { return contains(log(), last); })) << log();
  const std::string text = log();
  EXPECT_TRUE(contains(text, "[error] reload failed: the project in " + project_dir_.string() +
                                 " is invalid (" + std::to_string(expected.error_count()) +
                                 " errors); still serving rule set " + original.rules.version))
      << text;
  for (const auto& diagnostic : expected.items()) {
    const std::string line = format_diagnostic(diagnostic);
    if (diagnostic.severity == Severity::error) {
      EXPECT_TRUE(contains(text, "[error] " + line)) << line;
      EXPECT_TRUE(contains(line, "goals.yaml:")) << line;  // file:line:col
    } else {
      EXPECT_TRUE(contains(text, "[warning] " + line)) << line;
    }
  }

  // The old rules stay in force.
  clock.set(first);
  auto database = reader();
  ASSERT_TRUE(eventually([&] { return storage::load_reviews(*database).size() == 1; }));
  EXPECT_EQ(storage::load_reviews(*database)[0].rule_set_version, original.rules.version);

  // Fixed (with a comment: a new rule-set version), reloaded, and used from then on.
  write_file(goals, good + "# reviewed again\n");
  const std::string changed = load().rules.version;
  ASSERT_NE(changed, original.rules.version);
  running.daemon().request_reload();
  ASSERT_TRUE(eventually([&] { return contains(log(), "[info] reloaded: me-aktiv-2025"); }))
      << log();
  clock.set(second);
  ASSERT_TRUE(eventually([&] { return storage::load_reviews(*database).size() == 2; }));
  const auto reviews = storage::load_reviews(*database);
  EXPECT_EQ(reviews[1].rule_set_version, changed);
  EXPECT_EQ(reviews[1].prepared_at, second);
  EXPECT_TRUE(running.stop()) << running.error();
}

TEST_F(DaemonTest, AStopRequestEndsTheRunAfterTheStepInProgress) {
  // Far after the year: every 2025 meeting is due at once, many steps.
  ManualClock clock(at("2026-03-01T12:00:00Z"));
  DaemonOptions daemon_options = options(clock);
  Daemon* daemon = nullptr;
  int steps = 0;
  daemon_options.on_step = [&](const RunStep&) {
    ++steps;
    daemon->request_stop();
  };
  Daemon stopping(std::move(daemon_options));
  daemon = &stopping;
  const Status status = stopping.run();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(steps, 1);
  std::size_t recorded = 0;  // besides the imports
  for (const auto& record : storage::read_audit_records(*reader())) {
    if (record.actor == "zielwerk-dienst") ++recorded;
  }
  EXPECT_EQ(recorded, 1u);
  const std::string text = log();
  EXPECT_TRUE(contains(text, "[info] stop requested: stopping after the step in progress")) << text;
  EXPECT_TRUE(contains(text, "stopped between steps after 1 of them")) << text;
  EXPECT_TRUE(contains(text, "[info] stopped\n")) << text;

  // The next start does the rest; the review done before is not done again.
  Running again(options(clock));
  auto database = reader();
  ASSERT_TRUE(again.ticks(2)) << again.error();
  const auto reviews = storage::load_reviews(*database);
  EXPECT_GT(reviews.size(), 2u);
  std::size_t missed = 0;
  for (const auto& review : reviews) {
    if (review.state == domain::ReviewState::missed) ++missed;
  }
  EXPECT_EQ(missed, reviews.size() - 2);  // all but the latest of each of both workflows
  EXPECT_TRUE(again.stop()) << again.error();
}

TEST_F(DaemonTest, AStopRequestedBeforeRunEndsItAtOnceWithoutSteps) {
  ManualClock clock(at("2026-03-01T12:00:00Z"));
  Daemon daemon(options(clock));
  daemon.request_stop();
  const Status status = daemon.run();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_TRUE(storage::load_reviews(*reader()).empty());
  EXPECT_TRUE(contains(log(), "[info] stopped\n")) << log();
}

TEST_F(DaemonTest, AnInvalidProjectAtStartIsInvalidInputWithEveryDiagnosticLogged) {
  const auto goals = project_dir_ / "rules/goals.yaml";
  std::string broken = read_file(goals);
  broken.replace(broken.find("metric: iq_frauen"), 17, "metric: iq_fraun");
  write_file(goals, broken);
  Diagnostics expected;
  ASSERT_FALSE(load_project(project_dir_, expected).has_value());

  ManualClock clock(at("2025-03-01T12:00:00Z"));
  Daemon daemon(options(clock));
  const Status status = daemon.run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(status.error().message,
            "the project in " + project_dir_.string() + " is invalid (1 error)");
  const std::string text = log();
  for (const auto& diagnostic : expected.items())
    EXPECT_TRUE(contains(text, format_diagnostic(diagnostic))) << text;
  EXPECT_TRUE(storage::load_reviews(*reader()).empty());
}

TEST_F(DaemonTest, AnUnknownActorIsAUsageError) {
  ManualClock clock(at("2025-03-01T12:00:00Z"));
  DaemonOptions daemon_options = options(clock);
  daemon_options.actor = "zielwerk-dinest";
  Daemon daemon(std::move(daemon_options));
  const Status status = daemon.run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  EXPECT_TRUE(contains(status.error().message, "did you mean 'zielwerk-dienst'"))
      << status.error().message;
  EXPECT_TRUE(contains(log(), "[error] unknown actor 'zielwerk-dinest'")) << log();
}

TEST_F(DaemonTest, ACoordinatorMayServe) {
  ManualClock clock(at("2025-01-15T12:00:00Z"));
  DaemonOptions daemon_options = options(clock);
  daemon_options.actor = "controlling-jc";
  Running running(std::move(daemon_options));
  ASSERT_TRUE(running.ticks(1)) << running.error();
  EXPECT_TRUE(running.stop());
}

TEST_F(DaemonTest, AnActorThatMayNotRunIsRefusedOnceAndRecorded) {
  ManualClock clock(at("2025-01-15T12:00:00Z"));
  DaemonOptions daemon_options = options(clock);
  daemon_options.actor = "regionaldirektion";  // an auditor reads only
  Daemon daemon(std::move(daemon_options));
  const Status status = daemon.run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  EXPECT_TRUE(contains(status.error().message, "permission denied")) << status.error().message;
  EXPECT_TRUE(contains(log(), "not serving")) << log();
  auto database = storage::Database::open(db_path_);
  ASSERT_TRUE(database.ok());
  const auto records = storage::read_audit_records(*database.value());
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().operation, "access.denied");
  EXPECT_EQ(records.back().actor, "regionaldirektion");
}

TEST_F(DaemonTest, AReloadThatTakesThePermissionAwayStopsTheDaemon) {
  ManualClock clock(at("2025-01-15T12:00:00Z"));
  Running running(options(clock));
  ASSERT_TRUE(running.ticks(1)) << running.error();
  // zielwerk.yaml now makes the service an auditor: it may no longer run.
  const auto config = project_dir_ / "zielwerk.yaml";
  std::string text = read_file(config);
  const std::string system_role = "roles: [system]";
  ASSERT_NE(text.find(system_role), std::string::npos);
  text.replace(text.find(system_role), system_role.size(), "roles: [auditor]");
  write_file(config, text);
  running.daemon().request_reload();
  // It stops on its own (a stop request now would race the reload).
  ASSERT_TRUE(eventually([&] { return contains(log(), "[info] stopped"); })) << log();
  EXPECT_FALSE(running.stop());
  EXPECT_TRUE(contains(running.error(), "permission denied")) << running.error();
  EXPECT_TRUE(contains(log(), "; stopping")) << log();
}

TEST_F(DaemonTest, AnUnwritableLogFileIsAUsageError) {
  ManualClock clock(at("2025-01-15T12:00:00Z"));
  DaemonOptions daemon_options = options(clock);
  daemon_options.log_file = dir_.path() / "zielwerk.db" / "serve.log";  // below a file
  Daemon daemon(std::move(daemon_options));
  const Status status = daemon.run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  EXPECT_TRUE(contains(status.error().message, "cannot open the log file"))
      << status.error().message;
}

TEST(LogLevelTest, NamesRoundTrip) {
  for (const auto level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn,
                           LogLevel::error, LogLevel::off}) {
    EXPECT_EQ(parse_log_level(to_string(level)), level);
  }
  EXPECT_FALSE(parse_log_level("warning").has_value());
}

}  // namespace
}  // namespace zielwerk::engine
