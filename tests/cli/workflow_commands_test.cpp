// End-to-end: the reviews `run` prepares on the example, their minutes and
// closing, and control measures with their follow-up, as a user runs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "test_support.h"

namespace zielwerk {
namespace {

using zielwerk::testing::CliRun;
using zielwerk::testing::kExample;
using zielwerk::testing::read_file;
using zielwerk::testing::TempDir;
using zielwerk::testing::zielwerk;

using zielwerk::testing::kData;
const std::string kMay = "ba-zielnachhaltedialog/2025-05";  // meeting 2025-06-10
using zielwerk::testing::kJune;
using zielwerk::testing::kKommunal;

using zielwerk::testing::contains;

class WorkflowCommandsTest : public ::testing::Test {
 protected:
  // The example's figures, and `run` on 2025-06-05: the BA reviews of January
  // to April missed, May prepared, the kommunal review of March prepared late.
  void SetUp() override {
    unsetenv("ZIELWERK_ACTOR");
    const CliRun imported = run("import", "--actor controlling-jc " + kData + "2023.csv " + kData +
                                              "2024.csv " + kData + "2025.csv");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    run_at("2025-06-05T12:00");
  }

  CliRun run(const std::string& command, const std::string& args) {
    return zielwerk(command + " --project " + kExample + " --db " + db_.string() + " " + args);
  }

  void run_at(const std::string& now) {
    const CliRun ran = run("run", "--actor zielwerk-dienst --now " + now);
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
  }

  // Runs a command that must succeed and returns its stdout.
  std::string ok(const std::string& command, const std::string& args) {
    const CliRun result = run(command, args);
    EXPECT_EQ(result.exit_code, 0) << command << " " << args << "\n" << result.err;
    EXPECT_EQ(result.err, "") << command << " " << args;
    return result.out;
  }

  nlohmann::json json_of(const std::string& command, const std::string& args) {
    return nlohmann::json::parse(ok(command, args + " --format json"));
  }

  // Runs a command that must be refused as a usage error (exit 2) with a
  // message holding `part`, and change nothing in the database.
  void refused(const std::string& command, const std::string& args, const std::string& part) {
    const std::string before = read_file(db_);
    const CliRun result = run(command, args);
    EXPECT_EQ(result.exit_code, 2) << command << " " << args << "\n" << result.out;
    EXPECT_EQ(result.out, "") << command << " " << args;
    EXPECT_TRUE(contains(result.err, part)) << part << "\n" << result.err;
    EXPECT_TRUE(read_file(db_) == before) << command << " " << args << " changed the database";
  }

  std::string add_measure(const std::string& review, const std::string& goal,
                          const std::string& follow_up = "2025-07-08") {
    return ok("measure add", "--actor controlling-jc --review " + review + " --goal " + goal +
                                 " --title 'Arbeitgeberservice akquiriert Teilzeitstellen'"
                                 " --owner jobcenter --assignee 'Team Arbeitgeberservice'"
                                 " --due 2025-09-30 --follow-up " +
                                 follow_up);
  }

  TempDir dir_;
  std::filesystem::path db_ = dir_.path() / "zielwerk.db";
};

TEST_F(WorkflowCommandsTest, ListsTheReviewsRunPrepared) {
  const std::string table = ok("review list", "");
  for (const char* expected :
       {"REVIEW", "MEETING", "STATE", "PERIOD",
        "ba-zielnachhaltedialog/2025-01        2025-02-11  missed           2025-01  -",
        "kommunal-zielnachhaltedialog/2025-03  2025-04-17  prepared (late)  2025-03",
        "ba-zielnachhaltedialog/2025-05        2025-06-10  prepared         2025-05  1 open "
        "item"}) {
    EXPECT_TRUE(contains(table, expected)) << expected << "\n" << table;
  }

  const auto missed = json_of("review list", "--state missed");
  ASSERT_EQ(missed["reviews"].size(), 4u);
  EXPECT_EQ(missed["reviews"][0]["id"], "ba-zielnachhaltedialog/2025-01");
  EXPECT_EQ(missed["reviews"][0]["state"], "missed");
  EXPECT_EQ(missed["reviews"][0]["meeting_date"], "2025-02-11");

  const auto kommunal = json_of("review list", "--workflow kommunal-zielnachhaltedialog");
  ASSERT_EQ(kommunal["reviews"].size(), 1u);
  const auto& review = kommunal["reviews"][0];
  EXPECT_EQ(review["id"], kKommunal);
  EXPECT_EQ(review["late"], true);
  EXPECT_EQ(review["prepared_by"], "zielwerk-dienst");
  EXPECT_TRUE(review["closed_at"].is_null());
  EXPECT_EQ(review["open_items"], nlohmann::json::array({"attendance is not recorded"}));

  EXPECT_EQ(ok("review list", "--state closed"), "no reviews match\n");
  refused("review list", "--workflow ba-zielnachhaltedialg",
          "--workflow: unknown workflow 'ba-zielnachhaltedialg' (did you mean "
          "'ba-zielnachhaltedialog'?)");
  EXPECT_EQ(run("review list", "--state open").exit_code, 2);
}

TEST_F(WorkflowCommandsTest, ShowsAReviewAsJsonWithSnapshotAndAgendaAsObjects) {
  const auto review = json_of("review show", kMay);
  EXPECT_EQ(review["id"], kMay);
  EXPECT_EQ(review["workflow"], "ba-zielnachhaltedialog");
  EXPECT_EQ(review["period"], "2025-05");
  EXPECT_EQ(review["meeting_date"], "2025-06-10");
  EXPECT_EQ(review["state"], "prepared");
  EXPECT_EQ(review["late"], false);
  EXPECT_TRUE(review["figures_known_at"].is_string());
  EXPECT_EQ(review["rule_set_version"].get<std::string>().size(), 64u);
  ASSERT_TRUE(review["snapshot"].is_object());
  EXPECT_EQ(review["snapshot"]["evaluation"]["period"], "2025-05");
  ASSERT_TRUE(review["agenda"].is_object());
  EXPECT_EQ(review["agenda"]["review"], kMay);
  ASSERT_TRUE(review["agenda"]["goals"].is_array());
  EXPECT_EQ(review["agenda"]["goals"].size(), 9u);  // the BA goals, sections I to III
  EXPECT_EQ(
      review["missed_before"],
      nlohmann::json::array({"ba-zielnachhaltedialog/2025-01", "ba-zielnachhaltedialog/2025-02",
                             "ba-zielnachhaltedialog/2025-03", "ba-zielnachhaltedialog/2025-04"}));
  for (const char* key : {"entries", "measures", "follow_ups", "escalations"}) {
    EXPECT_TRUE(review[key].is_array()) << key;
  }
  EXPECT_EQ(review["open_items"], nlohmann::json::array({"attendance is not recorded"}));
  EXPECT_EQ(review["can_close"], false);

  // The kommunal review carries the overdue milestone on its agenda.
  const auto kommunal = json_of("review show", kKommunal);
  ASSERT_EQ(kommunal["escalations"].size(), 1u);
  EXPECT_EQ(kommunal["escalations"][0]["kind"], "milestone_overdue");
  EXPECT_EQ(kommunal["escalations"][0]["milestone"], "schulungsplan");

  // A missed review has neither snapshot nor agenda.
  const auto missed = json_of("review show", "ba-zielnachhaltedialog/2025-04");
  EXPECT_TRUE(missed["snapshot"].is_null());
  EXPECT_TRUE(missed["agenda"].is_null());
  EXPECT_EQ(missed["open_items"], nlohmann::json::array());

  const std::string table = ok("review show", kMay);
  for (const char* expected :
       {"review ba-zielnachhaltedialog/2025-05: Zielnachhaltedialog", "meeting on 2025-06-10 10:00",
        "missed before it: ba-zielnachhaltedialog/2025-01",
        "Agenda: goals, reporting month 2025-05", "iq-frauen", ">= 15.5 %", "Minutes",
        "nothing recorded yet", "Open before it can be closed:\n  - attendance is not recorded"}) {
    EXPECT_TRUE(contains(table, expected)) << expected << "\n" << table;
  }

  refused("review show", "ba-zielnachhaltedialog/2025-5",
          "unknown review 'ba-zielnachhaltedialog/2025-5' (did you mean "
          "'ba-zielnachhaltedialog/2025-05'?)");
}

TEST_F(WorkflowCommandsTest, RecordsMinutesAndClosesTheReview) {
  refused("review close", kMay + " --actor gf-jobcenter",
          "review 'ba-zielnachhaltedialog/2025-05' cannot be closed yet:\n  - attendance is not "
          "recorded\n");
  refused("review record", kMay + " --actor controlling-jc",
          "nothing to record for review 'ba-zielnachhaltedialog/2025-05'");
  refused("review record", kMay + " --actor controlling-jc --no-measure iq-frauen",
          "--no-measure: 'iq-frauen' is not GOAL=REASON");
  refused("review record",
          kMay + " --actor controlling-jc --no-measure 'kdu-kostensenkung=Sache des Kreises'",
          "goal 'kdu-kostensenkung' is not in the scope of the workflow 'ba-zielnachhaltedialog'");
  refused("review record", "ba-zielnachhaltedialog/2025-04 --actor controlling-jc --decision x",
          "review 'ba-zielnachhaltedialog/2025-04' was missed");
  refused("review record", kMay + " --attended vg-agentur", "--actor ID or ZIELWERK_ACTOR");
  refused("review record",
          kMay + " --actor controlling-jc --no-measure 'lzb-frauen=ESF-Programm läuft erst an'",
          "the agenda of review 'ba-zielnachhaltedialog/2025-05' demands no measure for "
          "lzb-frauen (it demands none)");
  refused("review record", kMay + " --actor controlling-jc --attended 'Frau Schmidt'",
          "attendance: 'Frau Schmidt' is neither an actor of zielwerk.yaml nor a party of the "
          "agreement");

  const std::string recorded =
      ok("review record", kMay +
                              " --actor controlling-jc --attended vg-agentur --attended "
                              "gf-jobcenter --assessment 'Frauen knapp unter dem Ziel'"
                              " --external-conditions 'Arbeitsmarkt schwächer als geplant'"
                              " --decision 'Sonderaktion im Sommer' --decision 'Bericht im Juli'");
  EXPECT_EQ(recorded, kMay +
                          ": recorded attendance of 2, assessment, external conditions, 2 "
                          "decisions (by controlling-jc)\ncan be closed\n");

  const auto review = json_of("review show", kMay);
  ASSERT_EQ(review["entries"].size(), 6u);
  EXPECT_EQ(review["entries"][0]["kind"], "attendance");
  EXPECT_EQ(review["entries"][0]["text"], "vg-agentur");
  EXPECT_EQ(review["entries"][5]["kind"], "decision");
  EXPECT_EQ(review["entries"][5]["text"], "Bericht im Juli");
  EXPECT_EQ(review["entries"][5]["actor"], "controlling-jc");
  EXPECT_EQ(review["can_close"], true);
  const std::string table = ok("review show", kMay);
  for (const char* expected :
       {"attended: vg-agentur, gf-jobcenter", "assessment: Frauen knapp unter dem Ziel",
        "external conditions: Arbeitsmarkt schwächer als geplant", "decision: Bericht im Juli",
        "Can be closed."}) {
    EXPECT_TRUE(contains(table, expected)) << expected << "\n" << table;
  }

  const std::string closed = ok("review close", kMay + " --actor gf-jobcenter");
  EXPECT_EQ(closed.rfind(kMay + ": closed by gf-jobcenter on ", 0), 0u) << closed;
  EXPECT_TRUE(contains(ok("review list", "--state closed"), "closed by gf-jobcenter"));
  const auto after = json_of("review show", kMay);
  EXPECT_EQ(after["state"], "closed");
  EXPECT_EQ(after["closed_by"], "gf-jobcenter");
  refused("review close", kMay + " --actor gf-jobcenter",
          "review 'ba-zielnachhaltedialog/2025-05' is closed (by gf-jobcenter");
  refused("review record", kMay + " --actor gf-jobcenter --decision Nachtrag",
          "nothing can be recorded in it");
}

TEST_F(WorkflowCommandsTest, AddsMeasuresWithinTheWorkflowsScope) {
  EXPECT_EQ(add_measure(kMay, "iq-frauen"),
            "measure 1 agreed for iq-frauen in ba-zielnachhaltedialog/2025-05\n");
  const std::string args = "--actor controlling-jc --title Schulung --assignee 'Team Markt' ";
  refused("measure add",
          args + "--review " + kMay +
              " --goal kdu-kostensenkung --owner jobcenter"
              " --due 2025-09-30",
          "goal 'kdu-kostensenkung' (kommunal, section IV) is not in the scope of the workflow "
          "'ba-zielnachhaltedialog'");
  refused("measure add",
          args + "--review " + kMay + " --goal iq-frauen --owner kreis --due 2025-09-30",
          "the owner 'kreis' is not a participant of the workflow 'ba-zielnachhaltedialog'; "
          "participants: agentur, jobcenter");
  refused("measure add",
          args + "--review " + kMay + " --goal iq-frauen --owner jobcenter --due 2025-06-01",
          "the due date 2025-06-01 is before the meeting of review "
          "'ba-zielnachhaltedialog/2025-05' on 2025-06-10");
  refused("measure add",
          args + "--review " + kMay +
              " --goal iq-frauen --owner jobcenter --due 2025-07-01 --follow-up 2025-08-01",
          "the follow-up date 2025-08-01 is after the due date 2025-07-01");
  refused("measure add",
          args +
              "--review ba-zielnachhaltedialog/2025-04 --goal iq-frauen --owner jobcenter "
              "--due 2025-09-30",
          "was missed");
  refused("measure add",
          args + "--review " + kMay + " --goal iq-fraun --owner jobcenter --due 2025-09-30",
          "unknown goal 'iq-fraun' (did you mean 'iq-frauen'?)");
  refused("measure add",
          args + "--review " + kMay + " --goal iq-frauen --owner jobcenter --due 2025-09-31",
          "--due: '2025-09-31' is not a date YYYY-MM-DD");
  EXPECT_EQ(run("measure add", args + "--review " + kMay + " --goal iq-frauen --owner jobcenter")
                .exit_code,
            2);  // --due is required

  // In the kommunal review, the kommunal goal with the Kreis as owner is fine.
  EXPECT_EQ(ok("measure add", "--actor sozialamt-kreis --review " + kKommunal +
                                  " --goal kdu-kostensenkung --title 'Verfahren priorisieren'"
                                  " --owner kreis --assignee 'Leistungsabteilung'"
                                  " --due 2025-08-31"),
            "measure 2 agreed for kdu-kostensenkung in " + kKommunal + "\n");
}

TEST_F(WorkflowCommandsTest, FollowsMeasuresUpUntilDoneOrDropped) {
  add_measure(kMay, "iq-frauen");
  add_measure(kMay, "iq-maenner");
  EXPECT_EQ(ok("measure update",
               "1 --actor gf-jobcenter --status in_progress --due 2025-10-31"
               " --note 'zwei Arbeitgeber gewonnen' --review " +
                   kMay),
            "measure 1 (iq-frauen): status agreed -> in_progress, due 2025-09-30 -> 2025-10-31; "
            "note recorded; followed up in ba-zielnachhaltedialog/2025-05; now in_progress\n");
  refused("measure update", "1 --actor gf-jobcenter --status agreed",
          "measure 1 is in_progress and cannot go back to agreed");
  refused("measure update", "2 --actor gf-jobcenter --status dropped",
          "dropping measure 2 needs a reason");
  refused("measure update", "2 --actor gf-jobcenter", "nothing to change for measure 2");
  refused("measure update", "9 --actor gf-jobcenter --note x", "unknown measure 9");
  refused("measure update", "2 --actor gf-jobcenter --note x --review " + kKommunal,
          "measure 2 belongs to the workflow 'ba-zielnachhaltedialog'");
  EXPECT_EQ(run("measure update", "2 --actor gf-jobcenter --status finished").exit_code, 2);

  ok("measure update", "2 --actor gf-jobcenter --status dropped --reason 'Programm eingestellt'");
  EXPECT_EQ(ok("measure update", "1 --actor gf-jobcenter --status done --follow-up 2025-10-14"),
            "measure 1 (iq-frauen): status in_progress -> done, follow-up 2025-07-08 -> "
            "2025-10-14; now done\n");
  refused("measure update", "1 --actor gf-jobcenter --status dropped --reason spät",
          "measure 1 is done");
  refused("measure update", "1 --actor gf-jobcenter --note 'noch etwas'", "which is final");

  const auto listed = json_of("measure list", "--today 2025-07-01");
  EXPECT_EQ(listed["today"], "2025-07-01");
  ASSERT_EQ(listed["measures"].size(), 2u);
  const auto& first = listed["measures"][0];
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["goal"], "iq-frauen");
  EXPECT_EQ(first["agreed_in"], kMay);
  EXPECT_EQ(first["workflow"], "ba-zielnachhaltedialog");
  EXPECT_EQ(first["owner"], "jobcenter");
  EXPECT_EQ(first["assignee"], "Team Arbeitgeberservice");
  EXPECT_EQ(first["due"], "2025-10-31");
  EXPECT_EQ(first["follow_up"], "2025-10-14");
  EXPECT_EQ(first["status"], "done");
  EXPECT_EQ(first["overdue"], false);
  ASSERT_EQ(first["follow_ups"].size(), 2u);
  const auto& log = first["follow_ups"][0];
  EXPECT_EQ(log["review"], kMay);
  EXPECT_EQ(log["actor"], "gf-jobcenter");
  EXPECT_EQ(log["status"], "in_progress");
  EXPECT_EQ(log["note"], "zwei Arbeitgeber gewonnen");
  EXPECT_EQ(log["changes"], nlohmann::json::parse(R"({"status": ["agreed", "in_progress"],
                                                       "due": ["2025-09-30", "2025-10-31"]})"));
  EXPECT_TRUE(first["follow_ups"][1]["review"].is_null());
  const auto& second = listed["measures"][1];
  EXPECT_EQ(second["status"], "dropped");
  EXPECT_EQ(second["reason"], "Programm eingestellt");
  EXPECT_EQ(second["follow_ups"][0]["changes"]["reason"][1], "Programm eingestellt");
}

TEST_F(WorkflowCommandsTest, ListsMeasuresByFilterAndOverdue) {
  add_measure(kMay, "iq-frauen");                 // 1: due 2025-09-30
  add_measure(kMay, "lzb-frauen", "2025-06-20");  // 2
  EXPECT_EQ(ok("measure update", "2 --actor gf-jobcenter --due 2025-06-30"),
            "measure 2 (lzb-frauen): due 2025-09-30 -> 2025-06-30; now agreed\n");
  ok("measure add", "--actor sozialamt-kreis --review " + kKommunal +
                        " --goal kdu-kostensenkung --title 'Verfahren priorisieren'"
                        " --owner kreis --assignee Leistungsabteilung --due 2025-08-31");  // 3
  ok("measure update", "3 --actor sozialamt-kreis --status done");

  auto ids = [&](const std::string& args) {
    std::vector<int> result;
    const auto listed = json_of("measure list", args);
    for (const auto& measure : listed["measures"])
      result.push_back(measure["id"].get<int>());
    return result;
  };
  using Ids = std::vector<int>;
  EXPECT_EQ(ids(""), (Ids{1, 2, 3}));
  EXPECT_EQ(ids("--goal iq-frauen"), (Ids{1}));
  EXPECT_EQ(ids("--review " + kKommunal), (Ids{3}));
  EXPECT_EQ(ids("--status done"), (Ids{3}));
  EXPECT_EQ(ids("--open"), (Ids{1, 2}));
  EXPECT_EQ(ids("--overdue --today 2025-06-30"), (Ids{}));  // due that day: not yet overdue
  EXPECT_EQ(ids("--overdue --today 2025-07-01"), (Ids{2}));
  EXPECT_EQ(ids("--overdue --today 2025-12-01"), (Ids{1, 2}));  // 3 is done
  EXPECT_EQ(ids("--open --goal lzb-frauen --today 2025-07-01"), (Ids{2}));

  const std::string table = ok("measure list", "--overdue --today 2025-07-01");
  EXPECT_TRUE(contains(table, "lzb-frauen")) << table;
  EXPECT_TRUE(contains(table, "overdue")) << table;
  EXPECT_FALSE(contains(table, "iq-frauen")) << table;
  EXPECT_EQ(ok("measure list", "--goal iq-maenner"), "no measures match\n");

  const std::string csv = ok("measure list", "--format csv --today 2025-07-01");
  EXPECT_EQ(csv.rfind("id,goal,agreed_in,workflow,title,owner,assignee,due,follow_up,status,"
                      "overdue,",
                      0),
            0u)
      << csv;
  EXPECT_TRUE(contains(csv,
                       "\n2,lzb-frauen,ba-zielnachhaltedialog/2025-05,"
                       "ba-zielnachhaltedialog,Arbeitgeberservice akquiriert "
                       "Teilzeitstellen,jobcenter,Team Arbeitgeberservice,2025-06-30,"
                       "2025-06-20,agreed,true,"))
      << csv;

  refused("measure list", "--goal iq-fraun", "--goal: unknown goal 'iq-fraun'");
  refused("measure list", "--review ba-zielnachhaltedialog/2025-13", "unknown review");
  refused("measure list", "--today 2025-02-30", "--today: '2025-02-30' is not a date");
}

// The next review puts the open measures on its agenda; it closes only once
// each is followed up in it.
TEST_F(WorkflowCommandsTest, TheNextReviewClosesOnlyWithItsOpenMeasuresFollowedUp) {
  add_measure(kMay, "iq-frauen");
  ok("review record", kMay + " --actor controlling-jc --attended vg-agentur");
  ok("review close", kMay + " --actor gf-jobcenter");
  run_at("2025-07-05T12:00");

  const auto june = json_of("review show", kJune);
  ASSERT_EQ(june["agenda"]["measures"].size(), 1u);
  EXPECT_EQ(june["agenda"]["measures"][0]["id"], 1);
  // lzb-frauen is missed in May and June without a measure: the agenda demands one.
  std::vector<std::string> demanded;
  for (const auto& escalation : june["escalations"]) {
    if (escalation["kind"] == "measure_demanded") demanded.push_back(escalation["goal"]);
  }
  ASSERT_NE(std::find(demanded.begin(), demanded.end(), "lzb-frauen"), demanded.end());
  ok("review record", kJune + " --actor controlling-jc --attended vg-agentur");
  refused("review close", kJune + " --actor gf-jobcenter",
          "measure 1 \"Arbeitgeberservice akquiriert Teilzeitstellen\" (iq-frauen, agreed, due "
          "2025-09-30) has no follow-up recorded in this review");
  refused("review close", kJune + " --actor gf-jobcenter",
          "a measure is demanded for lzb-frauen: agree one in this review or record a decision "
          "against it with a reason");
  // A measure agreed in this review answers the demand; the others are decided against.
  add_measure(kJune, "lzb-frauen");
  for (const auto& goal : demanded) {
    if (goal == "lzb-frauen") continue;
    ok("review record", kJune + " --actor controlling-jc --no-measure '" + goal + "=wirkt noch'");
  }
  // A follow-up recorded in another review, or in none, does not count.
  ok("measure update", "1 --actor gf-jobcenter --note 'per Mail'");
  refused("review close", kJune + " --actor gf-jobcenter", "measure 1 ");
  refused("measure update", "1 --actor gf-jobcenter --note x --review " + kMay, "is closed");

  ok("measure update", "1 --actor gf-jobcenter --review " + kJune +
                           " --status in_progress --note 'erste Stellen besetzt'");
  const std::string table = ok("review show", kJune);
  for (const char* expected :
       {"Agenda: open measures up for follow-up", "followed up here", "now in_progress",
        "Agenda: escalations", "measure_demanded, to agentur: lzb-frauen",
        "Measures agreed in this review", "Follow-ups recorded in this review",
        "measure 1: in_progress; status agreed -> in_progress; note: "
        "erste Stellen besetzt",
        "Can be closed."}) {
    EXPECT_TRUE(contains(table, expected)) << expected << "\n" << table;
  }
  ok("review close", kJune + " --actor gf-jobcenter");
}

// A run ahead of the clock would date its records ahead and record the
// meetings before as missed: it takes --force, and its records say so. The
// records carry the clock's time; --now is what they were "as of".
TEST_F(WorkflowCommandsTest, ARunAheadOfTheClockNeedsForceAndSaysSo) {
  setenv("ZIELWERK_TEST_NOW", "2030-01-07T08:00:00Z", 1);  // 09:00 in Berlin
  refused("run", "--actor zielwerk-dienst --now 2030-01-07T11:00", "--force");
  const CliRun forced = run("run", "--actor zielwerk-dienst --force --now 2030-01-07T11:00");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  const auto newest = json_of("audit query", "--limit 1")["records"][0];
  EXPECT_EQ(newest["recorded_at"], "2030-01-07T08:00:00.000Z");
  EXPECT_EQ(newest["details"]["as_of"], "2030-01-07T10:00:00.000Z");
  EXPECT_EQ(newest["details"]["forced_now"], true);
  // Within the hour --now needs no --force.
  const CliRun near = run("run", "--actor zielwerk-dienst --now 2030-01-07T09:45");
  EXPECT_EQ(near.exit_code, 0) << near.err;
  setenv("ZIELWERK_TEST_NOW", "7. Januar 2030", 1);
  refused("run", "--actor zielwerk-dienst", "ZIELWERK_TEST_NOW");
  unsetenv("ZIELWERK_TEST_NOW");
}

TEST_F(WorkflowCommandsTest, ReadingNeedsADatabaseAndEveryCommandHasHelp) {
  TempDir other;
  const auto missing = other.path() / "none.db";
  // A mistyped --db never starts an empty database, not even for commands
  // that change one: only `import` brings data in.
  for (const char* command : {"review list", "measure list", "run --actor zielwerk-dienst",
                              "run --actor zielwerk-dienst --now not-a-time",
                              "review close x/2025-01 --actor gf-jobcenter",
                              "measure update 1 --note x --actor gf-jobcenter"}) {
    const CliRun result =
        zielwerk(std::string(command) + " --project " + kExample + " --db " + missing.string());
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_TRUE(contains(result.err, "no database yet")) << command << "\n" << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));

  for (const char* command :
       {"review", "review list", "review show", "review record", "review close", "measure",
        "measure add", "measure update", "measure list"}) {
    const CliRun help = zielwerk(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(contains(help.out, "Exit codes: 0 success")) << command << "\n" << help.out;
  }
  EXPECT_EQ(zielwerk("review").exit_code, 2);  // a subcommand is required
  EXPECT_EQ(zielwerk("measure").exit_code, 2);
}

}  // namespace
}  // namespace zielwerk
