// `zielwerk run` killed with SIGKILL at random points, many times: after each
// kill the database is consistent (no half step: every review and escalation
// with its audit record, the audit chain intact, no meeting twice), and running
// again completes exactly the state an uninterrupted run reaches.
//
// The kill points are random delays after the start, spread over the time an
// uninterrupted run takes; the seed is printed so a failure can be replayed
// (ZIELWERK_KILL_SEED).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "cli/cli_support.h"
#include "storage/raw_sqlite.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"

extern char** environ;

namespace zielwerk::testing {
namespace {

// 60 kills per case in the normal build. Under the sanitizers every process
// starts several times slower and the kills prove the same about the database,
// so fewer rounds keep CI short; the sanitizers still check each rerun.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 20;
#else
constexpr int kRounds = 60;
#endif
constexpr const char* kNow = "2026-01-10T09:00";  // every meeting of the agreement year is due

std::vector<std::string> run_arguments(const std::filesystem::path& db,
                                       const std::string& now = kNow) {
  return {ZIELWERK_BINARY,   "run",   "--project", kExample,   "--db", db.string(), "--actor",
          "zielwerk-dienst", "--now", now,         "--format", "json"};
}

pid_t spawn(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const auto& argument : arguments)
    argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? pid : -1;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// What a finished run leaves, comparable between databases.
std::string final_state(const std::filesystem::path& db) {
  return query_raw(db,
                   "SELECT group_concat(id || ':' || state || ':' || late, ' ') FROM "
                   "(SELECT * FROM review ORDER BY id)") +
         " | " +
         query_raw(db,
                   "SELECT group_concat(kind || ':' || subject || ':' || workflow || ':' || "
                   "ifnull(review_id, '-'), ' ') FROM (SELECT * FROM escalation ORDER BY "
                   "kind, subject, workflow)");
}

// Every consistency rule a killed run must not break; empty when all hold.
std::string inconsistency(const std::filesystem::path& db) {
  if (const auto check = query_raw(db, "PRAGMA integrity_check"); check != "ok") {
    return "integrity_check: " + check;
  }
  const auto reviews = query_raw(db, "SELECT count(*) FROM review");
  const auto review_records =
      query_raw(db,
                "SELECT count(*) FROM audit_record WHERE operation IN ('review.prepare', "
                "'review.missed')");
  if (reviews != review_records) {
    return reviews + " reviews but " + review_records + " audit records of reviews";
  }
  const auto linked =
      query_raw(db,
                "SELECT count(*) FROM review r JOIN audit_record a ON a.seq = r.audit_seq AND "
                "a.operation = CASE r.state WHEN 'missed' THEN 'review.missed' ELSE "
                "'review.prepare' END AND instr(a.payload, '\"' || r.id || '\"') > 0");
  if (linked != reviews) return "a review without its own audit record";
  const auto half_prepared =
      query_raw(db,
                "SELECT count(*) FROM review WHERE state = 'prepared' AND (snapshot IS NULL OR "
                "agenda IS NULL)");
  if (half_prepared != "0") return half_prepared + " prepared reviews without snapshot or agenda";
  const auto escalations = query_raw(db, "SELECT count(*) FROM escalation");
  const auto escalation_records =
      query_raw(db, "SELECT count(*) FROM audit_record WHERE operation LIKE 'escalation.%'");
  if (escalations != escalation_records) {
    return escalations + " escalations but " + escalation_records + " audit records of them";
  }
  // The chain holds, and every row the runs left is the one its record vouches for.
  auto database = storage::Database::open(db);
  if (!database.ok()) return database.error().message;
  const auto verification = storage::verify_audit_trail(*database.value());
  if (!verification.ok()) return "audit verify: " + verification.problems.front().message;
  return {};
}

// The example's figures imported into `base`.
void import_example(const std::filesystem::path& base) {
  const auto imported = zielwerk("import --project " + kExample + " --db " + base.string() +
                                 " --actor controlling-jc " + kExample + "/data/2023.csv " +
                                 kExample + "/data/2024.csv " + kExample + "/data/2025.csv " +
                                 kExample + "/data/korrektur-2025.csv");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

unsigned random_seed() {
  const char* seed_text = std::getenv("ZIELWERK_KILL_SEED");
  return seed_text != nullptr ? static_cast<unsigned>(std::atoi(seed_text))
                              : std::random_device{}();
}

TEST(KillTest, RunKilledAtRandomPointsLeavesAConsistentDatabaseAndCompletesOnRerun) {
  TempDir dir;
  const auto base = dir.path() / "base.db";
  import_example(base);

  // The reference: one uninterrupted run, timed.
  const auto reference = dir.path() / "reference.db";
  std::filesystem::copy_file(base, reference);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for(spawn(run_arguments(reference))), 0);
  const auto duration = std::chrono::steady_clock::now() - started;
  const std::string expected = final_state(reference);
  ASSERT_NE(expected.find("ba-zielnachhaltedialog/2025-12:prepared"), std::string::npos)
      << expected;
  ASSERT_EQ(inconsistency(reference), "");
  // Starting the program and loading the project takes part of that time: a
  // run with nothing left to do measures it, and the kills aim after it.
  const auto idle_start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for(spawn(run_arguments(reference))), 0);
  const auto idle = std::chrono::steady_clock::now() - idle_start;
  ASSERT_EQ(final_state(reference), expected);

  const char* seed_text = std::getenv("ZIELWERK_KILL_SEED");
  const unsigned seed =
      seed_text != nullptr ? static_cast<unsigned>(std::atoi(seed_text)) : std::random_device{}();
  std::mt19937 random(seed);
  using std::chrono::microseconds;
  const auto earliest = std::chrono::duration_cast<microseconds>(idle) * 8 / 10;
  const auto latest = std::chrono::duration_cast<microseconds>(duration) * 11 / 10;
  std::uniform_int_distribution<long> delay(earliest.count(),
                                            std::max(latest, earliest + microseconds(1)).count());
  int killed_mid_run = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", ZIELWERK_KILL_SEED=" + std::to_string(seed));
    const auto db = dir.path() / ("round-" + std::to_string(round) + ".db");
    std::filesystem::copy_file(base, db);
    const pid_t pid = spawn(run_arguments(db));
    ASSERT_GT(pid, 0);
    // The kill point: a random moment of the run (this waits for the victim, not for logic).
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    kill(pid, SIGKILL);
    const int status = wait_for(pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    if (WIFSIGNALED(status)) {
      const auto reviews = query_raw(db, "SELECT count(*) FROM review");
      if (reviews != "0" && final_state(db) != expected) ++killed_mid_run;
    }
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(wait_for(spawn(run_arguments(db))), 0);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(final_state(db), expected);
    std::filesystem::remove(db);
  }
  std::cout << "[ kill test ] " << kRounds << " kills, " << killed_mid_run
            << " between the first and the last step; seed " << seed << '\n';
  EXPECT_GE(killed_mid_run, kRounds / 20) << "too few kills landed inside a run to prove anything";
}

// The year as the daemon lives it: one run at each preparation time, each
// preparing one meeting (and raising what fell due since). Kills land inside
// those runs; each must leave the state before or after whole steps.
TEST(KillTest, PreparationsKilledAtRandomPointsAreAllOrNothing) {
  TempDir dir;
  std::vector<std::filesystem::path> after;  // after[k]: the state after the k-th run
  after.push_back(dir.path() / "after-0.db");
  import_example(after.back());
  std::vector<std::string> times;  // times[k]: when the (k+1)-th run happens
  std::string now = "2025-01-20T09:00";
  std::chrono::steady_clock::duration longest{};
  while (!now.empty() && times.size() < 40) {
    times.push_back(now);
    const auto next = dir.path() / ("after-" + std::to_string(times.size()) + ".db");
    std::filesystem::copy_file(after.back(), next);
    const auto started = std::chrono::steady_clock::now();
    const auto run = zielwerk("run --project " + kExample + " --db " + next.string() +
                              " --actor zielwerk-dienst --format json --now " + now);
    longest = std::max(longest, std::chrono::steady_clock::now() - started);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto report = nlohmann::json::parse(run.out);
    now = report["next_preparation"].is_null() ? "" : report["next_preparation"].get<std::string>();
    after.push_back(next);
  }
  // The first run finds nothing due yet; then one run per meeting (12 BA, 4 municipal).
  ASSERT_EQ(times.size(), 17U);

  const unsigned seed = random_seed();
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> which(0, times.size() - 1);
  std::uniform_int_distribution<long> delay(
      0, std::chrono::duration_cast<std::chrono::microseconds>(longest).count());
  for (int round = 0; round < kRounds; ++round) {
    const std::size_t k = which(random);
    SCOPED_TRACE("round " + std::to_string(round) + ", run at " + times[k] +
                 ", ZIELWERK_KILL_SEED=" + std::to_string(seed));
    const auto db = dir.path() / "round.db";
    std::filesystem::copy_file(after[k], db, std::filesystem::copy_options::overwrite_existing);
    const pid_t pid = spawn(run_arguments(db, times[k]));
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    kill(pid, SIGKILL);
    wait_for(pid);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(wait_for(spawn(run_arguments(db, times[k]))), 0);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(final_state(db), final_state(after[k + 1]));
  }
}

}  // namespace
}  // namespace zielwerk::testing
