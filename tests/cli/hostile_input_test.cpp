// The trials of an attacker and a careless user against build/zielwerk and the
// example (docs/reliability.md, "Hostile and careless input"): text that is
// not UTF-8, --output onto what is not a new regular file, stdout that cannot
// be written, rule paths out of the project, terminal escapes, local times on
// the days the clocks change, and the smaller ones. Each refusal gives a clear
// message and the documented exit code, and the database is exactly as before
// (a dump of every row compared).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/child_process.h"
#include "cli/database_dump.h"
#include "storage/raw_sqlite.h"
#include "zielwerk/common/utf8.h"

namespace zielwerk::testing {
namespace {

namespace fs = std::filesystem;

const std::string kReview = "ba-zielnachhaltedialog/2025-06";  // prepared in the base

// `zielwerk ARGS` with stdout into `out` (default: a file in `scratch`); the
// arguments go to exec as they are, bytes the shell would mangle included.
// The child gets none of the test's ZIELWERK_* variables except the clock a
// test set on purpose (ClockAt).
CliRun run_args(const std::vector<std::string>& args, const fs::path& scratch,
                const fs::path& out = {}) {
  const fs::path out_file = out.empty() ? scratch / "run.out" : out;
  const fs::path err_file = scratch / "run.err";
  std::vector<std::string> environment;
  if (const char* now = std::getenv("ZIELWERK_TEST_NOW"); now != nullptr)
    environment.push_back(std::string("ZIELWERK_TEST_NOW=") + now);
  Child child(args, out_file, err_file, environment);
  CliRun outcome;
  outcome.exit_code = child.wait(60s).value_or(-1);
  if (out.empty()) outcome.out = read_file(out_file);
  outcome.err = read_file(err_file);
  return outcome;
}

bool has_control_bytes(const std::string& text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7f) return true;
  }
  return false;
}

// The example with the figures of 2023-2025 imported and the follow-up run on
// 3 July 2025 (the June review prepared), built once and copied per test.
class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = new TempDir();
    const fs::path project = base_->path() / "project";
    fs::copy(kExample, project, fs::copy_options::recursive);
    fs::remove(project / "zielwerk.db");
    const std::string data = project.string() + "/data/";
    const auto imported =
        run_args({"import", "--project", project.string(), "--actor", "controlling-jc",
                  data + "2023.csv", data + "2024.csv", data + "2025.csv"},
                 base_->path());
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const auto ran = run_args({"run", "--project", project.string(), "--actor", "zielwerk-dienst",
                               "--now", "2025-07-03T10:00"},
                              base_->path());
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }

  void SetUp() override {
    fs::copy(base_->path() / "project", project_, fs::copy_options::recursive);
    before_ = dump(db());
  }

  fs::path db() const { return project_ / "zielwerk.db"; }
  CliRun zw(std::vector<std::string> args, const fs::path& out = {}) const {
    return run_args(args, dir_.path(), out);
  }
  // Runs `args` with --project; expects the exit code, a message holding
  // each of `parts`, and an unchanged database.
  void expect_refused(std::vector<std::string> args, int exit_code,
                      const std::vector<std::string>& parts) const {
    args.insert(args.end(), {"--project", project_.string()});
    const auto outcome = zw(args);
    EXPECT_EQ(outcome.exit_code, exit_code) << outcome.out << outcome.err;
    for (const auto& part : parts)
      EXPECT_TRUE(contains(outcome.err, part)) << "missing '" << part << "' in: " << outcome.err;
    EXPECT_FALSE(contains(outcome.err, "internal error")) << outcome.err;
    EXPECT_EQ(dump(db()), before_);
  }

  static TempDir* base_;
  TempDir dir_;
  fs::path project_ = dir_.path() / "project";
  std::string before_;
};

TempDir* HostileInputTest::base_ = nullptr;

// --- 1. Text that is not UTF-8 -------------------------------------------

TEST_F(HostileInputTest, ArgumentsThatAreNotUtf8AreRefusedWithExit3) {
  expect_refused({"measure", "add", "--actor", "controlling-jc", "--review", kReview, "--goal",
                  "iq-gesamt", "--title", "Ma\xdfnahme", "--owner", "jobcenter", "--assignee",
                  "team", "--due", "2025-09-30"},
                 3, {"--title: is not UTF-8 text (byte 0xdf at position 3: 'Ma\\xdfnahme')"});
  expect_refused(
      {"measure", "add", "--actor", "controlling-jc", "--review", kReview, "--goal", "iq-gesamt",
       "--title=Ma\xdfnahme", "--owner", "jobcenter", "--assignee", "team", "--due", "2025-09-30"},
      3, {"--title: is not UTF-8 text"});
  expect_refused({"import", "--actor", "controlling-jc", "daten-\xff.csv"}, 3,
                 {"argument", "is not UTF-8 text", "\\xff"});
  // An option name with a control character is shown escaped, never raw.
  const auto refused = zw({"import", "--actor", "controlling-jc", "--pr\x07ject", "x\xf9"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("--pr\\x07ject: is not UTF-8 text"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find('\x07'), std::string::npos) << refused.err;
}

// A file that is UTF-8 where it first leaves ASCII is UTF-8: a Latin-1 byte
// further down is an error naming its line, not a switch of encodings. A
// Windows-1252 file declared as UTF-8 is refused the same way.
TEST_F(HostileInputTest, CsvTextFieldsThatAreNotUtf8AreRefused) {
  const fs::path file = dir_.path() / "latin1.csv";
  write_file(
      file,
      "metric,period,value,region,source\nintegrationen_frauen,2025-06,10,D\xc3\xbcsseldorf,x\n"
      "integrationen_frauen,2025-07,10,,Statistik der BA \xa9\n");
  expect_refused({"import", "--actor", "controlling-jc", file.string()}, 3,
                 {"latin1.csv:3:51: error: the line is not UTF-8 (byte 0xA9)"});
  const fs::path declared = dir_.path() / "declared.csv";
  write_file(declared,
             "metric,period,value,region\nintegrationen_frauen,2025-06,10,D\xfcsseldorf\n");
  expect_refused({"import", "--actor", "controlling-jc", "--encoding", "utf-8", declared.string()},
                 3, {"declared.csv:2:34: error: the line is not UTF-8 (byte 0xFC)"});
}

TEST_F(HostileInputTest, RuleFilesThatAreNotUtf8AreRefused) {
  std::string goals = read_file(project_ / "rules/goals.yaml");
  goals.insert(goals.find("\n") + 1, "# Ma\xdfnahmen\n");
  write_file(project_ / "rules/goals.yaml", goals);
  const auto outcome = zw({"check", "--project", project_.string()});
  EXPECT_EQ(outcome.exit_code, 3) << outcome.err;
  EXPECT_TRUE(contains(outcome.err, "goals.yaml:2:5: error: not UTF-8 text: byte 0xDF"))
      << outcome.err;
}

// A byte that reached the database some other way (sqlite3, an old version)
// breaks no writer: the follow-up goes on, documents and JSON come out as
// UTF-8, the daemon keeps serving.
TEST_F(HostileInputTest, AStoredByteThatIsNotUtf8BreaksNoWriter) {
  const auto added =
      zw({"measure", "add", "--project", project_.string(), "--actor", "controlling-jc", "--review",
          kReview, "--goal", "iq-gesamt", "--title", "Massnahme", "--owner", "jobcenter",
          "--assignee", "team", "--due", "2025-09-30"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  ASSERT_EQ(exec_raw(db(), "UPDATE measure SET title = CAST(X'4D61DF6E61686D65' AS TEXT)"), "");
  const std::string p = project_.string();
  const auto ran =
      zw({"run", "--project", p, "--actor", "zielwerk-dienst", "--now", "2025-08-10T10:00"});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_TRUE(contains(ran.out, "ba-zielnachhaltedialog/2025-07: prepared")) << ran.out;
  const std::string next = "ba-zielnachhaltedialog/2025-07";
  const std::vector<std::vector<std::string>> readers = {
      {"review", "show", next},
      {"review", "show", next, "--format", "json"},
      {"report", "review", next},
      {"report", "review", next, "--format", "html"},
      {"report", "year", "--period", "2025-07", "--format", "html"},
      {"measure", "list"},
      {"measure", "list", "--format", "json"},
      {"evaluate", "--period", "2025-07", "--explain", "iq-gesamt"},
      {"audit", "query", "--format", "json"},
  };
  for (auto args : readers) {
    args.insert(args.end(), {"--project", p});
    const auto outcome = zw(args);
    EXPECT_EQ(outcome.exit_code, 0) << args[0] << " " << args[1] << ": " << outcome.err;
    EXPECT_TRUE(is_valid_utf8(outcome.out)) << args[0] << " " << args[1];
    EXPECT_FALSE(contains(outcome.err, "internal error")) << outcome.err;
  }
  // The daemon prepares the meetings due until today with that measure on
  // their agendas and keeps serving.
  Child serve({"serve", "--project", p, "--actor", "zielwerk-dienst", "--http", "127.0.0.1:0"},
              dir_.path() / "serve.out", dir_.path() / "serve.err");
  ASSERT_TRUE(eventually([&] { return contains(serve.err(), " done"); }, 60s)) << serve.err();
  EXPECT_TRUE(serve.running()) << serve.err();
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(), 0) << serve.err();
  EXPECT_FALSE(contains(serve.err(), "internal error")) << serve.err();
}

// --- 2. --output ------------------------------------------------------------

TEST_F(HostileInputTest, OutputRefusesWhatIsNotANewRegularFile) {
  const std::vector<std::string> report = {"report", "review", kReview, "--format", "md"};
  const auto with_output = [&](const fs::path& target, std::vector<std::string> extra = {}) {
    auto args = report;
    args.insert(args.end(), {"--output", target.string()});
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const fs::path existing = dir_.path() / "agenda.md";
  write_file(existing, "the old agenda\n");
  expect_refused(with_output(existing), 2, {"exists already; add --force to replace it"});
  EXPECT_EQ(read_file(existing), "the old agenda\n");

  const fs::path link = dir_.path() / "link.md";
  fs::create_symlink(existing, link);
  expect_refused(with_output(link, {"--force"}), 2, {"is a symbolic link"});
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_file(existing), "the old agenda\n");

  const fs::path read_only = dir_.path() / "read-only.md";
  write_file(read_only, "keep\n");
  fs::permissions(read_only, fs::perms::owner_read | fs::perms::group_read);
  expect_refused(with_output(read_only, {"--force"}), 2, {"is read-only"});
  EXPECT_EQ(read_file(read_only), "keep\n");

  const fs::path fifo = dir_.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(with_output(fifo, {"--force"}), 2, {"is not a regular file"});
  EXPECT_TRUE(fs::is_fifo(fifo));
  expect_refused(with_output("/dev/full", {"--force"}), 2, {"is not a regular file"});
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
  expect_refused(with_output(dir_.path(), {"--force"}), 2, {"is a directory"});

  // The format comes from --format or a known extension, never silently Markdown.
  expect_refused({"report", "review", kReview, "--output", (dir_.path() / "x.pdf").string()}, 2,
                 {"cannot tell the format from the extension '.pdf'"});
  EXPECT_FALSE(fs::exists(dir_.path() / "x.pdf"));
  expect_refused({"report", "review", kReview, "--output", (dir_.path() / "agenda").string()}, 2,
                 {"cannot tell the format"});

  // --force replaces a regular file; no temporary file stays behind.
  const auto forced = zw({"report", "review", kReview, "--project", project_.string(), "--output",
                          existing.string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(contains(read_file(existing), "# ")) << read_file(existing);
  const auto html = zw({"report", "review", kReview, "--project", project_.string(), "--output",
                        (dir_.path() / "agenda.HTML").string()});
  EXPECT_EQ(html.exit_code, 0) << html.err;
  EXPECT_TRUE(contains(read_file(dir_.path() / "agenda.HTML"), "<!DOCTYPE html>"));
  for (const auto& entry : fs::directory_iterator(dir_.path()))
    EXPECT_FALSE(contains(entry.path().filename().string(), ".zielwerk-")) << entry.path();

  // The audit export writes through the same rules.
  expect_refused({"audit", "export", "--output", existing.string()}, 2, {"exists already"});
  expect_refused({"audit", "export", "--output", "/dev/full", "--force"}, 2,
                 {"is not a regular file"});
  EXPECT_EQ(dump(db()), before_);
}

// --- 3. stdout --------------------------------------------------------------

TEST_F(HostileInputTest, AFailedWriteToStdoutIsAnError) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"audit", "checkpoint"},
           {"report", "review", kReview},
           {"audit", "export"},
           {"evaluate", "--period", "2025-06", "--format", "json"},
           {"check"}}) {
    auto with_project = args;
    with_project.insert(with_project.end(), {"--project", project_.string()});
    const auto outcome = zw(with_project, "/dev/full");
    EXPECT_EQ(outcome.exit_code, 3) << args[0] << ": " << outcome.err;
    EXPECT_TRUE(contains(outcome.err, "cannot write the output to stdout: No space left on device"))
        << outcome.err;
  }
  EXPECT_EQ(dump(db()), before_);
}

// --- 4. Rule files are the project's ------------------------------------------

TEST_F(HostileInputTest, ProjectFilesMustBeRegularFilesInsideTheProject) {
  const std::string secret = "geheim-token-0123456789abcdef";
  write_file(dir_.path() / "outside.yaml", "token: " + secret + "\n");
  write_file(project_ / "token.txt", secret + "\n");
  fs::create_symlink(dir_.path() / "outside.yaml", project_ / "rules/link.yaml");
  fs::create_directory(project_ / "rules/a-directory");
  ASSERT_EQ(mkfifo((project_ / "rules/fifo.yaml").c_str(), 0600), 0);
  std::string config = read_file(project_ / "zielwerk.yaml");
  const std::string listed = "  - rules/goals.yaml\n";
  ASSERT_TRUE(contains(config, listed));
  config.replace(config.find(listed), listed.size(),
                 listed +
                     "  - ../outside.yaml\n  - rules/link.yaml\n  - /dev/zero\n"
                     "  - rules/a-directory\n  - rules/fifo.yaml\n  - token.txt\n"
                     "  - rules/missing.yaml\n");
  write_file(project_ / "zielwerk.yaml", config);
  const auto outcome = zw({"check", "--project", project_.string()});
  EXPECT_EQ(outcome.exit_code, 3);
  for (const std::string part :
       {"'../outside.yaml': it lies outside the project directory",
        "'rules/link.yaml': it lies outside the project directory",
        "'/dev/zero': not a regular file", "'rules/a-directory': a directory, not a file",
        "'rules/fifo.yaml': not a regular file", "'rules/missing.yaml': no such file",
        "token.txt:1:1: error: expected a map, got text (not shown)"})
    EXPECT_TRUE(contains(outcome.err, part)) << "missing '" << part << "' in " << outcome.err;
  EXPECT_FALSE(contains(outcome.err, secret)) << outcome.err;
}

// --- 5. Terminal escapes ----------------------------------------------------

TEST_F(HostileInputTest, ControlCharactersInInputAreShownEscaped) {
  const fs::path file = dir_.path() / "escapes.csv";
  write_file(file,
             "metric,period,value\n\x1b]0;pwned\x07,2025-06,1\n\x1b[2J\x1b[31mOK,2025-06,1\n"
             "integrationen_frauen,2025-06,1\x1b[2J\n");
  const auto outcome =
      zw({"import", "--project", project_.string(), "--actor", "controlling-jc", file.string()});
  EXPECT_EQ(outcome.exit_code, 3);
  EXPECT_TRUE(contains(outcome.err, "unknown metric '\\x1b]0;pwned\\x07'")) << outcome.err;
  EXPECT_TRUE(contains(outcome.err, "unknown metric '\\x1b[2J\\x1b[31mOK'")) << outcome.err;
  EXPECT_TRUE(contains(outcome.err, "value '1\\x1b[2J' is not a number")) << outcome.err;
  EXPECT_FALSE(has_control_bytes(outcome.err)) << outcome.err;
  EXPECT_EQ(dump(db()), before_);

  // Stored text shown on a terminal: escaped there, kept in files and pipes.
  const auto added =
      zw({"measure", "add", "--project", project_.string(), "--actor", "controlling-jc", "--review",
          kReview, "--goal", "iq-gesamt", "--title", "\x1b]0;pwned\x07\x1b[2J", "--owner",
          "jobcenter", "--assignee", "team", "--due", "2025-09-30"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const auto shown = zielwerk_in_terminal(std::string(ZIELWERK_BINARY) +
                                          " measure list --project " + project_.string());
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_TRUE(contains(shown.out, "\\x1b]0;pwned\\x07\\x1b[2J")) << shown.out;
  EXPECT_FALSE(contains(shown.out, "\x1b]0;")) << shown.out;
  const auto piped = zw({"measure", "list", "--project", project_.string(), "--format", "csv"});
  EXPECT_TRUE(contains(piped.out, "\x1b]0;pwned\x07\x1b[2J")) << piped.out;
}

// --- 6. Local times on the days the clocks change -----------------------------

// The clock the commands read (ZIELWERK_TEST_NOW) for one scope: records
// carry its time.
class ClockAt {
 public:
  explicit ClockAt(const char* utc) { setenv("ZIELWERK_TEST_NOW", utc, 1); }
  ~ClockAt() { unsetenv("ZIELWERK_TEST_NOW"); }
  ClockAt(const ClockAt&) = delete;
  ClockAt& operator=(const ClockAt&) = delete;
};

TEST_F(HostileInputTest, LocalTimesOnClockChangeDaysUseTheInstantsOffset) {
  const std::string p = project_.string();
  {
    // Records are dated by the clock; on the autumn day of 2027 (after the
    // fixture's import at the real clock) 11:00 UTC is 12:00 CET.
    const ClockAt autumn_clock("2027-10-31T11:00:00Z");
    const auto autumn =
        zw({"run", "--project", p, "--actor", "zielwerk-dienst", "--now", "2025-10-26T12:00"});
    ASSERT_EQ(autumn.exit_code, 0) << autumn.err;
    EXPECT_TRUE(contains(autumn.out, "run at 2025-10-26 12:00:")) << autumn.out;
    const auto query = zw({"audit", "query", "--project", p, "--limit", "1"});
    EXPECT_TRUE(contains(query.out, "2027-10-31 12:00")) << query.out;
  }
  const ClockAt spring_clock("2027-03-28T10:00:00Z");  // 12:00 CEST

  // Spring: a fresh database, run on the day the clocks went forward.
  TempDir spring_dir;
  const fs::path spring = spring_dir.path() / "project";
  fs::copy(kExample, spring, fs::copy_options::recursive);
  fs::remove(spring / "zielwerk.db");
  ASSERT_EQ(zw({"import", "--project", spring.string(), "--actor", "controlling-jc",
                (spring / "data/2024.csv").string()})
                .exit_code,
            0);
  const auto march = zw({"run", "--project", spring.string(), "--actor", "zielwerk-dienst", "--now",
                         "2025-03-30T12:00"});
  ASSERT_EQ(march.exit_code, 0) << march.err;
  EXPECT_TRUE(contains(march.out, "run at 2025-03-30 12:00:")) << march.out;
  const auto spring_query = zw({"audit", "query", "--project", spring.string(), "--limit", "1"});
  EXPECT_TRUE(contains(spring_query.out, "2027-03-28 12:00")) << spring_query.out;

  before_ = dump(db());  // after the autumn run
  expect_refused(
      {"run", "--actor", "zielwerk-dienst", "--now", "2025-03-30T02:30"}, 2,
      {"'2025-03-30T02:30' does not exist in Europe/Berlin", "from UTC+01:00 to UTC+02:00"});
  expect_refused({"evaluate", "--period", "2025-06", "--known-at", "2025-10-26T02:30"}, 2,
                 {"'2025-10-26T02:30' occurs twice in Europe/Berlin", "2025-10-26T00:30:00Z",
                  "2025-10-26T01:30:00Z"});
}

// --- 7. The smaller ones -------------------------------------------------------

TEST_F(HostileInputTest, SmallerTrials) {
  // A NUL byte is visible in the message.
  const fs::path nul = dir_.path() / "nul.csv";
  write_file(nul,
             std::string("metric,period,value\nintegrationen_frauen,2025-06,1") + '\0' + "2\n");
  const auto imported =
      zw({"import", "--project", project_.string(), "--actor", "controlling-jc", nul.string()});
  EXPECT_EQ(imported.exit_code, 3);
  EXPECT_TRUE(contains(imported.err, "\\x00")) << imported.err;
  EXPECT_FALSE(has_control_bytes(imported.err)) << imported.err;

  // An empty file as --db gets no schema from a command that only reads.
  const fs::path empty = dir_.path() / "empty.db";
  write_file(empty, "");
  expect_refused({"evaluate", "--period", "2025-06", "--db", empty.string()}, 2,
                 {"an empty file, no database yet; nothing was changed"});
  EXPECT_EQ(fs::file_size(empty), 0u);

  // --against reads a short regular file only: no endless read, no hang.
  const fs::path fifo = dir_.path() / "checkpoint.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_refused({"audit", "verify", "--against", "/dev/zero"}, 2, {"is not a regular file"});
  expect_refused({"audit", "verify", "--against", fifo.string()}, 2, {"is not a regular file"});

  // A month outside the range says which months there are.
  expect_refused({"evaluate", "--period", "9999-12"}, 2,
                 {"'9999-12' is outside the months zielwerk handles, 1900-01 to 2999-12"});
  expect_refused({"report", "year", "--period", "1899-12"}, 2, {"1900-01 to 2999-12"});
}

// --- 8. The dashboard beyond loopback -------------------------------------------

TEST_F(HostileInputTest, ServeRefusesAnExposedTokenBeyondLoopback) {
  expect_refused({"serve", "--actor", "zielwerk-dienst", "--http", "0.0.0.0:0"}, 2,
                 {"beyond this machine", "the example's, published with zielwerk"});
  std::string config = read_file(project_ / "zielwerk.yaml");
  const std::string inline_token = "  token: beispiel-token-nur-fuer-das-beispiel\n";
  ASSERT_TRUE(contains(config, inline_token));
  config.replace(config.find(inline_token), inline_token.size(), "  token_file: token.txt\n");
  write_file(project_ / "zielwerk.yaml", config);
  write_file(project_ / "token.txt", "ein-eigenes-token-0123456789\n");
  fs::permissions(project_ / "token.txt", fs::perms::owner_read | fs::perms::owner_write |
                                              fs::perms::group_read | fs::perms::others_read);
  expect_refused({"serve", "--actor", "zielwerk-dienst", "--http", "0.0.0.0:0"}, 2,
                 {"may be read or written by every user of this machine; chmod 600"});
}

// --- 9. Options before the command ------------------------------------------------

TEST_F(HostileInputTest, GlobalOptionsMayStandBeforeTheCommand) {
  const auto checked = zw({"--project", project_.string(), "check"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  const auto evaluated = zw({"--project=" + project_.string(), "--db", db().string(), "evaluate",
                             "--period", "2025-06", "--format", "json"});
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto nested = zw({"--project", project_.string(), "audit", "verify"});
  EXPECT_EQ(nested.exit_code, 0) << nested.err;
  const auto refused = zw({"--db", db().string(), "--project", project_.string(), "check"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "`zielwerk check` takes no --db")) << refused.err;
  EXPECT_EQ(dump(db()), before_);
}

}  // namespace
}  // namespace zielwerk::testing
