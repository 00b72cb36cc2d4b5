// End-to-end: the audit trail answers an auditor's questions, through the
// command line only, on a copy of the example project (docs/audit.md):
// who changed the FbW target and when, what the June review saw, which
// measures for iq-frauen were agreed, followed up and closed, everything an
// actor did in a month, refused attempts (docs/permissions.md), and that
// verify, checkpoint and export prove the trail and find tampering.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_support.h"
#include "test_support.h"
#include "zielwerk/common/sha256.h"

namespace zielwerk {
namespace {

using nlohmann::json;
using zielwerk::testing::CliRun;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::shell;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;
using zielwerk::testing::zielwerk;
using zielwerk::testing::zielwerk_command;

using zielwerk::testing::kJune;
using zielwerk::testing::kKommunal;
const std::string kFbw = "fbw-absolventenmanagement";

using zielwerk::testing::contains;

// The rows of a CSV text (RFC 4180 quoting), header first.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      row.push_back(field);
      field.clear();
      rows.push_back(row);
      row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    result.push_back(line);
  return result;
}

bool is_sha256(const json& value) {
  if (!value.is_string()) return false;
  const std::string text = value.get<std::string>();
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The first "(rule set XXXX)" version `check` prints.
std::string short_version(const std::string& check_output) {
  const std::string marker = "(rule set ";
  const auto at = check_output.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return check_output.substr(start, check_output.find(')', start) - start);
}

class AuditTest : public ::testing::Test {
 protected:
  // A copy of the example (its database in the copy, as zielwerk.yaml says)
  // with the figures 2023 to 2025 imported by the controlling.
  void SetUp() override {
    unsetenv("ZIELWERK_ACTOR");
    unsetenv("ZIELWERK_PROJECT");
    clock_at("2025-06-01T08:00:00Z");  // the imports: 1 June, 10:00 in Berlin
    std::filesystem::copy(kExample, project_, std::filesystem::copy_options::recursive);
    std::filesystem::remove(db_);  // in case someone ran zielwerk in the example itself
    const CliRun imported = as("controlling-jc", "import",
                               data("2023.csv") + " " + data("2024.csv") + " " + data("2025.csv"));
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  void TearDown() override { unsetenv("ZIELWERK_TEST_NOW"); }

  // Sets the clock every later command reads (ZIELWERK_TEST_NOW, a UTC time):
  // the time its records carry.
  static void clock_at(const std::string& utc) { setenv("ZIELWERK_TEST_NOW", utc.c_str(), 1); }

  std::string data(const std::string& file) const { return (project_ / "data" / file).string(); }

  CliRun run(const std::string& command, const std::string& args = "") {
    return zielwerk(command + " --project " + project_.string() + " " + args);
  }

  CliRun as(const std::string& actor, const std::string& command, const std::string& args = "") {
    return run(command, "--actor " + actor + " " + args);
  }

  // Runs a command that must succeed and returns its stdout.
  std::string ok(const std::string& command, const std::string& args = "") {
    const CliRun result = run(command, args);
    EXPECT_EQ(result.exit_code, 0) << command << " " << args << "\n" << result.err;
    return result.out;
  }

  json json_of(const std::string& command, const std::string& args = "") {
    const std::string out = ok(command, args + " --format json");
    return json::parse(out, nullptr, false);
  }

  // `audit query ARGS --format json`: {"order", "records", "total"}.
  json query(const std::string& args) { return json_of("audit query", args); }

  // `run --now NOW` (Berlin time, YYYY-MM-DDTHH:MM) with the clock showing the
  // same instant, as the scheduled run would. Every run of these tests is in
  // summer time (CEST, UTC+2), from April to October.
  void run_at(const std::string& actor, const std::string& now) {
    ASSERT_EQ(now.size(), 16u) << now;
    const int month = std::stoi(now.substr(5, 2));
    const int hour = std::stoi(now.substr(11, 2));
    ASSERT_TRUE(month >= 4 && month <= 10 && hour >= 2) << now << " is not plainly in CEST";
    char utc[32];
    std::snprintf(utc, sizeof utc, "%sT%02d:%s:00Z", now.substr(0, 10).c_str(), hour - 2,
                  now.substr(14, 2).c_str());
    clock_at(utc);
    const CliRun ran = as(actor, "run", "--now " + now);
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
  }

  std::string add_measure(const std::string& actor, const std::string& review,
                          const std::string& goal, const std::string& owner = "jobcenter") {
    const CliRun added = as(actor, "measure add",
                            "--review " + review + " --goal " + goal +
                                " --title 'Arbeitgeberservice akquiriert Teilzeitstellen'"
                                " --owner " +
                                owner + " --assignee 'Team Arbeitgeberservice' --due 2025-09-30");
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return added.out;
  }

  // The head seq of the trail, as `audit query --all` counts it.
  std::int64_t record_count() { return query("--all")["total"].get<std::int64_t>(); }

  // Runs sqlite3 on the copy's database; its exit status.
  int sqlite(const std::string& sql) {
    const std::string command = "sqlite3 '" + db_.string() + "' \"" + sql + "\" >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  TempDir dir_;
  std::filesystem::path project_ = dir_.path() / "me-aktiv-2025";
  std::filesystem::path db_ = project_ / "zielwerk.db";
};

// Question 1: who changed the FbW target, and when?
TEST_F(AuditTest, WhoChangedTheFbwTargetAndWhen) {
  const std::string version_before = short_version(ok("check"));
  ASSERT_EQ(version_before.size(), 12u);

  // The controlling edits the target in the copy's rules/goals.yaml: 80 -> 85.
  const auto goals_file = project_ / "rules/goals.yaml";
  std::string goals = read_file(goals_file);
  const auto goal_at = goals.find("id: " + kFbw);
  ASSERT_NE(goal_at, std::string::npos);
  const auto target_at = goals.find("target: 80\n", goal_at);
  ASSERT_NE(target_at, std::string::npos);
  ASSERT_LT(target_at, goals.find("- id:", goal_at + 1));  // still the FbW goal
  goals.replace(target_at, std::string("target: 80").size(), "target: 85");
  write_file(goals_file, goals);
  const std::string version_after = short_version(ok("check"));
  ASSERT_EQ(version_after.size(), 12u);
  EXPECT_NE(version_after, version_before);

  // The next change (the scheduled run, at a known time) notes the new rules.
  run_at("zielwerk-dienst", "2025-07-03T10:00");

  const json found = query("--goal " + kFbw + " --operation rules.change");
  ASSERT_EQ(found["total"], 2) << found.dump(1);
  ASSERT_EQ(found["records"].size(), 2u);
  const json& change = found["records"][0];  // newest first
  const json& first = found["records"][1];

  // The first rule set, noted by the first change (the import): every goal added.
  EXPECT_EQ(first["seq"], 1);
  EXPECT_EQ(first["actor"], "controlling-jc");
  EXPECT_TRUE(first["details"]["from"].is_null());
  const std::string from = first["details"]["to"];
  EXPECT_EQ(from.rfind(version_before, 0), 0u) << from;
  bool fbw_added = false;
  for (const auto& goal : first["details"]["goals"]) {
    if (goal["goal"] == kFbw) fbw_added = goal["change"] == "added";
  }
  EXPECT_TRUE(fbw_added) << first["details"]["goals"].dump();

  // The edit: by the actor of the change that came next, at its time.
  EXPECT_EQ(change["operation"], "rules.change");
  EXPECT_EQ(change["actor"], "zielwerk-dienst");
  EXPECT_EQ(change["recorded_at"], "2025-07-03T08:00:00.000Z");  // 10:00 in Berlin
  EXPECT_EQ(change["details"]["from"], from);
  const std::string to = change["details"]["to"];
  EXPECT_NE(to, from);
  EXPECT_EQ(to.rfind(version_after, 0), 0u) << to;
  EXPECT_EQ(change["rule_set_version"], to);
  EXPECT_EQ(change["details"]["files_changed"], json::array({"rules/goals.yaml"}));
  bool goals_file_hashed = false;
  for (const auto& file : change["details"]["files"]) {
    if (file["file"] == "rules/goals.yaml") {
      goals_file_hashed = file["sha256"] == sha256_hex(goals);
    }
  }
  EXPECT_TRUE(goals_file_hashed) << change["details"]["files"].dump();
  ASSERT_EQ(change["details"]["goals"].size(), 1u) << change["details"].dump(1);
  const json& goal_change = change["details"]["goals"][0];
  EXPECT_EQ(goal_change["goal"], kFbw);
  EXPECT_EQ(goal_change["change"], "changed");
  ASSERT_EQ(goal_change["fields"].size(), 1u);
  EXPECT_EQ(goal_change["fields"][0]["field"], "target.value");
  EXPECT_EQ(goal_change["fields"][0]["before"].get<double>(), 80.0);
  EXPECT_EQ(goal_change["fields"][0]["after"].get<double>(), 85.0);

  // Everything after it was done under the new rules.
  const json prepared = query("--review " + kJune + " --operation review.prepare");
  ASSERT_EQ(prepared["records"].size(), 1u);
  EXPECT_EQ(prepared["records"][0]["rule_set_version"], to);
  EXPECT_GT(prepared["records"][0]["seq"].get<int>(), change["seq"].get<int>());

  // The table names the change in its note.
  const std::string table = ok("audit query", "--goal " + kFbw + " --operation rules.change");
  EXPECT_TRUE(contains(table, "zielwerk-dienst  rules.change")) << table;
  EXPECT_TRUE(contains(table, "2025-07-03 10:00")) << table;
  EXPECT_TRUE(contains(table, kFbw + " target.value 80")) << table;
  EXPECT_TRUE(contains(table, " -> 85")) << table;
  EXPECT_TRUE(contains(table, "12 goals added")) << table;

  // A comment-only edit is a new rule set without goal changes: noted by the
  // next change (a milestone, by the management), but not in the goal's history.
  write_file(goals_file, goals + "# Kommentar: Ziel im Juli angepasst\n");
  const std::string version_comment = short_version(ok("check"));
  EXPECT_NE(version_comment, version_after);
  const CliRun milestone = as("gf-jobcenter", "milestone done",
                              "kommunale-eingliederung-schulungen schulungsplan --date 2025-05-02");
  ASSERT_EQ(milestone.exit_code, 0) << milestone.err;
  const json all_changes = query("--operation rules.change");
  ASSERT_EQ(all_changes["total"], 3);
  const json& comment = all_changes["records"][0];
  EXPECT_EQ(comment["actor"], "gf-jobcenter");
  EXPECT_EQ(comment["details"]["from"], to);
  EXPECT_EQ(comment["details"]["goals"], json::array());
  EXPECT_EQ(comment["details"]["files_changed"], json::array({"rules/goals.yaml"}));
  EXPECT_EQ(query("--goal " + kFbw + " --operation rules.change")["total"], 2);

  EXPECT_EQ(run("audit verify").exit_code, 0);
}

// Who changed how the meetings are held, or who may act? Project and
// workflow files are versioned like the rules: the first change notes them,
// an edit is noted by the next change with its fields before and after.
TEST_F(AuditTest, WhoChangedTheMeetingTimeAndWhen) {
  const json project_first = query("--operation project.change");
  ASSERT_EQ(project_first["total"], 1) << project_first.dump(1);
  const json& project_record = project_first["records"][0];
  EXPECT_EQ(project_record["seq"], 2);
  EXPECT_EQ(project_record["actor"], "controlling-jc");
  EXPECT_EQ(project_record["details"]["by"]["party"], "jobcenter");
  EXPECT_TRUE(project_record["details"]["from"].is_null());
  bool settings_added = false;
  for (const auto& change : project_record["details"]["changes"])
    settings_added |= change["object"] == "settings" && change["change"] == "added";
  EXPECT_TRUE(settings_added) << project_record["details"].dump(1);
  const json workflow_first = query("--operation workflow.change");
  ASSERT_EQ(workflow_first["total"], 1);
  const std::string config_version = workflow_first["records"][0]["details"]["to"];
  EXPECT_EQ(project_record["details"]["to"], config_version);

  // The BA dialogue moves from 10:00 to 09:30.
  const auto workflow_file = project_ / "workflows/ba-zielnachhaltedialog.yaml";
  std::string workflow = read_file(workflow_file);
  const auto time_at = workflow.find("time: \"10:00\"");
  ASSERT_NE(time_at, std::string::npos);
  workflow.replace(time_at, std::string("time: \"10:00\"").size(), "time: \"09:30\"");
  write_file(workflow_file, workflow);
  run_at("zielwerk-dienst", "2025-07-03T10:00");

  const json changed = query("--operation workflow.change");
  ASSERT_EQ(changed["total"], 2);
  const json& change = changed["records"][0];
  EXPECT_EQ(change["actor"], "zielwerk-dienst");
  EXPECT_EQ(change["recorded_at"], "2025-07-03T08:00:00.000Z");
  EXPECT_EQ(change["details"]["from"], config_version);
  EXPECT_NE(change["details"]["to"], config_version);
  EXPECT_EQ(change["details"]["files_changed"],
            json::array({"workflows/ba-zielnachhaltedialog.yaml"}));
  ASSERT_EQ(change["details"]["changes"].size(), 1u) << change["details"].dump(1);
  const json& meeting = change["details"]["changes"][0];
  EXPECT_EQ(meeting["object"], "ba-zielnachhaltedialog");
  EXPECT_EQ(meeting["change"], "changed");
  ASSERT_EQ(meeting["fields"].size(), 1u) << meeting.dump(1);
  EXPECT_EQ(meeting["fields"][0]["field"], "meetings.time");
  EXPECT_EQ(meeting["fields"][0]["before"], "10:00");
  EXPECT_EQ(meeting["fields"][0]["after"], "09:30");
  // No project change: the project file is as it was.
  EXPECT_EQ(query("--operation project.change")["total"], 1);

  const std::string table = ok("audit query", "--operation workflow.change");
  EXPECT_TRUE(contains(table, "ba-zielnachhaltedialog meetings.time 10:00 -> 09:30")) << table;
  EXPECT_EQ(run("audit verify").exit_code, 0);
}

// Question 2: what did the June review see?
TEST_F(AuditTest, WhatTheJuneReviewSaw) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  const json review = json_of("review show", kJune);
  ASSERT_EQ(review["state"], "prepared");
  ASSERT_TRUE(review["snapshot"].is_object());
  ASSERT_TRUE(review["agenda"].is_object());

  const json found = query("--review " + kJune + " --operation review.prepare");
  ASSERT_EQ(found["total"], 1) << found.dump(1);
  const json record = found["records"][0];
  EXPECT_EQ(record["operation"], "review.prepare");
  EXPECT_EQ(record["actor"], "zielwerk-dienst");
  EXPECT_EQ(record["recorded_at"], review["prepared_at"]);
  EXPECT_EQ(record["rule_set_version"], review["rule_set_version"]);
  const json& details = record["details"];
  EXPECT_EQ(details["period"], "2025-06");
  EXPECT_EQ(details["meeting_date"], "2025-07-08");
  EXPECT_EQ(details["late"], false);
  EXPECT_EQ(details["figures_known_at"], review["figures_known_at"]);
  EXPECT_TRUE(details["figures_known_at"].is_string());

  // Every import the snapshot read: file and SHA-256 of its bytes.
  ASSERT_EQ(details["data_revisions"].size(), 3u) << details.dump(1);
  const std::vector<std::string> files = {"2023.csv", "2024.csv", "2025.csv"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    const json& revision = details["data_revisions"][i];
    EXPECT_EQ(revision["file"], data(files[i]));
    EXPECT_EQ(revision["sha256"], sha256_hex(read_file(data(files[i])))) << files[i];
    EXPECT_EQ(revision["rows"], 156);
  }
  EXPECT_EQ(details["data_revisions"], review["snapshot"]["data_revisions"]);

  // The digests of the snapshot and agenda the review holds (canonical JSON).
  EXPECT_EQ(details["snapshot_sha256"], sha256_hex(review["snapshot"].dump()));
  EXPECT_EQ(details["agenda_sha256"], sha256_hex(review["agenda"].dump()));
  bool review_digest = false;
  for (const auto& object : record["objects"]) {
    if (object["kind"] == "review" && object["id"] == kJune) {
      review_digest = is_sha256(object["sha256"]) && object["rows"] == 1;
    }
  }
  EXPECT_TRUE(review_digest) << record["objects"].dump();
  // The statuses it saw are those of the frozen agenda.
  for (const auto& goal : review["agenda"]["goals"]) {
    EXPECT_EQ(details["statuses"][goal["id"].get<std::string>()], goal["status"]) << goal["id"];
  }

  // A later correction of the May figures changes today's evaluation, not
  // what the review saw; `evaluate --known-at` reproduces that.
  const json before_correction = json_of("evaluate", "--period 2025-06");
  const CliRun corrected = as("controlling-jc", "import", data("korrektur-2025.csv"));
  ASSERT_EQ(corrected.exit_code, 0) << corrected.err;
  const json after_correction = json_of("evaluate", "--period 2025-06");
  EXPECT_NE(after_correction["goals"], before_correction["goals"]);
  EXPECT_EQ(json_of("evaluate", "--period 2025-06 --known-at " +
                                    details["figures_known_at"].get<std::string>()),
            review["snapshot"]["evaluation"]);

  EXPECT_EQ(json_of("review show", kJune), review);
  const json again = query("--review " + kJune + " --operation review.prepare");
  ASSERT_EQ(again["total"], 1);
  EXPECT_EQ(again["records"][0], record);
  const CliRun verified = run("audit verify");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

// Question 3: which measures for iq-frauen were agreed, followed up and closed?
TEST_F(AuditTest, MeasuresForIqFrauenAgreedFollowedUpAndClosed) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  EXPECT_EQ(add_measure("controlling-jc", kJune, "iq-frauen"),
            "measure 1 agreed for iq-frauen in " + kJune + "\n");
  EXPECT_EQ(add_measure("vg-agentur", kJune, "lzb-frauen"),
            "measure 2 agreed for lzb-frauen in " + kJune + "\n");
  for (const auto& [actor, args] : std::vector<std::pair<std::string, std::string>>{
           {"gf-jobcenter",
            "1 --status in_progress --note 'zwei Arbeitgeber gewonnen' --review " + kJune},
           {"vg-agentur", "2 --note 'läuft an'"},
           {"traegercontrolling-agentur", "1 --due 2025-10-31"},
           {"vg-agentur", "1 --status done"}}) {
    const CliRun updated = as(actor, "measure update", args);
    ASSERT_EQ(updated.exit_code, 0) << args << "\n" << updated.err;
  }
  // A refused follow-up is no measure operation.
  EXPECT_EQ(as("sozialamt-kreis", "measure update", "1 --note x").exit_code, 2);

  const json found = query("--goal iq-frauen --operation 'measure.*' --oldest-first");
  EXPECT_EQ(found["order"], "oldest_first");
  ASSERT_EQ(found["total"], 4) << found.dump(1);
  const json& records = found["records"];
  ASSERT_EQ(records.size(), 4u);
  int previous_seq = 0;
  for (const auto& record : records) {
    EXPECT_GT(record["seq"].get<int>(), previous_seq);
    previous_seq = record["seq"].get<int>();
    EXPECT_EQ(record["details"]["measure"], 1);
    EXPECT_EQ(record["details"]["goal"], "iq-frauen");
  }
  EXPECT_EQ(records[0]["operation"], "measure.add");
  EXPECT_EQ(records[0]["actor"], "controlling-jc");
  EXPECT_EQ(records[0]["details"]["status"], "agreed");
  EXPECT_EQ(records[0]["details"]["review"], kJune);
  EXPECT_EQ(records[0]["details"]["due"], "2025-09-30");

  EXPECT_EQ(records[1]["operation"], "measure.update");
  EXPECT_EQ(records[1]["actor"], "gf-jobcenter");
  EXPECT_EQ(records[1]["details"]["changes"],
            json::parse(R"({"status": ["agreed", "in_progress"]})"));
  EXPECT_EQ(records[1]["details"]["note"], "zwei Arbeitgeber gewonnen");
  EXPECT_EQ(records[1]["details"]["review"], kJune);

  EXPECT_EQ(records[2]["operation"], "measure.update");
  EXPECT_EQ(records[2]["actor"], "traegercontrolling-agentur");
  EXPECT_EQ(records[2]["details"]["changes"],
            json::parse(R"({"due": ["2025-09-30", "2025-10-31"]})"));
  EXPECT_EQ(records[2]["details"]["status"], "in_progress");

  EXPECT_EQ(records[3]["operation"], "measure.update");
  EXPECT_EQ(records[3]["actor"], "vg-agentur");
  EXPECT_EQ(records[3]["details"]["changes"],
            json::parse(R"({"status": ["in_progress", "done"]})"));
  EXPECT_EQ(records[3]["details"]["status"], "done");

  // Newest first by default; the measure's own history is the same records.
  const json newest = query("--goal iq-frauen --operation 'measure.*'");
  ASSERT_EQ(newest["records"].size(), 4u);
  EXPECT_EQ(newest["records"][0], records[3]);
  EXPECT_EQ(newest["records"][3], records[0]);
  EXPECT_EQ(query("--measure 1 --operation 'measure.*'")["total"], 4);
  EXPECT_EQ(query("--measure 1 --operation measure.update")["total"], 3);
  EXPECT_EQ(query("--measure 2 --operation 'measure.*'")["total"], 2);
  // The refused attempt is in the goal's history as access.denied.
  const json denied = query("--goal iq-frauen --operation access.denied");
  ASSERT_EQ(denied["total"], 1);
  EXPECT_EQ(denied["records"][0]["details"]["attempted"], "measure.update");

  const std::string table = ok("audit query", "--goal iq-frauen --operation 'measure.*'");
  EXPECT_TRUE(contains(table, "status in_progress -> done")) << table;
  EXPECT_TRUE(contains(table, "status agreed -> in_progress")) << table;

  // The measure's follow-up log agrees with the trail.
  const json listed = json_of("measure list", "--goal iq-frauen");
  ASSERT_EQ(listed["measures"].size(), 1u);
  EXPECT_EQ(listed["measures"][0]["status"], "done");
  EXPECT_EQ(listed["measures"][0]["follow_ups"].size(), 3u);
}

// Question 4: everything an actor did in a month. Every record carries the
// time of the clock it was made at (here the test's, ZIELWERK_TEST_NOW).
TEST_F(AuditTest, EverythingAnActorDidInAMonth) {
  run_at("zielwerk-dienst", "2025-06-05T12:00");  // 7 records: missed, prepared, escalated
  run_at("zielwerk-dienst", "2025-07-03T10:00");  // 7 records: June review with escalations
  run_at("controlling-jc", "2025-07-12T14:00");   // 2 records: kommunal June review
  // Refused: at 00:30 on 1 August in Berlin, which is still 31 July in UTC.
  clock_at("2025-07-31T22:30:00Z");
  EXPECT_EQ(as("regionaldirektion", "run", "--now 2025-08-01T00:30").exit_code, 2);
  run_at("zielwerk-dienst", "2025-08-07T10:00");  // 5 records: July review with escalations
  // Refused later in August: the service may not record a meeting.
  clock_at("2025-08-20T07:15:00Z");
  EXPECT_EQ(as("zielwerk-dienst", "review record", kJune + " --attended agentur").exit_code, 2);

  auto month = [&](const std::string& actor, const std::string& since, const std::string& until) {
    const std::string csv = ok("audit query", "--actor " + actor + " --since " + since +
                                                  " --until " + until + " --format csv --all");
    const auto rows = parse_csv(csv);
    EXPECT_FALSE(rows.empty()) << csv;
    if (!rows.empty()) {
      EXPECT_EQ(rows[0][0], "seq");
      EXPECT_EQ(rows[0][1], "recorded_at");
      EXPECT_EQ(rows[0][2], "actor");
      EXPECT_EQ(rows[0][3], "operation");
    }
    std::vector<std::vector<std::string>> records;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].size(), rows[0].size()) << csv;
      EXPECT_EQ(rows[i][2], actor) << csv;
      records.push_back(rows[i]);
    }
    return records;
  };
  auto seqs = [](const std::vector<std::vector<std::string>>& records) {
    std::vector<int> result;
    for (const auto& record : records)
      result.push_back(std::stoi(record[0]));
    return result;
  };
  using Seqs = std::vector<int>;

  // June: the controlling's first change notes rules, project and workflows,
  // then its three imports.
  const auto controlling_june = month("controlling-jc", "2025-06-01", "2025-06-30");
  EXPECT_EQ(seqs(controlling_june), (Seqs{6, 5, 4, 3, 2, 1}));
  std::vector<std::string> june_operations;
  for (const auto& record : controlling_june) {
    EXPECT_EQ(record[1], "2025-06-01T08:00:00.000Z");
    june_operations.push_back(record[3]);
  }
  EXPECT_EQ(june_operations, (std::vector<std::string>{"observations.import", "observations.import",
                                                       "observations.import", "workflow.change",
                                                       "project.change", "rules.change"}));

  const auto july = month("zielwerk-dienst", "2025-07-01", "2025-07-31");
  EXPECT_EQ(seqs(july), (Seqs{20, 19, 18, 17, 16, 15, 14}));
  for (const auto& record : july)
    EXPECT_EQ(record[1], "2025-07-03T08:00:00.000Z");
  std::multiset<std::string> operations;
  for (const auto& record : july)
    operations.insert(record[3]);
  EXPECT_EQ(operations,
            (std::multiset<std::string>{
                "escalation.measure_demanded", "escalation.measure_demanded",
                "escalation.measure_demanded", "escalation.measure_demanded",
                "escalation.milestone_overdue", "escalation.milestone_overdue", "review.prepare"}));
  EXPECT_EQ(seqs(month("zielwerk-dienst", "2025-06-01", "2025-06-30")),
            (Seqs{13, 12, 11, 10, 9, 8, 7}));
  EXPECT_EQ(seqs(month("controlling-jc", "2025-07-01", "2025-07-31")), (Seqs{22, 21}));
  const auto service_august = month("zielwerk-dienst", "2025-08-01", "2025-08-31");
  EXPECT_EQ(seqs(service_august), (Seqs{29, 28, 27, 26, 25, 24}));
  ASSERT_EQ(service_august.size(), 6u);
  EXPECT_EQ(service_august[0][1], "2025-08-20T07:15:00.000Z");
  EXPECT_EQ(service_august[0][3], "access.denied");
  // The month is the project's (Europe/Berlin): 31 July 22:30 UTC is August.
  EXPECT_EQ(seqs(month("regionaldirektion", "2025-07-01", "2025-07-31")), (Seqs{}));
  const auto august = month("regionaldirektion", "2025-08-01", "2025-08-31");
  ASSERT_EQ(seqs(august), (Seqs{23}));
  EXPECT_EQ(august[0][1], "2025-07-31T22:30:00.000Z");
  EXPECT_EQ(august[0][3], "access.denied");
  EXPECT_EQ(seqs(month("regionaldirektion", "2025-07-31T22:30:00Z", "2025-08-01T01:00")),
            (Seqs{23}));
  // Nothing in a month nobody acted in.
  EXPECT_EQ(seqs(month("controlling-jc", "2025-09-01", "2025-09-30")), (Seqs{}));
}

// `--until DATE` reaches to the end of that day, its last millisecond
// included: a record made at 23:59:59.999 on 31 July in Berlin is July's.
TEST_F(AuditTest, AMonthIncludesItsLastMillisecond) {
  clock_at("2025-07-15T10:00:00Z");
  EXPECT_EQ(as("regionaldirektion", "run", "--now 2025-07-15T12:00").exit_code, 2);
  clock_at("2025-07-31T21:59:59.999Z");  // 23:59:59.999 CEST
  EXPECT_EQ(as("regionaldirektion", "run", "--now 2025-07-31").exit_code, 2);
  const json all = query("--actor regionaldirektion --all");
  ASSERT_EQ(all["total"], 2);
  EXPECT_EQ(all["records"][0]["recorded_at"], "2025-07-31T21:59:59.999Z");

  const json july = query("--actor regionaldirektion --since 2025-07-01 --until 2025-07-31");
  const json august = query("--actor regionaldirektion --since 2025-08-01 --until 2025-08-31");
  EXPECT_EQ(august["total"], 0);
  EXPECT_EQ(july["total"], 2) << "the refusal at the end of 31 July is in no month:\n"
                              << july.dump(1);
}

// Refused attempts change nothing and are recorded (docs/permissions.md).
TEST_F(AuditTest, RefusedAttemptsAreRecordedAndChangeNothing) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");  // prepares kJune, and kKommunal late
  const json measures_before = json_of("measure list");
  ASSERT_EQ(measures_before["measures"], json::array());
  const auto records_before = record_count();

  // The Kreis may not add a measure for a BA goal.
  const CliRun kreis = as("sozialamt-kreis", "measure add",
                          "--review " + kJune +
                              " --goal iq-frauen --title Schulung --owner jobcenter"
                              " --assignee 'Team Markt' --due 2025-09-30");
  EXPECT_EQ(kreis.exit_code, 2);
  EXPECT_EQ(kreis.out, "");
  const std::string reason =
      "actor 'sozialamt-kreis' (party kreis, kommunal side) may not add a measure for goal "
      "'iq-frauen': it is a BA goal, recorded by the BA side (agentur) or the jobcenter (gE)";
  EXPECT_EQ(kreis.err, "zielwerk: permission denied: " + reason + "\n");
  EXPECT_EQ(json_of("measure list"), measures_before);
  EXPECT_EQ(record_count(), records_before + 1);
  const json denied = query("--operation access.denied");
  ASSERT_EQ(denied["total"], 1);
  const json& attempt = denied["records"][0];
  EXPECT_EQ(attempt["actor"], "sozialamt-kreis");
  EXPECT_EQ(attempt["details"]["attempted"], "measure.add");
  EXPECT_EQ(attempt["details"]["goal"], "iq-frauen");
  EXPECT_EQ(attempt["details"]["workflow"], "ba-zielnachhaltedialog");
  EXPECT_EQ(attempt["details"]["reason"], reason);
  std::set<std::string> objects;
  for (const auto& object : attempt["objects"])
    objects.insert(object["kind"].get<std::string>() + ":" + object["id"].get<std::string>());
  EXPECT_TRUE(objects.contains("goal:iq-frauen")) << attempt["objects"].dump();
  EXPECT_TRUE(objects.contains("review:" + kJune)) << attempt["objects"].dump();
  // Found by the goal's and the review's history as well.
  EXPECT_EQ(query("--goal iq-frauen --operation access.denied")["total"], 1);
  EXPECT_EQ(query("--review " + kJune + " --operation access.denied")["total"], 1);

  // The auditor may not import: nothing imported, the attempt recorded.
  const CliRun auditor = as("regionaldirektion", "import", data("korrektur-2025.csv"));
  EXPECT_EQ(auditor.exit_code, 2);
  EXPECT_TRUE(contains(auditor.err,
                       "permission denied: actor 'regionaldirektion' (party agentur, "
                       "role auditor) may not import figures"))
      << auditor.err;
  EXPECT_EQ(query("--operation observations.import")["total"], 3);
  const json by_auditor = query("--actor regionaldirektion");
  ASSERT_EQ(by_auditor["total"], 1);
  EXPECT_EQ(by_auditor["records"][0]["operation"], "access.denied");
  EXPECT_EQ(by_auditor["records"][0]["details"]["attempted"], "observations.import");

  // The agency takes no part in the municipal dialogue, nor works on its goals.
  const CliRun agency = as("vg-agentur", "review record", kKommunal + " --attended vg-agentur");
  EXPECT_EQ(agency.exit_code, 2);
  EXPECT_TRUE(contains(agency.err, "only its participants kreis and jobcenter act in it"))
      << agency.err;
  const CliRun agency_measure =
      as("traegercontrolling-agentur", "measure add",
         "--review " + kKommunal +
             " --goal kdu-kostensenkung --title T --owner kreis --assignee Team --due 2025-09-30");
  EXPECT_EQ(agency_measure.exit_code, 2);
  EXPECT_TRUE(contains(agency_measure.err, "it is a kommunal goal")) << agency_measure.err;
  EXPECT_EQ(json_of("review show", kKommunal)["entries"], json::array());
  const json refused_in_kommunal = query("--review " + kKommunal + " --operation access.denied");
  ASSERT_EQ(refused_in_kommunal["total"], 2);
  EXPECT_EQ(refused_in_kommunal["records"][0]["details"]["attempted"], "measure.add");
  EXPECT_EQ(refused_in_kommunal["records"][1]["details"]["attempted"], "review.record");
  EXPECT_EQ(refused_in_kommunal["records"][1]["actor"], "vg-agentur");

  // An actor zielwerk.yaml does not declare, or none, names nobody: nothing recorded.
  const auto records_now = record_count();
  EXPECT_EQ(as("nobody", "measure add",
               "--review " + kJune +
                   " --goal iq-frauen --title T --owner jobcenter --assignee Team --due "
                   "2025-09-30")
                .exit_code,
            2);
  EXPECT_EQ(run("review record", kJune + " --attended agentur").exit_code, 2);
  EXPECT_EQ(record_count(), records_now);

  // The jobcenter's coordinator acts on both sides.
  EXPECT_EQ(add_measure("controlling-jc", kJune, "iq-frauen"),
            "measure 1 agreed for iq-frauen in " + kJune + "\n");
  EXPECT_EQ(add_measure("controlling-jc", kKommunal, "kdu-kostensenkung", "kreis"),
            "measure 2 agreed for kdu-kostensenkung in " + kKommunal + "\n");
  EXPECT_EQ(as("controlling-jc", "review record", kKommunal + " --attended kreis").exit_code, 0);
  EXPECT_EQ(as("controlling-jc", "review record", kJune + " --attended agentur").exit_code, 0);
  const json by_jobcenter =
      query("--actor controlling-jc --operation measure.add,review.record --oldest-first");
  ASSERT_EQ(by_jobcenter["total"], 4);
  EXPECT_EQ(by_jobcenter["records"][0]["details"]["goal"], "iq-frauen");
  EXPECT_EQ(by_jobcenter["records"][1]["details"]["goal"], "kdu-kostensenkung");
  EXPECT_EQ(query("--operation access.denied")["total"], 4);

  const CliRun verified = run("audit verify");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST_F(AuditTest, VerifiesAgainstACheckpointAndExportsTheChain) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  const auto records = record_count();
  const CliRun verified = run("audit verify");
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const std::string checkpoint = ok("audit checkpoint");
  ASSERT_FALSE(checkpoint.empty());
  ASSERT_EQ(checkpoint.back(), '\n');
  const std::string head = checkpoint.substr(0, checkpoint.size() - 1);
  ASSERT_EQ(head.find(':'), std::to_string(records).size()) << head;
  EXPECT_EQ(head.substr(0, head.find(':')), std::to_string(records));
  const std::string head_hash = head.substr(head.find(':') + 1);
  EXPECT_TRUE(is_sha256(head_hash)) << head;
  const json as_json = json_of("audit verify");
  EXPECT_EQ(verified.out, "audit trail verified: " + std::to_string(records) + " records, head " +
                              head + "\nMerkle root " + as_json["root"].get<std::string>() + "\n");
  EXPECT_EQ(as_json["verified"], true);
  EXPECT_EQ(as_json["records"], records);
  EXPECT_EQ(as_json["head"]["seq"], records);
  EXPECT_EQ(as_json["head"]["hash"], head_hash);
  EXPECT_TRUE(as_json["first_broken_record"].is_null());

  // More changes extend the checkpoint.
  add_measure("controlling-jc", kJune, "iq-frauen");
  run_at("zielwerk-dienst", "2025-07-12T14:00");
  const auto more = record_count();
  ASSERT_GT(more, records);
  const CliRun extended = run("audit verify", "--against " + head);
  EXPECT_EQ(extended.exit_code, 0) << extended.out << extended.err;
  EXPECT_TRUE(contains(extended.out, "audit trail verified: " + std::to_string(more) + " records"))
      << extended.out;
  EXPECT_TRUE(contains(extended.out, "it extends the checkpoint " + head)) << extended.out;
  const auto kept = dir_.path() / "checkpoint.txt";
  write_file(kept, checkpoint);
  EXPECT_EQ(run("audit verify", "--against " + kept.string()).exit_code, 0);

  const std::string wrong = std::to_string(records) + ":" + std::string(64, '0');
  const CliRun rewritten = run("audit verify", "--against " + wrong);
  EXPECT_EQ(rewritten.exit_code, 1);
  EXPECT_TRUE(contains(rewritten.out, "first broken record: " + std::to_string(records)))
      << rewritten.out;
  EXPECT_TRUE(contains(rewritten.out, "differs from the checkpoint")) << rewritten.out;
  const CliRun beyond =
      run("audit verify", "--against " + std::to_string(more + 5) + ":" + head_hash);
  EXPECT_EQ(beyond.exit_code, 1);
  EXPECT_TRUE(contains(beyond.out, "records were removed since the checkpoint")) << beyond.out;
  for (const std::string& malformed : std::vector<std::string>{
           "garbage", "12", "x:" + head_hash, "5:abc", "99999999999999999999:" + head_hash}) {
    const CliRun refused = run("audit verify", "--against '" + malformed + "'");
    EXPECT_EQ(refused.exit_code, 2) << malformed << "\n" << refused.out;
    EXPECT_TRUE(contains(refused.err, "--against")) << refused.err;
  }

  // The export: every record, chained, one per line with its keys sorted.
  const auto exported = dir_.path() / "trail.jsonl";
  const CliRun written = run("audit export", "--output " + exported.string());
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const auto lines = lines_of(read_file(exported));
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(more));
  const json listed = query("--all --oldest-first");
  std::string previous(64, '0');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json line = json::parse(lines[i]);
    EXPECT_EQ(line.dump(), lines[i]) << "not canonical: " << i;
    EXPECT_EQ(line["seq"], static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(line["previous_hash"], previous) << i;
    const std::string payload = line["payload"];
    const std::string hash = sha256_hex(previous + "\n" + payload);
    EXPECT_EQ(line["hash"], hash) << i;
    const json record = json::parse(payload);
    EXPECT_EQ(record["seq"], line["seq"]);
    const json& queried = listed["records"][i];
    EXPECT_EQ(queried["hash"], hash) << i;
    EXPECT_EQ(record["actor"], queried["actor"]) << i;
    EXPECT_EQ(record["operation"], queried["operation"]) << i;
    EXPECT_EQ(record["details"], queried["details"]) << i;
    previous = hash;
  }
  const std::string now_head = ok("audit checkpoint");
  EXPECT_EQ(now_head, std::to_string(more) + ":" + previous + "\n");
  // To stdout, the same lines.
  EXPECT_EQ(ok("audit export"), read_file(exported));
}

// The other parties check the trail without trusting the database: the log
// signs a checkpoint of its Merkle tree, a party cosigns it after checking it
// against the trail, and an auditor verifies both with zielwerk and with the
// independent scripts/verify-export; forged, foreign, unsigned and
// cut-off checkpoints fail.
TEST_F(AuditTest, SignedAndCosignedCheckpointsProveTheTrailToOthers) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  const auto keys = dir_.path();
  auto in_keys = [&](const std::string& command) {
    return shell("cd " + keys.string() + " && " + command);
  };
  ASSERT_EQ(in_keys(zielwerk_command("audit keygen --name jobcenter-log")).exit_code, 0);
  const CliRun agentur = in_keys(zielwerk_command("audit keygen --name agentur --cosigner"));
  ASSERT_EQ(agentur.exit_code, 0) << agentur.err;
  EXPECT_EQ(agentur.out, read_file(keys / "agentur.pub"));
  EXPECT_EQ(
      std::filesystem::status(keys / "agentur.key").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // A key is never replaced.
  EXPECT_EQ(in_keys(zielwerk_command("audit keygen --name agentur --cosigner")).exit_code, 2);
  EXPECT_EQ(in_keys(zielwerk_command("audit keygen --name 'two words'")).exit_code, 2);
  const std::string log_key = (keys / "jobcenter-log.key").string();
  const std::string log_pub = (keys / "jobcenter-log.pub").string();
  const std::string agentur_pub = (keys / "agentur.pub").string();

  const auto signed_file = keys / "checkpoint.txt";
  const std::string signed_note = ok("audit checkpoint", "--sign " + log_key);
  write_file(signed_file, signed_note);
  const auto note_lines = lines_of(signed_note);
  ASSERT_GE(note_lines.size(), 5u) << signed_note;
  EXPECT_EQ(note_lines[0].rfind("zielwerk/me-aktiv-2025/", 0), 0u) << note_lines[0];
  EXPECT_EQ(note_lines[1], std::to_string(record_count()));
  EXPECT_EQ(note_lines[4].rfind("\u2014 jobcenter-log ", 0), 0u) << note_lines[4];

  const auto cosigned_file = keys / "cosigned.txt";
  const CliRun cosigned =
      run("audit cosign", signed_file.string() + " --key " + (keys / "agentur.key").string() +
                              " --output " + cosigned_file.string());
  ASSERT_EQ(cosigned.exit_code, 0) << cosigned.err;

  // Records added since: the checkpoint is the start of the trail.
  const CliRun measure = as("controlling-jc", "measure add",
                            "--review " + kJune +
                                " --goal iq-frauen --title Jobmesse "
                                "--owner jobcenter --assignee AGS --due 2025-09-30");
  ASSERT_EQ(measure.exit_code, 0) << measure.err;
  const CliRun verified = run("audit verify", "--against " + cosigned_file.string() +
                                                  " --trusted " + log_pub + " " + agentur_pub);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(contains(verified.out, "jobcenter-log: signed")) << verified.out;
  EXPECT_TRUE(contains(verified.out, "agentur: cosigned at 2025-07-03T08:00:00.000Z"))
      << verified.out;

  // The independent verifier agrees on an export.
  const auto exported = keys / "trail.jsonl";
  ASSERT_EQ(run("audit export", "--output " + exported.string()).exit_code, 0);
  const std::string verifier = (zielwerk::testing::source_dir() / "scripts/verify-export").string();
  const std::string offline = "python3 " + verifier + " " + exported.string() + " " +
                              cosigned_file.string() + " --key " + log_pub + " --key " +
                              agentur_pub;
  const CliRun independent = shell(offline);
  EXPECT_EQ(independent.exit_code, 0) << independent.out << independent.err;
  EXPECT_TRUE(contains(independent.out, "agentur: cosigned at 2025-07-03T08:00:00Z"))
      << independent.out;
  std::string altered_export = read_file(exported);
  const auto operation_at = altered_export.find("measure.add");
  ASSERT_NE(operation_at, std::string::npos);
  altered_export.replace(operation_at, 11, "measure.del");
  write_file(keys / "altered.jsonl", altered_export);
  EXPECT_EQ(shell("python3 " + verifier + " " + (keys / "altered.jsonl").string() + " " +
                  cosigned_file.string() + " --key " + log_pub)
                .exit_code,
            1);

  // A checkpoint altered after signing, one without the required signature,
  // and one of another trail fail; nothing to trust is a usage error.
  std::string forged = read_file(cosigned_file);
  forged.replace(forged.find('\n') + 1, note_lines[1].size(), "3");
  write_file(keys / "forged.txt", forged);
  const CliRun forged_run =
      run("audit verify", "--against " + (keys / "forged.txt").string() + " --trusted " + log_pub);
  EXPECT_EQ(forged_run.exit_code, 1);
  EXPECT_TRUE(contains(forged_run.out, "does not verify")) << forged_run.out;
  const CliRun uncosigned = run("audit verify", "--against " + signed_file.string() +
                                                    " --trusted " + log_pub + " " + agentur_pub);
  EXPECT_EQ(uncosigned.exit_code, 1);
  EXPECT_TRUE(contains(uncosigned.out, "no signature by agentur")) << uncosigned.out;
  EXPECT_EQ(run("audit verify", "--against " + signed_file.string()).exit_code, 2);
  EXPECT_EQ(run("audit verify", "--trusted " + log_pub).exit_code, 2);

  TempDir other;
  const auto other_project = other.path() / "me-aktiv-2025";
  std::filesystem::copy(kExample, other_project, std::filesystem::copy_options::recursive);
  std::filesystem::remove(other_project / "zielwerk.db");
  const std::string other_args = " --project " + other_project.string();
  ASSERT_EQ(
      zielwerk("import" + other_args + " --actor controlling-jc " + data("2025.csv")).exit_code, 0);
  const CliRun foreign = zielwerk("audit verify" + other_args + " --against " +
                                  cosigned_file.string() + " --trusted " + log_pub);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_TRUE(contains(foreign.out, "not of this trail")) << foreign.out;
  const CliRun foreign_cosign = zielwerk("audit cosign" + other_args + " " + signed_file.string() +
                                         " --key " + (keys / "agentur.key").string());
  EXPECT_EQ(foreign_cosign.exit_code, 3) << foreign_cosign.err;
  EXPECT_TRUE(contains(foreign_cosign.err, "not cosigned")) << foreign_cosign.err;

  // Proofs: a record is in the tree, the checkpoint's tree starts today's.
  const CliRun inclusion = run("audit prove", "--record 5");
  ASSERT_EQ(inclusion.exit_code, 0) << inclusion.err;
  const auto proof_lines = lines_of(inclusion.out);
  ASSERT_GE(proof_lines.size(), 7u);
  EXPECT_EQ(proof_lines[0], "zielwerk inclusion proof");
  EXPECT_EQ(proof_lines[1], "origin " + note_lines[0]);
  EXPECT_EQ(proof_lines[4], "record 5");
  const CliRun consistency = run("audit prove", "--from " + note_lines[1]);
  ASSERT_EQ(consistency.exit_code, 0) << consistency.err;
  EXPECT_TRUE(contains(consistency.out, "old " + note_lines[1] + " " + note_lines[2] + "\n"))
      << consistency.out;
  EXPECT_EQ(run("audit prove", "--record 0").exit_code, 2);
  EXPECT_EQ(run("audit prove", "--record 1 --from 1").exit_code, 2);
  EXPECT_EQ(run("audit prove", "--from 1 --size 100000").exit_code, 2);
}

// A key kept under another file name signs with the name its .pub gives the
// auditors, so the signature matches the key they were handed.
TEST_F(AuditTest, ASignatureCarriesTheNameOfTheKeysPublicHalf) {
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  const auto keys = dir_.path();
  const std::string key = (keys / "safe/log-2025.key").string();
  std::filesystem::create_directories(keys / "safe");
  const CliRun made = zielwerk("audit keygen --name jobcenter-me-aktiv --output " + key);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_TRUE(std::filesystem::exists(keys / "safe/log-2025.pub"));
  const std::string note = ok("audit checkpoint", "--sign " + key);
  EXPECT_TRUE(contains(note, "\n\u2014 jobcenter-me-aktiv ")) << note;
  write_file(keys / "checkpoint.txt", note);
  const CliRun verified =
      run("audit verify", "--against " + (keys / "checkpoint.txt").string() + " --trusted " +
                              (keys / "safe/log-2025.pub").string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  // --key-name overrides; a .pub of another key is refused, naming both files.
  EXPECT_TRUE(
      contains(ok("audit checkpoint", "--sign " + key + " --key-name other"), "\u2014 other "));
  ASSERT_EQ(
      zielwerk("audit keygen --name agentur --cosigner --output " + (keys / "agentur.key").string())
          .exit_code,
      0);
  std::filesystem::copy_file(keys / "agentur.pub", keys / "safe/log-2025.pub",
                             std::filesystem::copy_options::overwrite_existing);
  const CliRun mismatched = run("audit checkpoint", "--sign " + key);
  EXPECT_EQ(mismatched.exit_code, 3) << mismatched.err;
  EXPECT_TRUE(contains(mismatched.err, "log-2025.pub is not the public key of")) << mismatched.err;

  const CliRun missing = run("audit verify", "--against " + (keys / "nothing.txt").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(contains(missing.err, "no such file")) << missing.err;
}

bool have_sqlite3() {
  return std::system("command -v sqlite3 >/dev/null 2>&1") == 0;
}

TEST_F(AuditTest, VerifyNamesTheTamperedRecord) {
  if (!have_sqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  const auto records = record_count();
  const std::string head = ok("audit checkpoint");

  // The trail is append-only: the triggers refuse a plain UPDATE or DELETE.
  EXPECT_NE(sqlite("UPDATE audit_record SET actor='x' WHERE seq=5"), 0);
  EXPECT_NE(sqlite("DELETE FROM audit_record WHERE seq=5"), 0);
  EXPECT_EQ(ok("audit checkpoint"), head);
  EXPECT_EQ(run("audit verify").exit_code, 0);

  ASSERT_EQ(sqlite("DROP TRIGGER audit_record_is_append_only_update; "
                   "UPDATE audit_record SET actor='x' WHERE seq=5"),
            0);
  const CliRun broken = run("audit verify");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_TRUE(
      contains(broken.out, "audit trail NOT verified (first broken record: 5, 2 problems in " +
                               std::to_string(records) + " records)"))
      << broken.out;
  EXPECT_TRUE(contains(broken.out, "record 5: its columns or object index differ from its payload"))
      << broken.out;
  EXPECT_TRUE(contains(broken.out,
                       "the trigger audit_record_is_append_only_update on audit_record that "
                       "zielwerk's migrations create is missing (it was dropped)"))
      << broken.out;
  const CliRun as_json = run("audit verify", "--format json");
  EXPECT_EQ(as_json.exit_code, 1);
  const json result = json::parse(as_json.out, nullptr, false);
  EXPECT_EQ(result["verified"], false);
  EXPECT_EQ(result["first_broken_record"], 5);
  EXPECT_EQ(result["problems"].size(), 2u);
}

TEST_F(AuditTest, VerifyFindsATableChangedBehindItsBack) {
  if (!have_sqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  add_measure("controlling-jc", kJune, "iq-frauen");
  const json added = query("--measure 1 --operation measure.add");
  ASSERT_EQ(added["total"], 1);
  const std::string seq = std::to_string(added["records"][0]["seq"].get<int>());
  EXPECT_EQ(run("audit verify").exit_code, 0);

  ASSERT_EQ(sqlite("UPDATE measure SET status='done'"), 0);
  const CliRun broken = run("audit verify");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_TRUE(contains(broken.out, "first broken record: " + seq)) << broken.out;
  EXPECT_TRUE(contains(broken.out, "record " + seq + ": measure 1 was changed after this record"))
      << broken.out;
}

// A trigger planted once changes what zielwerk writes inside its own
// transaction, and the trail then vouches for the altered rows. Verify shows
// it; every command that writes refuses the database, leaving it byte for
// byte as it was; reading goes on.
TEST_F(AuditTest, APlantedTriggerIsFoundAndEveryWriteRefused) {
  if (!have_sqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
  run_at("zielwerk-dienst", "2025-07-03T10:00");
  EXPECT_EQ(run("audit verify").exit_code, 0);
  ASSERT_EQ(sqlite("CREATE TRIGGER observation_rounding AFTER INSERT ON observation BEGIN "
                   "UPDATE observation SET value = round(NEW.value * 0.9) WHERE period = "
                   "NEW.period AND series_id = NEW.series_id AND revision = NEW.revision; END; "
                   "CREATE TRIGGER measure_owner AFTER INSERT ON measure BEGIN "
                   "UPDATE measure SET owner_party = 'agentur' WHERE id = NEW.id; END"),
            0);
  const std::string before = read_file(db_);
  const std::string records = std::to_string(record_count());

  const CliRun imported = as("controlling-jc", "import", data("korrektur-2025.csv"));
  EXPECT_EQ(imported.exit_code, 4) << imported.out << imported.err;
  EXPECT_TRUE(
      contains(imported.err, "has a trigger zielwerk did not create: measure_owner on measure"))
      << imported.err;
  EXPECT_TRUE(contains(imported.err, "run `zielwerk audit verify`")) << imported.err;
  EXPECT_TRUE(contains(imported.err, "nothing was changed")) << imported.err;
  const CliRun added = as("controlling-jc", "measure add",
                          "--review " + kJune +
                              " --goal iq-frauen --title Aktivierung --owner jobcenter "
                              "--assignee Teamleitung --due 2025-09-30");
  EXPECT_EQ(added.exit_code, 4) << added.out << added.err;
  EXPECT_TRUE(contains(added.err, "has a trigger zielwerk did not create")) << added.err;
  EXPECT_EQ(read_file(db_), before);
  EXPECT_FALSE(std::filesystem::exists(db_.string() + "-wal"));
  EXPECT_EQ(std::to_string(record_count()), records);

  const CliRun verified = run("audit verify");
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out,
                       "audit trail NOT verified (no single record to blame, 2 "
                       "problems in " +
                           records + " records)"))
      << verified.out;
  EXPECT_TRUE(contains(verified.out,
                       "  the database has a trigger zielwerk did not create: measure_owner on "
                       "measure (it runs inside zielwerk's own writes and may change what they "
                       "store)\n"))
      << verified.out;
  EXPECT_TRUE(contains(verified.out, "observation_rounding on observation")) << verified.out;

  // Once dropped, the same commands write what they were given.
  ASSERT_EQ(sqlite("DROP TRIGGER observation_rounding; DROP TRIGGER measure_owner"), 0);
  EXPECT_EQ(as("controlling-jc", "import", data("korrektur-2025.csv")).exit_code, 0);
  EXPECT_EQ(run("audit verify").exit_code, 0);
}

TEST_F(AuditTest, ATriggerWeakenedUnderItsOwnNameIsFound) {
  if (!have_sqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
  ASSERT_EQ(sqlite("DROP TRIGGER audit_record_is_append_only_update; "
                   "CREATE TRIGGER audit_record_is_append_only_update BEFORE UPDATE ON "
                   "audit_record WHEN 0 BEGIN SELECT RAISE(ABORT, 'the audit trail is "
                   "append-only'); END"),
            0);
  const std::string before = read_file(db_);
  const CliRun verified = run("audit verify", "--format json");
  EXPECT_EQ(verified.exit_code, 1);
  const json result = json::parse(verified.out, nullptr, false);
  ASSERT_EQ(result["problems"].size(), 1u) << verified.out;
  EXPECT_TRUE(result["problems"][0]["seq"].is_null());
  const std::string message = result["problems"][0]["message"].get<std::string>();
  EXPECT_TRUE(contains(message,
                       "the trigger audit_record_is_append_only_update on audit_record "
                       "is not as zielwerk created it"))
      << message;
  EXPECT_TRUE(contains(message, "WHEN 0")) << message;

  clock_at("2025-07-03T08:00:00Z");
  const CliRun ran = as("zielwerk-dienst", "run", "--now 2025-07-03T10:00");
  EXPECT_EQ(ran.exit_code, 4) << ran.out << ran.err;
  EXPECT_TRUE(contains(ran.err, "is not as zielwerk created it")) << ran.err;
  EXPECT_EQ(read_file(db_), before);
}

TEST_F(AuditTest, AnExtraIndexOrViewIsAFinding) {
  if (!have_sqlite3()) GTEST_SKIP() << "sqlite3 command-line tool not installed";
  ASSERT_EQ(sqlite("CREATE INDEX observation_by_value ON observation (value); "
                   "CREATE VIEW import_overview AS SELECT file_name FROM import_batch"),
            0);
  const CliRun verified = run("audit verify");
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out,
                       "the database has an index zielwerk did not create: observation_by_value "
                       "on observation"))
      << verified.out;
  EXPECT_TRUE(
      contains(verified.out, "the database has a view zielwerk did not create: import_overview"))
      << verified.out;
}

TEST_F(AuditTest, RefusesMistypedFiltersAndMissingDatabases) {
  auto refused = [&](const std::string& args, const std::string& part) {
    const CliRun result = run("audit query", args);
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << result.out;
    EXPECT_EQ(result.out, "") << args;
    EXPECT_TRUE(contains(result.err, part)) << args << "\n" << result.err;
  };
  refused("--operation measure.ad",
          "--operation: unknown operation 'measure.ad' (did you mean 'measure.add'?)");
  refused("--operation 'foo.*'", "--operation: unknown operation 'foo.*'");
  refused("--object foo:1", "--object: unknown kind 'foo'");
  refused("--object import", "--object: 'import' is not KIND:ID");
  refused("--since 2025-13-01", "--since: '2025-13-01' is not a date or time");
  refused("--until 2025-02-30", "--until: '2025-02-30' is not a date or time");
  refused("--since 2025-07-31 --until 2025-07-01", "--until must be after --since");
  refused("--limit 0", "--limit must be at least 1");
  refused("--format xml", "--format");
  EXPECT_EQ(run("audit").exit_code, 2);  // a subcommand is required
  EXPECT_EQ(ok("audit query", "--actor gf-jobcenter"), "no audit record matches\n");

  // A project without a database: nothing to query, and none is created.
  TempDir other;
  const auto empty_project = other.path() / "me-aktiv-2025";
  std::filesystem::copy(kExample, empty_project, std::filesystem::copy_options::recursive);
  std::filesystem::remove(empty_project / "zielwerk.db");
  for (const char* command : {"audit query", "audit export", "audit verify", "audit checkpoint"}) {
    const CliRun result = zielwerk(std::string(command) + " --project " + empty_project.string());
    EXPECT_NE(result.exit_code, 0) << command;
    EXPECT_EQ(result.out, "") << command;
    EXPECT_TRUE(contains(result.err, "no database yet")) << command << "\n" << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(empty_project / "zielwerk.db"));

  for (const char* command :
       {"audit", "audit query", "audit export", "audit verify", "audit checkpoint"}) {
    const CliRun help = zielwerk(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(contains(help.out, "Exit codes: 0 success")) << command;
  }
}

}  // namespace
}  // namespace zielwerk
