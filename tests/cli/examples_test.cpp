// Both examples, end to end from a copy, as a new user runs them: check,
// import, run, report, audit verify. The second example's commands are read
// from its README, so the README stays true; the copies leave examples/ as it
// is (no database appears there).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli_support.h"

namespace zielwerk::testing {
namespace {

namespace fs = std::filesystem;

// The example directory copied into `dir`, without a database a developer may
// have left in the source tree.
fs::path copy_example(const TempDir& dir, const std::string& name) {
  const fs::path from = source_dir() / "examples" / name;
  const fs::path to = dir.path() / name;
  fs::copy(from, to, fs::copy_options::recursive);
  for (const char* left : {"zielwerk.db", "zielwerk.db-wal", "zielwerk.db-shm"})
    fs::remove(to / left);
  return to;
}

// The `index`-th ```sh block of a Markdown file, its lines as they stand.
std::string shell_block(const fs::path& markdown, int index) {
  std::istringstream in(read_file(markdown));
  std::string line;
  std::string block;
  int seen = -1;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```sh") {
      inside = ++seen == index;
      continue;
    }
    if (inside && line == "```") break;
    if (inside) block += line + "\n";
  }
  return block;
}

// Runs a README block in the copy: the repository's paths become the copy's.
CliRun run_readme_block(const std::string& block, const fs::path& copy) {
  std::string script = "set -e\n";
  std::istringstream in(block);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("P=examples/", 0) == 0) line = "P='" + copy.string() + "'";
    for (std::size_t at = line.find("./build/zielwerk"); at != std::string::npos;
         at = line.find("./build/zielwerk", at)) {
      line.replace(at, std::string("./build/zielwerk").size(), ZIELWERK_BINARY);
    }
    script += line + "\n";
  }
  const fs::path file = copy.parent_path() / "readme.sh";
  write_file(file, script);
  return shell("bash " + file.string());
}

TEST(ExamplesTest, TheFirstExampleRunsAsTheReadmeSays) {
  TempDir dir;
  const fs::path copy = copy_example(dir, "me-aktiv-2025");
  const std::string project = " --project " + copy.string();
  EXPECT_EQ(zielwerk("check" + project).exit_code, 0);
  const CliRun import =
      zielwerk("import" + project + " --actor controlling-jc " + copy.string() + "/data/*.csv");
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const CliRun run = zielwerk("run" + project + " --actor zielwerk-dienst --now 2025-07-03T10:00");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out,
                       "ba-zielnachhaltedialog/2025-06: prepared for the meeting on "
                       "2025-07-08"))
      << run.out;
  const CliRun report = zielwerk("report review" + project + " ba-zielnachhaltedialog/2025-06");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_TRUE(report.out.starts_with("# Tagesordnung")) << report.out;
  EXPECT_TRUE(contains(report.out, "8. Juli 2025, 10:00 Uhr")) << report.out;
  const CliRun verify = zielwerk("audit verify" + project);
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(contains(verify.out, "audit trail verified")) << verify.out;
  EXPECT_TRUE(fs::exists(copy / "zielwerk.db"));
}

TEST(ExamplesTest, TheZktExampleRunsItsReadmeCommands) {
  TempDir dir;
  const fs::path copy = copy_example(dir, "hohenwald-2026");
  const fs::path readme = source_dir() / "examples/hohenwald-2026/README.md";

  const CliRun demo = run_readme_block(shell_block(readme, 0), copy);
  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_TRUE(contains(demo.out, "hohenwald-2026: 5 goals, 7 metrics, 2 workflows")) << demo.out;
  // A normal follow-up: every review prepared on time, none missed.
  for (const char* step : {"controlling/2026-01: prepared for the meeting on 2026-02-04",
                           "controlling/2026-02: prepared for the meeting on 2026-03-04",
                           "controlling/2026-03: prepared for the meeting on 2026-04-01",
                           "landesdialog/2026-03: prepared for the meeting on 2026-04-16"}) {
    EXPECT_TRUE(contains(demo.out, step)) << step << "\n" << demo.out;
  }
  EXPECT_FALSE(contains(demo.out, "missed")) << demo.out;
  EXPECT_FALSE(contains(demo.out, "prepared late")) << demo.out;
  // The single-party round and the dialogue with the ministry, in German.
  EXPECT_TRUE(contains(demo.out, "# Tagesordnung – Monatliche Controllingrunde")) << demo.out;
  EXPECT_TRUE(
      contains(demo.out, "- **Beteiligte:** Kommunales Jobcenter Landkreis Hohenwald (zkT)\n"))
      << demo.out;
  EXPECT_TRUE(contains(demo.out, "1. April 2026, 09:00 Uhr")) << demo.out;
  EXPECT_TRUE(contains(demo.out, "# Tagesordnung – Zieldialog Hessisches Ministerium")) << demo.out;
  // The relative targets, computed from 2025.
  EXPECT_TRUE(contains(demo.out, "Vorjahr 23,4 % −6,9 %")) << demo.out;
  EXPECT_TRUE(contains(demo.out, "audit trail verified")) << demo.out;

  const CliRun minutes =
      run_readme_block("P=examples/hohenwald-2026\n" + shell_block(readme, 1), copy);
  ASSERT_EQ(minutes.exit_code, 0) << minutes.out << minutes.err;
  EXPECT_TRUE(contains(minutes.out, "closed by leitung-kjc")) << minutes.out;
  EXPECT_TRUE(contains(minutes.out, "# Protokoll")) << minutes.out;
  // Attendance and closing by name, not id.
  EXPECT_TRUE(contains(minutes.out, "- Leitung Kommunales Jobcenter Hohenwald\n")) << minutes.out;
  EXPECT_TRUE(contains(minutes.out, "- Controlling Kommunales Jobcenter Hohenwald\n"))
      << minutes.out;
  EXPECT_TRUE(
      contains(minutes.out, "**Abgeschlossen von:** Leitung Kommunales Jobcenter Hohenwald"))
      << minutes.out;

  // The ministry acts on no zkT goal: refused, recorded, nothing changed.
  const std::string project = " --project " + copy.string();
  const CliRun refused = zielwerk("measure add" + project +
                                  " --review landesdialog/2026-03 --goal integrationen --title X"
                                  " --owner jobcenter --assignee Y --due 2026-06-30"
                                  " --actor referat-ministerium");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "it is a zkT goal, recorded by the zkT side (jobcenter)"))
      << refused.err;
  const CliRun denied = zielwerk("audit query" + project + " --operation access.denied");
  EXPECT_TRUE(contains(denied.out, "referat-ministerium")) << denied.out;
  EXPECT_EQ(zielwerk("audit verify" + project).exit_code, 0);
  EXPECT_FALSE(fs::exists(source_dir() / "examples/hohenwald-2026/zielwerk.db"));
}

}  // namespace
}  // namespace zielwerk::testing
