// Many `zielwerk` processes at once on one database, round after round: two
// `run`s (at the same or at different --now), one or two imports and several
// readers (evaluate, audit query, audit verify), all started together. After
// each round:
//  - every process succeeded; no message says "locked" or "busy";
//  - no meeting was handled twice, and the two runs together performed each
//    step once;
//  - every import is complete with its audit record (or absent);
//  - the audit trail verifies;
//  - the final state is that of the same commands run one after another.
// Some rounds start without a database file: the processes race to create it
// and to migrate the schema.
//
// The seed is printed so a failure can be replayed (ZIELWERK_CONCURRENCY_SEED).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "cli/child_process.h"
#include "cli/database_checks.h"
#include "storage/raw_sqlite.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::testing {
namespace {

// A round starts six or seven processes and takes about 0.6 to 1 s in the
// dev build (the machine's load decides), several times that under the
// sanitizers, which check the same code paths in fewer rounds.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 8;
#else
constexpr int kRounds = 30;
#endif

using zielwerk::testing::kData;

// Times at which the runs act. On 2026-01-10 every meeting of the agreement
// year has started, whatever the hour: runs at either of these two handle
// every meeting alike, so they go with the rounds creating the database, where
// a run may find no file yet and the other then acts alone. The others differ
// in which meetings are due, prepared or missed.
const std::vector<std::string> kSameOutcomeTimes = {"2026-01-10T09:00", "2026-01-10T11:30"};
const std::vector<std::string> kTimes = {"2026-01-10T09:00", "2025-03-10T09:00", "2025-07-03T09:00",
                                         "2025-11-20T12:00"};

std::string query(const std::filesystem::path& db, const std::string& sql) {
  return query_raw(db, sql);
}

// Data rows of a CSV file (lines after the header that hold anything).
std::int64_t data_rows(const std::filesystem::path& file) {
  std::int64_t rows = -1;  // the header
  for (const auto& line : split_lines(read_file(file))) {
    if (line.find_first_not_of(" \r") != std::string::npos) ++rows;
  }
  return rows;
}

// Each review's outcome: "id=state:late", sorted.
std::map<std::string, std::string> review_outcomes(const std::filesystem::path& db) {
  std::map<std::string, std::string> outcomes;
  const auto text =
      query(db, "SELECT group_concat(id || '=' || state || ':' || late, ' ') FROM review");
  for (const auto& entry : split_lines(std::string(text == "<null>" ? "" : text))) {
    std::istringstream words(entry);
    for (std::string word; words >> word;) {
      const auto at = word.find('=');
      outcomes[word.substr(0, at)] = word.substr(at + 1);
    }
  }
  return outcomes;
}

// What the runs leave, as kill_test compares it: reviews with state and
// lateness, escalations with the review they went to. Without the measures a
// review demands: they follow from the figures its snapshot read, which
// depend on whether an import committed before it.
std::string run_state(const std::filesystem::path& db) {
  return query(db,
               "SELECT group_concat(id || ':' || state || ':' || late, ' ') FROM "
               "(SELECT * FROM review ORDER BY id)") +
         " | " +
         query(db,
               "SELECT group_concat(kind || ':' || subject || ':' || workflow || ':' || "
               "ifnull(review_id, '-'), ' ') FROM (SELECT * FROM escalation WHERE kind <> "
               "'measure_demanded' ORDER BY kind, subject, workflow)");
}

// The escalations raised by a step of their own (not with a review), without
// the review they went to (that depends on which run prepared which review).
std::string step_escalations(const std::filesystem::path& db) {
  return query(db,
               "SELECT group_concat(kind || ':' || subject || ':' || workflow, ' ') FROM "
               "(SELECT * FROM escalation WHERE kind <> 'measure_demanded' ORDER BY "
               "kind, subject, workflow)");
}

// The current value of every series and month, and each import's counts.
std::string data_state(const std::filesystem::path& db) {
  return query(db,
               "SELECT group_concat(x, ' ') FROM (SELECT s.metric || '/' || s.region || '/' || "
               "o.period || '=' || o.value || '#' || o.revision AS x FROM observation o JOIN "
               "series s ON s.id = o.series_id WHERE o.revision = (SELECT max(revision) FROM "
               "observation p WHERE p.series_id = o.series_id AND p.period = o.period) ORDER BY "
               "x)") +
         " | " +
         query(db,
               "SELECT group_concat(file_name || ':' || rows_read || ':' || added || ':' || "
               "revised || ':' || unchanged, ' ') FROM (SELECT * FROM import_batch ORDER BY id)");
}

std::vector<std::string> run_args(const std::filesystem::path& db, const std::string& now) {
  return {"run", "--project", kExample,          "--db",     db.string(), "--now",
          now,   "--actor",   "zielwerk-dienst", "--format", "json"};
}

std::vector<std::string> import_args(const std::filesystem::path& db,
                                     const std::vector<std::string>& files) {
  std::vector<std::string> args = {"import",    "--project", kExample,        "--db",
                                   db.string(), "--actor",   "controlling-jc"};
  for (const auto& file : files)
    args.push_back(kData + file);
  return args;
}

// Runs `zielwerk ARGS` to its end; its exit code.
int run_to_end(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
  Child child(args, scratch / "serial.out", scratch / "serial.err");
  const auto code = child.wait(60s);
  EXPECT_EQ(code, 0) << child.err();
  return code.value_or(-1);
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The database most rounds start from: two years of figures, no reviews yet.
    base_ = dir_.path() / "base.db";
    ASSERT_EQ(run_to_end(import_args(base_, {"2023.csv", "2024.csv"}), dir_.path()), 0);
  }

  // The state the given commands leave when run one after another from the
  // base (or from no database), cached: rounds repeat combinations.
  std::string serial(bool fresh, const std::vector<std::vector<std::string>>& imports,
                     const std::vector<std::string>& nows,
                     std::string (*state)(const std::filesystem::path&)) {
    std::string key = fresh ? "fresh" : "base";
    for (const auto& files : imports) {
      key += " import";
      for (const auto& file : files)
        key += " " + file;
    }
    for (const auto& now : nows)
      key += " run " + now;
    key += state == &data_state ? " data" : state == &run_state ? " runs" : " escalations";
    if (const auto found = cache_.find(key); found != cache_.end()) return found->second;
    const auto db = dir_.path() / "serial.db";
    remove_database(db);
    if (!fresh) std::filesystem::copy_file(base_, db);
    for (const auto& files : imports)
      run_to_end(import_args(db, files), dir_.path());
    for (const auto& now : nows)
      run_to_end(run_args(db, now), dir_.path());
    EXPECT_EQ(inconsistency(db), "") << key;
    return cache_[key] = state(db);
  }

  // Each review's outcome after runs at `nows` one after another from the base.
  const std::map<std::string, std::string>& serial_outcomes(const std::vector<std::string>& nows) {
    const std::string key = nows[0] + " " + nows[1];
    if (const auto found = outcomes_.find(key); found != outcomes_.end()) return found->second;
    const auto db = dir_.path() / "order.db";
    remove_database(db);
    std::filesystem::copy_file(base_, db);
    for (const auto& now : nows)
      run_to_end(run_args(db, now), dir_.path());
    return outcomes_[key] = review_outcomes(db);
  }

  TempDir dir_;
  std::filesystem::path base_;
  std::map<std::string, std::string> cache_;
  std::map<std::string, std::map<std::string, std::string>> outcomes_;
};

struct Started {
  std::string role;  // "run", "import", "reader"
  std::vector<std::string> args;
  std::unique_ptr<Child> child;
  std::optional<int> exit_code;
};

TEST_F(ConcurrencyTest, RunsImportsAndReadersAtOnceNeverFailOrDoAStepTwice) {
  const unsigned seed = random_seed("ZIELWERK_CONCURRENCY_SEED");
  std::mt19937 random(seed);
  auto coin = [&] { return std::uniform_int_distribution<int>(0, 1)(random) == 1; };
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  int fresh_rounds = 0;
  int too_early = 0;   // readers and runs that found no database yet (fresh rounds)
  int split_runs = 0;  // rounds in which both runs performed steps
  int processes = 0;
  const auto started_at = std::chrono::steady_clock::now();

  for (int round = 0; round < kRounds; ++round) {
    // Every third round creates the database; the others add to the base.
    const bool fresh = round % 3 == 0;
    const bool second_import = coin();
    std::vector<std::string> nows;
    if (fresh) {
      nows = {pick(kSameOutcomeTimes), pick(kSameOutcomeTimes)};
    } else {
      nows = {pick(kTimes)};
      nows.push_back(coin() ? nows.front() : pick(kTimes));
    }
    std::vector<std::vector<std::string>> imports;
    imports.push_back(fresh ? std::vector<std::string>{"2023.csv", "2024.csv", "2025.csv"}
                            : std::vector<std::string>{"2025.csv"});
    if (second_import) imports.push_back({"korrektur-2025.csv"});
    SCOPED_TRACE("round " + std::to_string(round) + (fresh ? " (new database)" : "") +
                 ", runs at " + nows[0] + " and " + nows[1] +
                 (second_import ? ", two imports" : "") +
                 "; ZIELWERK_CONCURRENCY_SEED=" + std::to_string(seed));

    const auto round_dir = dir_.path() / ("round-" + std::to_string(round));
    std::filesystem::create_directories(round_dir);
    const auto db = round_dir / "zielwerk.db";
    if (fresh) {
      ++fresh_rounds;
      ASSERT_FALSE(std::filesystem::exists(db));
    } else {
      std::filesystem::copy_file(base_, db);
    }

    std::vector<Started> started;
    // The creators first: in a fresh round the others should mostly find the
    // file being created, not missing.
    for (const auto& files : imports)
      started.push_back({"import", import_args(db, files), nullptr, std::nullopt});
    for (const auto& now : nows)
      started.push_back({"run", run_args(db, now), nullptr, std::nullopt});
    started.push_back({"reader",
                       {"evaluate", "--project", kExample, "--db", db.string(), "--period",
                        "2025-06", "--format", "json"},
                       nullptr,
                       std::nullopt});
    started.push_back({"reader",
                       {"audit", "query", "--project", kExample, "--db", db.string(), "--all",
                        "--format", "json"},
                       nullptr,
                       std::nullopt});
    started.push_back({"reader",
                       {"audit", "verify", "--project", kExample, "--db", db.string()},
                       nullptr,
                       std::nullopt});
    for (std::size_t i = 0; i < started.size(); ++i) {
      const auto name = round_dir / (started[i].role + "-" + std::to_string(i));
      started[i].child =
          std::make_unique<Child>(started[i].args, name.string() + ".out", name.string() + ".err");
    }
    processes += static_cast<int>(started.size());

    std::size_t run_steps = 0;
    int runs_with_steps = 0;
    std::vector<std::string> succeeded_nows;
    for (auto& process : started) {
      process.exit_code = process.child->wait(60s);
      ASSERT_TRUE(process.exit_code.has_value()) << "still running: " << process.args[0];
      const std::string err = process.child->err();
      const std::string what =
          process.args[0] + (process.args[0] == "audit" ? " " + process.args[1] : "");
      EXPECT_FALSE(contains(err, "locked") || contains(err, "busy")) << what << ": " << err;
      EXPECT_FALSE(contains(err, "internal error")) << what << ": " << err;
      // Only a command that needs an existing database, started before the
      // import created it, may fail: with the documented usage error (exit 2).
      if (fresh && process.role != "import" && *process.exit_code == 2 &&
          contains(err, "no database yet")) {
        ++too_early;
        continue;
      }
      ASSERT_EQ(*process.exit_code, 0) << what << ": " << err;
      if (process.role == "run") {
        const auto report = nlohmann::json::parse(process.child->out());
        run_steps += report["steps"].size();
        if (!report["steps"].empty()) ++runs_with_steps;
        succeeded_nows.push_back(process.args[6]);
      }
    }

    // No half step, no meeting twice, every import whole, the trail verifies.
    ASSERT_EQ(inconsistency(db), "");
    const auto verify = zielwerk("audit verify --project " + kExample + " --db " + db.string());
    ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;

    // Each import is there, once per file, with the file's rows.
    for (const auto& files : imports) {
      for (const auto& file : files) {
        EXPECT_EQ(query(db,
                        "SELECT count(*) || ':' || ifnull(sum(rows_read), 0) FROM "
                        "import_batch WHERE file_name LIKE '%/" +
                            file + "'"),
                  "1:" + std::to_string(data_rows(kData + file)))
            << file;
      }
    }
    // The figures are those of the imports one after another, in the order
    // they committed (the second import, if any, revises what the first stored).
    std::vector<std::vector<std::string>> commit_order = imports;
    if (second_import &&
        std::stoll(query(db,
                         "SELECT id FROM import_batch WHERE file_name LIKE "
                         "'%korrektur-2025.csv'")) <
            std::stoll(
                query(db, "SELECT id FROM import_batch WHERE file_name LIKE '%/2025.csv'"))) {
      std::swap(commit_order[0], commit_order[1]);
    }
    EXPECT_EQ(data_state(db), serial(fresh, commit_order, {}, &data_state));

    // The runs: each step once, and the outcome of both runs one after the other.
    if (runs_with_steps == 2) ++split_runs;
    const auto outcomes = review_outcomes(db);
    const std::size_t escalation_steps =
        std::stoul(query(db, "SELECT count(*) FROM escalation WHERE kind <> 'measure_demanded'"));
    EXPECT_EQ(run_steps, outcomes.size() + escalation_steps) << "a step done twice or lost";
    if (succeeded_nows.empty()) continue;
    if (succeeded_nows.size() == 2 && succeeded_nows[0] != succeeded_nows[1]) {
      // Which run handles a meeting first decides it (prepared at one time,
      // missed at a later one); each meeting must have an outcome one of the
      // two orders gives it. The runs interleave step by step, so across
      // meetings the outcomes may mix the orders.
      const std::vector<std::string> forward = succeeded_nows;
      const std::vector<std::string> backward = {forward[1], forward[0]};
      std::map<std::string, std::set<std::string>> allowed;
      for (const auto& order : {forward, backward}) {
        for (const auto& [id, outcome] : serial_outcomes(order))
          allowed[id].insert(outcome);
      }
      ASSERT_EQ(outcomes.size(), allowed.size()) << run_state(db);
      for (const auto& [id, outcome] : outcomes) {
        EXPECT_EQ(allowed[id].count(outcome), 1U) << id << " " << outcome;
      }
      EXPECT_EQ(step_escalations(db), serial(false, {}, forward, &step_escalations));
    } else {
      // At the same time (or times with the same outcome): exactly what one run does.
      EXPECT_EQ(run_state(db), serial(false, {}, {succeeded_nows[0]}, &run_state));
    }
    std::filesystem::remove_all(round_dir);
  }
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started_at;
  std::cout << "[ concurrency ] " << kRounds << " rounds (" << fresh_rounds
            << " creating the database), " << processes << " processes in " << seconds.count()
            << " s; runs splitting the steps between them: " << split_runs
            << " rounds; commands started before the database existed: " << too_early << "; seed "
            << seed << '\n';
}

// A lock held longer than the busy timeout (here by a plain SQLite connection
// in a write transaction): writers give up after the timeout with a message
// naming the database and the cause, exit 4, and change nothing; readers are
// not held up at all (WAL). The writers wait the real 5 s busy timeout: it is
// the contract being tested.
TEST_F(ConcurrencyTest, AWriteLockHeldBeyondTheTimeoutIsAClearStorageError) {
  const auto db = dir_.path() / "held.db";
  std::filesystem::copy_file(base_, db);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder,
                         "BEGIN IMMEDIATE; INSERT INTO project_meta (key, value) VALUES "
                         "('held', 'by the test')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto started = std::chrono::steady_clock::now();
  Child import(import_args(db, {"2025.csv"}), dir_.path() / "import.out",
               dir_.path() / "import.err");
  Child run(run_args(db, kTimes[0]), dir_.path() / "run.out", dir_.path() / "run.err");
  Child reader({"evaluate", "--project", kExample, "--db", db.string(), "--period", "2024-06"},
               dir_.path() / "reader.out", dir_.path() / "reader.err");
  // A reader held up by the lock would have given up with exit 4: the lock
  // is held until the writers are done.
  EXPECT_EQ(reader.wait(), 0) << reader.err();
  for (auto* writer : {&import, &run}) {
    EXPECT_EQ(writer->wait(), 4) << writer->err();
    EXPECT_TRUE(contains(writer->err(), db.string())) << writer->err();
    EXPECT_TRUE(contains(writer->err(),
                         "another process (zielwerk, or a backup with sqlite3) holds the database"))
        << writer->err();
    EXPECT_FALSE(contains(writer->err(), "locked")) << writer->err();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - started, 5s) << "gave up before the busy timeout";
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(query(db, "SELECT count(*) FROM review"), "0");
  EXPECT_EQ(query(db, "SELECT count(*) FROM import_batch"), "2");
  // Released: the same commands succeed.
  EXPECT_EQ(run_to_end(import_args(db, {"2025.csv"}), dir_.path()), 0);
  EXPECT_EQ(run_to_end(run_args(db, kTimes[0]), dir_.path()), 0);
  EXPECT_EQ(inconsistency(db), "");
}

}  // namespace
}  // namespace zielwerk::testing
