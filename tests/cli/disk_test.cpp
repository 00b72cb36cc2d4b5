// Writes that fail because the disk is full, a file cannot grow or the
// database is read-only: each exits 4 with a message naming the database and
// the cause in plain words, and the database stays exactly as it was (every
// row of every table, the audit trail verifies); once space is back, the same
// command succeeds. Readers work on a read-only database. Output files
// (report, audit export) that do not fit leave nothing behind (exit 3).
//
// The file size limit (RLIMIT_FSIZE) needs no privileges and always runs. A
// full or read-only file system is a small tmpfs mounted in a user and mount
// namespace (`unshare -rm`); without user namespaces those tests are skipped.
// A read-only file for a user who may not write it uses setpriv (as root).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "cli/child_process.h"
#include "cli/database_dump.h"
#include "storage/raw_sqlite.h"

namespace zielwerk::testing {
namespace {

using zielwerk::testing::kData;
const std::string kReview = "ba-zielnachhaltedialog/2025-06";  // prepared in the base

std::string rows(const std::filesystem::path& db, const std::string& table) {
  return query_raw(db, "SELECT count(*) FROM " + table);
}

// The writes under test, as arguments after `zielwerk`.
std::vector<std::string> with_db(std::vector<std::string> args, const std::string& db) {
  args.insert(args.end(), {"--project", kExample, "--db", db});
  return args;
}
std::vector<std::string> import_2025(const std::string& db) {
  return with_db({"import", "--actor", "controlling-jc", kData + "2025.csv"}, db);
}
std::vector<std::string> run_august(const std::string& db) {
  return with_db({"run", "--actor", "zielwerk-dienst", "--now", "2025-08-05T10:00"}, db);
}
std::vector<std::string> measure_add(const std::string& db) {
  return with_db({"measure", "add", "--actor", "controlling-jc", "--review", kReview, "--goal",
                  "iq-frauen", "--title", "Teilzeitstellen akquirieren", "--owner", "jobcenter",
                  "--assignee", "Team Arbeitgeberservice", "--due", "2025-09-30"},
                 db);
}
std::vector<std::string> milestone_done(const std::string& db) {
  return with_db({"milestone", "done", "--actor", "gf-jobcenter",
                  "kommunale-eingliederung-schulungen", "schulungsplan", "--date", "2025-05-02"},
                 db);
}

// `zielwerk ARGS` with the file size limited to `max_file_bytes` (0: no
// limit) and SIGXFSZ ignored, so a write past the limit fails with EFBIG
// instead of killing the process.
CliRun zielwerk_limited(const std::vector<std::string>& args, rlim_t max_file_bytes,
                        const std::filesystem::path& scratch) {
  const auto out = scratch / "limited.out";
  const auto err = scratch / "limited.err";
  std::vector<std::string> argv_strings = {ZIELWERK_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment_storage;
  auto environment = child_environment(environment_storage);
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) _exit(125);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    signal(SIGXFSZ, SIG_IGN);  // survives exec
    if (max_file_bytes > 0) {
      const rlimit limit{max_file_bytes, max_file_bytes};
      if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(126);
    }
    execve(argv[0], argv.data(), environment.data());
    _exit(127);
  }
  CliRun outcome;
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
    outcome.exit_code = WEXITSTATUS(status);
  }
  outcome.out = read_file(out);
  outcome.err = read_file(err);
  return outcome;
}

CliRun zielwerk_args(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
  return zielwerk_limited(args, 0, scratch);
}

class DiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two years of figures and a prepared review (for a measure to be agreed in).
    base_ = dir_.path() / "base.db";
    const auto imported = zielwerk_args(
        with_db({"import", "--actor", "controlling-jc", kData + "2023.csv", kData + "2024.csv"},
                base_.string()),
        dir_.path());
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const auto ran = zielwerk_args(
        with_db({"run", "--actor", "zielwerk-dienst", "--now", "2025-07-03T10:00"}, base_.string()),
        dir_.path());
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
    ASSERT_EQ(query_raw(base_, "SELECT state FROM review WHERE id = '" + kReview + "'"),
              "prepared");
  }

  // The failure the tests expect of a write: exit 4, the database named, the
  // cause in plain words, SQLite's own wording nowhere.
  static void expect_clear_failure(const CliRun& outcome, const std::string& db,
                                   const std::vector<std::string>& causes) {
    EXPECT_EQ(outcome.exit_code, 4) << outcome.out << outcome.err;
    EXPECT_TRUE(contains(outcome.err, db)) << outcome.err;
    bool named = false;
    for (const auto& cause : causes)
      named = named || contains(outcome.err, cause);
    EXPECT_TRUE(named) << outcome.err;
    EXPECT_FALSE(contains(outcome.err, "internal error")) << outcome.err;
    EXPECT_FALSE(contains(outcome.err, "disk I/O error")) << outcome.err;
    EXPECT_FALSE(contains(outcome.err, "database or disk is full")) << outcome.err;
    EXPECT_FALSE(contains(outcome.err, "readonly database")) << outcome.err;
  }

  TempDir dir_;
  std::filesystem::path base_;
};

TEST_F(DiskTest, AWriteBeyondTheFileSizeLimitFailsClearlyAndChangesNothing) {
  const auto db = dir_.path() / "limited.db";
  std::filesystem::copy_file(base_, db);
  const std::string before = dump(db);
  ASSERT_NE(before.find("== observation"), std::string::npos) << before;
  // 33 KiB: SQLite's -shm index (32 KiB) fits, so the database opens and
  // reads; the write-ahead log cannot take a whole import or preparation.
  constexpr rlim_t kLimit = 33 * 1024;
  for (const auto& args : {import_2025(db.string()), run_august(db.string())}) {
    SCOPED_TRACE(args[0]);
    const auto failed = zielwerk_limited(args, kLimit, dir_.path());
    expect_clear_failure(failed, db.string(), {"disk is full", "could not be written"});
    EXPECT_TRUE(contains(failed.err, "nothing was changed")) << failed.err;
    EXPECT_EQ(dump(db), before);
  }
  // Reading needs no more room.
  const auto evaluated = zielwerk_limited(with_db({"evaluate", "--period", "2024-06"}, db.string()),
                                          kLimit, dir_.path());
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto verified =
      zielwerk_limited(with_db({"audit", "verify"}, db.string()), kLimit, dir_.path());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(dump(db), before);

  // Without the limit the same commands succeed: the limit was what stopped them.
  const auto observations = rows(db, "observation");
  const auto imported = zielwerk_args(import_2025(db.string()), dir_.path());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(rows(db, "observation"), observations);
  const auto reviews = rows(db, "review");
  const auto ran = zielwerk_args(run_august(db.string()), dir_.path());
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(rows(db, "review"), reviews) << ran.out;
  EXPECT_EQ(zielwerk_args(with_db({"audit", "verify"}, db.string()), dir_.path()).exit_code, 0);
}

// The commands of a tmpfs scenario, run by one shell inside a user and mount
// namespace: each step's exit code, stdout and stderr land in `out`, and
// `snap NAME` copies the database (with its log) there for the test to read.
class TmpfsTest : public DiskTest {
 protected:
  void SetUp() override {
    DiskTest::SetUp();
    if (HasFatalFailure()) return;
    const auto probe = zielwerk("--version");  // the binary runs at all
    ASSERT_EQ(probe.exit_code, 0);
    if (std::system("unshare -rm true >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "user namespaces are not available (`unshare -rm` fails): cannot mount a "
                      "small tmpfs without privileges";
    }
    mount_ = dir_.path() / "mnt";
    out_ = dir_.path() / "out";
    std::filesystem::create_directories(mount_);
    std::filesystem::create_directories(out_);
  }

  // Runs `body` (shell) after mounting a tmpfs of `kib` KiB at $M holding a
  // copy of the base as $M/zielwerk.db.
  void scenario(int kib, const std::string& body) {
    const std::string script = R"sh(
set -u
export M=')sh" + mount_.string() +
                               R"sh('
O=')sh" + out_.string() + R"sh('
Z=')sh" + std::string(ZIELWERK_BINARY) +
                               R"sh('
P=')sh" + kExample + R"sh('
D="$M/zielwerk.db"
step() { name=$1; shift; "$Z" "$@" --project "$P" --db "$D" >"$O/$name.out" 2>"$O/$name.err"; echo $? >"$O/$name.rc"; }
snap() { rm -f "$O/$1.db" "$O/$1.db-wal"; cp "$D" "$O/$1.db"; if [ -s "$D-wal" ]; then cp "$D-wal" "$O/$1.db-wal"; fi; }
avail() { df -k --output=avail "$M" | tail -1 | tr -d ' '; }
# Fills the file system up to $1 KiB free.
fill() { rm -f "$M/filler"; dd if=/dev/zero of="$M/filler" bs=1k count=$(( $(avail) - $1 )) 2>/dev/null; avail >"$O/$2.avail"; }
mount -t tmpfs -o size=)sh" + std::to_string(kib) +
                               R"sh(k tmpfs "$M" || exit 97
cp ')sh" + base_.string() + R"sh(' "$D" || exit 98
)sh" + body;
    write_file(dir_.path() / "scenario.sh", script);
    const int status =
        std::system(("unshare -rm sh " + (dir_.path() / "scenario.sh").string()).c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the scenario failed to set up (" << status << ")";
  }

  CliRun step(const std::string& name) const {
    CliRun outcome;
    const std::string rc = read_file(out_ / (name + ".rc"));
    EXPECT_FALSE(rc.empty()) << name << " did not run";
    outcome.exit_code = rc.empty() ? -1 : std::atoi(rc.c_str());
    outcome.out = read_file(out_ / (name + ".out"));
    outcome.err = read_file(out_ / (name + ".err"));
    return outcome;
  }
  std::string state(const std::string& snap) const { return dump(out_ / (snap + ".db")); }
  int avail(const std::string& name) const {
    return std::atoi(read_file(out_ / (name + ".avail")).c_str());
  }
  std::string db() const { return (mount_ / "zielwerk.db").string(); }

  std::filesystem::path mount_;
  std::filesystem::path out_;
};

const std::vector<std::pair<std::string, std::string>> kWrites = {
    {"import", R"(import --actor controlling-jc "$P/data/2025.csv")"},
    {"run", "run --actor zielwerk-dienst --now 2025-08-05T10:00"},
    {"measure", "measure add --actor controlling-jc --review " + kReview +
                    " --goal iq-frauen --title Teilzeitstellen --owner jobcenter --assignee "
                    "Arbeitgeberservice --due 2025-09-30"},
    {"milestone",
     "milestone done --actor gf-jobcenter kommunale-eingliederung-schulungen schulungsplan "
     "--date 2025-05-02"},
};

std::string write_steps(const std::string& prefix) {
  std::string steps;
  for (const auto& [name, args] : kWrites)
    steps += "step " + prefix + name + " " + args + "\n";
  return steps;
}

TEST_F(TmpfsTest, OnAFullDiskWritesFailClearlyChangeNothingAndSucceedOnceThereIsSpace) {
  scenario(2048, R"sh(
snap before
# 36 KiB free: room for SQLite's -shm index (32 KiB), so the database opens,
# but not for one page of the write-ahead log.
fill 36 nearly
)sh" + write_steps("nearly-") +
                     R"sh(
step nearly-evaluate evaluate --period 2024-06
step nearly-verify audit verify
step nearly-report report review )sh" +
                     kReview + R"sh( --output "$M/juni.html"
step nearly-export audit export --output "$M/trail.jsonl"
ls -a "$M" >"$O/nearly.files"
snap nearly
# Nothing free at all: not even the index fits; every command fails to open.
fill 0 full
if echo probe >"$M/probe" 2>/dev/null; then echo written >"$O/full.probe"; fi
rm -f "$M/probe"
)sh" + write_steps("full-") +
                     R"sh(
step full-evaluate evaluate --period 2024-06
snap full
# Space again: the same write succeeds.
rm -f "$M/filler"
step retry-import import --actor controlling-jc "$P/data/2025.csv"
step retry-verify audit verify
snap retry
)sh");
  const std::string before = state("before");
  ASSERT_NE(before.find("== observation"), std::string::npos);

  // Nearly full: the precondition, then every write.
  ASSERT_LT(avail("nearly"), 40) << "the disk was not filled";
  for (const auto& [name, args] : kWrites) {
    SCOPED_TRACE(name + " on a nearly full disk");
    const auto outcome = step("nearly-" + name);
    expect_clear_failure(outcome, db(), {"the disk is full"});
    EXPECT_TRUE(contains(outcome.err, "nothing was changed")) << outcome.err;
  }
  EXPECT_EQ(step("nearly-evaluate").exit_code, 0) << step("nearly-evaluate").err;
  EXPECT_EQ(step("nearly-verify").exit_code, 0) << step("nearly-verify").err;
  // Output files that do not fit: exit 3 (a file of the user's could not be
  // written, not the database), and no partial file left.
  for (const auto* name : {"nearly-report", "nearly-export"}) {
    const auto outcome = step(name);
    EXPECT_EQ(outcome.exit_code, 3) << name << ": " << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "No space left on device")) << outcome.err;
  }
  const std::string files = read_file(out_ / "nearly.files");
  EXPECT_FALSE(contains(files, "juni.html")) << files;
  EXPECT_FALSE(contains(files, "trail.jsonl")) << files;
  EXPECT_EQ(state("nearly"), before);

  // Completely full: the probe proves it; nothing opens, nothing changes.
  EXPECT_EQ(avail("full"), 0);
  EXPECT_FALSE(std::filesystem::exists(out_ / "full.probe")) << "a probe write succeeded";
  for (const auto& [name, args] : kWrites) {
    SCOPED_TRACE(name + " on a full disk");
    expect_clear_failure(step("full-" + name), db(), {"the disk is full"});
  }
  expect_clear_failure(step("full-evaluate"), db(), {"the disk is full"});
  EXPECT_EQ(state("full"), before);

  // Space again: the retry succeeds and the trail verifies.
  const auto retried = step("retry-import");
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(step("retry-verify").exit_code, 0) << step("retry-verify").err;
  EXPECT_NE(state("retry"), before);
  EXPECT_EQ(query_raw(out_ / "retry.db", "SELECT count(*) FROM import_batch"), "3");
}

TEST_F(TmpfsTest, OnAReadOnlyFileSystemWritesFailClearlyAndReadersWork) {
  scenario(2048, R"sh(
step rw-evaluate evaluate --period 2024-06 --format json
step rw-query audit query --all --format json
# A second copy whose last change is still in its -wal (the writer died
# before the checkpoint), without the -shm index.
cp "$D" "$M/pending.db"
python3 -c 'import os, sqlite3
c = sqlite3.connect(os.environ["M"] + "/pending.db")
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("INSERT INTO project_meta VALUES (1, 2)")
c.commit()
os._exit(0)' || exit 95
rm -f "$M/pending.db-shm"
[ -s "$M/pending.db-wal" ] || exit 94
mount -o remount,ro "$M" || exit 96
"$Z" evaluate --period 2024-06 --project "$P" --db "$M/pending.db" >"$O/pending.out" 2>"$O/pending.err"; echo $? >"$O/pending.rc"
if echo probe >"$M/probe" 2>/dev/null; then echo written >"$O/ro.probe"; fi
)sh" + write_steps("ro-") +
                     R"sh(
step ro-evaluate evaluate --period 2024-06 --format json
step ro-query audit query --all --format json
step ro-verify audit verify
ls -a "$M" >"$O/ro.files"
snap ro
)sh");
  EXPECT_FALSE(std::filesystem::exists(out_ / "ro.probe")) << "the file system is writable";
  for (const auto& [name, args] : kWrites) {
    SCOPED_TRACE(name + " on a read-only file system");
    const auto outcome = step("ro-" + name);
    expect_clear_failure(outcome, db(), {"read-only"});
  }
  // An auditor's read-only copy: reading works and shows what it showed before.
  for (const auto* reader : {"evaluate", "query"}) {
    const auto was = step(std::string("rw-") + reader);
    const auto is = step(std::string("ro-") + reader);
    ASSERT_EQ(was.exit_code, 0) << was.err;
    EXPECT_EQ(is.exit_code, 0) << reader << ": " << is.err;
    EXPECT_EQ(is.out, was.out) << reader;
  }
  EXPECT_EQ(step("ro-verify").exit_code, 0) << step("ro-verify").err;
  EXPECT_EQ(state("ro"), dump(base_));
  // A copy with changes only in its -wal cannot be read there: a message that says what to do.
  const auto pending = step("pending");
  EXPECT_EQ(pending.exit_code, 4) << pending.err;
  EXPECT_TRUE(contains(pending.err, "copy the database together with its -wal file"))
      << pending.err;
}

// A user who may read but not write the file and its directory (an auditor
// given a copy): reads work, writes fail as read-only, nothing changes.
TEST_F(DiskTest, AReadOnlyFileForAnotherUserIsReadableAndRefusesWrites) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run zielwerk as another user (setpriv)";
  const auto shared = dir_.path() / "shared";
  std::filesystem::create_directories(shared);
  const auto db = shared / "zielwerk.db";
  std::filesystem::copy_file(base_, db);
  const std::string before = dump(base_);  // (a dump of `db` would leave a -wal beside it)
  chmod(dir_.path().c_str(), 0755);
  chmod(shared.c_str(), 0555);
  chmod(db.c_str(), 0444);
  auto as_nobody = [&](const std::vector<std::string>& args, const std::string& name) {
    std::string command =
        "setpriv --reuid=65534 --regid=65534 --clear-groups " + std::string(ZIELWERK_BINARY);
    for (const auto& arg : args)
      command += " '" + arg + "'";
    const auto out = dir_.path() / (name + ".out");
    const auto err = dir_.path() / (name + ".err");
    const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  };
  // The precondition: that user cannot write there.
  const auto probe = as_nobody({"--version"}, "probe");
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  ASSERT_NE(std::system(("setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'echo x >>" +
                         db.string() + "' 2>/dev/null")
                            .c_str()),
            0);
  for (const auto& args : {import_2025(db.string()), run_august(db.string()),
                           measure_add(db.string()), milestone_done(db.string())}) {
    SCOPED_TRACE(args[0]);
    expect_clear_failure(as_nobody(args, "write"), db.string(), {"read-only"});
  }
  const auto evaluated = as_nobody(with_db({"evaluate", "--period", "2024-06"}, db.string()), "e");
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto verified = as_nobody(with_db({"audit", "verify"}, db.string()), "v");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_FALSE(std::filesystem::exists(db.string() + "-wal"));  // not even a log was started
  EXPECT_EQ(dump(db), before);
  chmod(shared.c_str(), 0755);  // for the TempDir's removal
}

}  // namespace
}  // namespace zielwerk::testing
