// `zielwerk run` killed with SIGKILL, many times: after each kill the database
// is consistent (no half step: every review and escalation with its audit
// record, the audit chain intact, no meeting twice), and running again
// completes exactly the state an uninterrupted run reaches.
//
// Two kinds of kill:
//  - aimed: the binary's fault-injection hook (storage/src/fault_injection.h)
//    kills the run just before and just after the COMMIT of each of its write
//    transactions in turn, so every step boundary is hit, deterministically;
//  - random: a SIGKILL after a random delay, which can land anywhere (while
//    the project loads, inside SQLite, between steps); a failure names the
//    seed so it can be replayed (ZIELWERK_KILL_SEED). The delay waits for the
//    victim, not for logic: it is the one real-time sleep these tests need.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "cli/child_process.h"
#include "cli/database_checks.h"
#include "storage/raw_sqlite.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::testing {
namespace {

// Random kills per case, and which write transactions the aimed kills hit (every
// one, or every third). Under the sanitizers every process starts several times
// slower and the kills prove the same about the database, so fewer keep CI
// short; the sanitizers still check each rerun.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 10;
constexpr int kAimStride = 3;
#else
constexpr int kRounds = 40;
constexpr int kAimStride = 1;
#endif
constexpr const char* kNow = "2026-01-10T09:00";  // every meeting of the agreement year is due

// `zielwerk run` on `db` at `now`, started; `fault` (e.g. "before-commit:3")
// aims its fault-injection hook. Its output goes beside the database.
std::unique_ptr<Child> start_run(const std::filesystem::path& db, const std::string& now = kNow,
                                 const std::string& fault = "") {
  return std::make_unique<Child>(
      std::vector<std::string>{"run", "--project", kExample, "--db", db.string(), "--actor",
                               "zielwerk-dienst", "--now", now, "--format", "json"},
      db.string() + ".out", db.string() + ".err",
      fault.empty() ? std::vector<std::string>{}
                    : std::vector<std::string>{"ZIELWERK_FAULT_INJECTION=" + fault});
}

// The exit code of a started run (128 + the signal that ended it). A run that
// does not end within five minutes (a hang: a run takes seconds) fails the test.
int finish(Child& run) {
  const auto code = run.wait(300s);
  if (!code) ADD_FAILURE() << "zielwerk run did not start or did not end within five minutes";
  return code.value_or(-1);
}

int run_to_end(const std::filesystem::path& db, const std::string& now = kNow,
               const std::string& fault = "") {
  return finish(*start_run(db, now, fault));
}

constexpr int kKilled = 128 + SIGKILL;

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

// `to` becomes a copy of the database `from`, without what a killed process
// left beside an earlier copy.
void fresh_copy(const std::filesystem::path& from, const std::filesystem::path& to) {
  remove_database(to);
  std::filesystem::copy_file(from, to);
}

// The example's figures imported into `base`.
void import_example(const std::filesystem::path& base) {
  const auto imported = zielwerk("import --project " + kExample + " --db " + base.string() +
                                 " --actor controlling-jc " + kExample + "/data/2023.csv " +
                                 kExample + "/data/2024.csv " + kExample + "/data/2025.csv " +
                                 kExample + "/data/korrektur-2025.csv");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

// Everything the database holds that a step changes, comparable between
// databases: the finished state plus how many audit records there are.
std::string step_state(const std::filesystem::path& db) {
  return final_state(db) + " | " + query_raw(db, "SELECT count(*) FROM audit_record");
}

TEST(KillTest, RunKilledAtEachCommitLeavesWholeStepsAndCompletesOnRerun) {
  TempDir dir;
  const auto base = dir.path() / "base.db";
  import_example(base);
  const auto reference = dir.path() / "reference.db";
  std::filesystem::copy_file(base, reference);
  ASSERT_EQ(run_to_end(reference), 0);
  const std::string expected = final_state(reference);
  ASSERT_NE(expected.find("ba-zielnachhaltedialog/2025-12:prepared"), std::string::npos)
      << expected;
  ASSERT_EQ(inconsistency(reference), "");

  // Kill at the n-th transaction, before and after its COMMIT, for n = 1, 2, ...
  // until a run ends normally because it has fewer transactions than n.
  int aimed_kills = 0;
  int transactions = -1;
  std::string after_last_commit = step_state(base);  // what commit n-1 left
  std::string before_this_commit;                    // what a kill before commit n left
  for (int n = 1; transactions < 0; n += kAimStride) {
    // With a stride, commit n-1 was not hit: a kill after it gives the state
    // a kill before commit n must leave.
    std::vector<std::pair<std::string, int>> kills = {{"before-commit", n}, {"after-commit", n}};
    if (kAimStride > 1 && n > 1) kills.insert(kills.begin(), {"after-commit", n - 1});
    for (const auto& [point, ordinal] : kills) {
      const std::string fault = point + ":" + std::to_string(ordinal);
      SCOPED_TRACE(fault);
      const auto db = dir.path() / "aimed.db";
      fresh_copy(base, db);
      const int status = run_to_end(db, kNow, fault);
      if (status == 0) {
        // The run had fewer than `ordinal` transactions: it ran uninterrupted.
        ASSERT_GT(ordinal, 1) << "the binary has no fault-injection hook: configure with "
                                 "-DZIELWERK_FAULT_INJECTION=ON (the dev and asan presets do)";
        ASSERT_FALSE(point == "after-commit" && ordinal == n)
            << "a run killed before its commit " << n << " ended normally after it";
        ASSERT_EQ(final_state(db), expected);
        transactions = ordinal - 1;
        break;
      }
      ASSERT_EQ(status, kKilled);
      ++aimed_kills;
      ASSERT_EQ(inconsistency(db), "");
      // Killed before its COMMIT, the n-th step left nothing: the state is the
      // one commit n-1 left. Killed after it, the step is there, whole.
      const auto state = step_state(db);
      if (point == "before-commit") {
        ASSERT_EQ(state, after_last_commit);
        before_this_commit = state;
      } else if (ordinal < n) {
        after_last_commit = state;  // the reference for the kill before commit n
      } else {
        ASSERT_NE(state, before_this_commit) << "commit " << n << " left no trace";
        after_last_commit = state;
      }
      ASSERT_EQ(run_to_end(db), 0);
      ASSERT_EQ(inconsistency(db), "");
      ASSERT_EQ(final_state(db), expected);
    }
  }
  std::cout << "[ kill test ] " << aimed_kills << " aimed kills; the run has at most "
            << transactions << " write transactions\n";
  // At least one transaction per prepared or missed meeting (16 in 2025).
  EXPECT_GE(transactions + kAimStride, 16);
}

TEST(KillTest, RunKilledAtRandomPointsLeavesAConsistentDatabaseAndCompletesOnRerun) {
  TempDir dir;
  const auto base = dir.path() / "base.db";
  import_example(base);

  // The reference: one uninterrupted run, timed, so the kills spread over it.
  const auto reference = dir.path() / "reference.db";
  std::filesystem::copy_file(base, reference);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(run_to_end(reference), 0);
  const auto duration = std::chrono::steady_clock::now() - started;
  const std::string expected = final_state(reference);
  ASSERT_EQ(inconsistency(reference), "");

  const unsigned seed = random_seed("ZIELWERK_KILL_SEED");
  std::mt19937 random(seed);
  using std::chrono::microseconds;
  const auto latest = std::chrono::duration_cast<microseconds>(duration) * 11 / 10;
  std::uniform_int_distribution<long> delay(0, latest.count());
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", ZIELWERK_KILL_SEED=" + std::to_string(seed));
    const auto db = dir.path() / ("round-" + std::to_string(round) + ".db");
    std::filesystem::copy_file(base, db);
    const auto run = start_run(db);
    // The kill point: a random moment of the run (this waits for the victim, not for logic).
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    run->signal(SIGKILL);
    const int status = finish(*run);
    ASSERT_TRUE(status == kKilled || status == 0) << status;
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(run_to_end(db), 0);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(final_state(db), expected);
    std::filesystem::remove(db);
  }
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

  const unsigned seed = random_seed("ZIELWERK_KILL_SEED");
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> which(0, times.size() - 1);
  std::uniform_int_distribution<long> delay(
      0, std::chrono::duration_cast<std::chrono::microseconds>(longest).count());
  for (int round = 0; round < kRounds; ++round) {
    const std::size_t k = which(random);
    SCOPED_TRACE("round " + std::to_string(round) + ", run at " + times[k] +
                 ", ZIELWERK_KILL_SEED=" + std::to_string(seed));
    const auto db = dir.path() / "round.db";
    fresh_copy(after[k], db);
    const auto run = start_run(db, times[k]);
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    run->signal(SIGKILL);
    finish(*run);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(run_to_end(db, times[k]), 0);
    ASSERT_EQ(inconsistency(db), "");
    ASSERT_EQ(final_state(db), final_state(after[k + 1]));
  }
}

}  // namespace
}  // namespace zielwerk::testing
