// `run`: the due steps of the example's workflows at chosen times: preparing
// reviews (snapshot and agenda), missed meetings after downtime, escalations,
// idempotence and stopping between steps.
#include "zielwerk/engine/workflow_run.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/milestones.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::example;

using domain::ReviewState;
using nlohmann::json;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

// An escalation's reason as the command line words it.
std::string reason_of(const storage::EscalationRecord& escalation) {
  return locale::escalation_reason(domain::agenda_escalation(escalation_of(escalation)),
                                   locale::Language::en);
}

using zielwerk::testing::example_files::kExample;

class WorkflowRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        open_database(example(), dir_.path() / "zielwerk.db", OpenMode::create_if_missing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened).value();
  }

  // The example's figures, imported before the year starts.
  void import_example_data(const Project& project) {
    ImportRequest request;
    for (const char* name : {"2023.csv", "2024.csv", "2025.csv", "korrektur-2025.csv"})
      request.files.push_back((kExample / "data" / name).string());
    request.actor = "controlling-jc";
    request.now = at("2025-01-02T08:00:00Z");
    Diagnostics diagnostics;
    const auto imported = import_observations(project, *database_, request, diagnostics);
    ASSERT_TRUE(imported.ok()) << ::testing::PrintToString(lines(diagnostics));
  }

  RunReport run(const char* now, const Project& project = example()) {
    RunRequest request;
    request.actor = "zielwerk-dienst";
    request.now = at(now);
    auto report = run_due_steps(project, *database_, request);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? std::move(report).value() : RunReport{};
  }

  std::vector<std::string> subjects(const RunReport& report, StepKind kind) {
    std::vector<std::string> result;
    for (const auto& step : report.steps) {
      if (step.kind == kind) result.push_back(step.subject);
    }
    return result;
  }

  std::size_t audit_count() { return storage::read_audit_records(*database_).size(); }

  storage::ReviewRecord review(const std::string& id) {
    auto found = storage::find_review(*database_, id);
    EXPECT_TRUE(found.has_value()) << id;
    return found.value_or(storage::ReviewRecord{});
  }

  std::int64_t add_measure(const std::string& review_id, const std::string& goal, const char* due) {
    std::int64_t id = 0;
    const Status written = database_->write([&]() -> Status {
      domain::Measure measure;
      measure.goal = goal;
      measure.review_id = review_id;
      measure.title = "Arbeitgeberoffensive Frauen in Teilzeit";
      measure.owner_party = "jobcenter";
      measure.assignee = "Teamleitung Arbeitgeberservice";
      measure.due_on = parse_date(due).value();
      measure.created_at = at("2025-07-08T10:00:00Z");
      measure.created_by = "controlling-jc";
      measure.updated_at = measure.created_at;
      id = storage::insert_measure(*database_, measure);
      return Ok{};
    });
    EXPECT_TRUE(written.ok());
    return id;
  }

  TempDir dir_;
  std::unique_ptr<storage::Database> database_;
};

TEST_F(WorkflowRunTest, PreparesAReviewFromItsPreparationTimeOn) {
  import_example_data(example());
  // BA meeting reviewing February: Tuesday 2025-03-11 10:00 CET, prepared five days before.
  auto report = run("2025-03-06T08:59:59.999Z");
  EXPECT_EQ(subjects(report, StepKind::review_prepared),
            std::vector<std::string>{"ba-zielnachhaltedialog/2025-01"});
  EXPECT_FALSE(storage::find_review(*database_, "ba-zielnachhaltedialog/2025-02"));

  report = run("2025-03-06T09:00:00Z");
  EXPECT_EQ(subjects(report, StepKind::review_prepared),
            std::vector<std::string>{"ba-zielnachhaltedialog/2025-02"});
  const auto prepared = review("ba-zielnachhaltedialog/2025-02");
  EXPECT_EQ(prepared.state, ReviewState::prepared);
  EXPECT_FALSE(prepared.late);
  EXPECT_EQ(format_date(*prepared.meeting_date), "2025-03-11");
  EXPECT_EQ(format_timestamp(prepared.starts_at), "2025-03-11T09:00:00.000Z");
  EXPECT_EQ(prepared.prepared_by, "zielwerk-dienst");
  EXPECT_EQ(prepared.rule_set_version, example().rules.version);
}

TEST_F(WorkflowRunTest, ASecondRunAtTheSameTimeChangesNothing) {
  import_example_data(example());
  const auto first = run("2025-07-20T08:00:00Z");
  EXPECT_FALSE(first.steps.empty());
  const auto records = audit_count();
  const auto second = run("2025-07-20T08:00:00Z");
  EXPECT_TRUE(second.steps.empty());
  EXPECT_EQ(audit_count(), records);
}

TEST_F(WorkflowRunTest, AfterDowntimeOlderMeetingsAreMissedAndTheLatestIsPreparedLateOnce) {
  import_example_data(example());
  run("2025-03-06T09:00:00Z");  // prepares the February review (and records January missed)
  const auto report = run("2025-07-20T08:00:00Z");
  EXPECT_EQ(subjects(report, StepKind::review_missed),
            (std::vector<std::string>{
                "ba-zielnachhaltedialog/2025-03", "ba-zielnachhaltedialog/2025-04",
                "ba-zielnachhaltedialog/2025-05", "kommunal-zielnachhaltedialog/2025-03"}));
  EXPECT_EQ(subjects(report, StepKind::review_prepared),
            (std::vector<std::string>{"ba-zielnachhaltedialog/2025-06",
                                      "kommunal-zielnachhaltedialog/2025-06"}));
  const auto late = review("ba-zielnachhaltedialog/2025-06");
  EXPECT_TRUE(late.late);
  EXPECT_EQ(late.state, ReviewState::prepared);
  const auto missed = review("ba-zielnachhaltedialog/2025-04");
  EXPECT_EQ(missed.state, ReviewState::missed);
  EXPECT_TRUE(missed.snapshot_json.empty());
  // The agenda of the late review names the meetings missed before it.
  const auto agenda = json::parse(late.agenda_json);
  EXPECT_EQ(agenda["missed_reviews"],
            json({"ba-zielnachhaltedialog/2025-03", "ba-zielnachhaltedialog/2025-04",
                  "ba-zielnachhaltedialog/2025-05"}));
  EXPECT_TRUE(agenda["late"].get<bool>());
  // Nothing is prepared twice, and nothing is left for a later run.
  EXPECT_TRUE(run("2025-07-21T08:00:00Z").steps.empty());
  std::size_t prepare_records = 0;
  for (const auto& record : storage::read_audit_records(*database_)) {
    if (record.operation == "review.prepare") ++prepare_records;
  }
  EXPECT_EQ(prepare_records, 3U);  // 2025-02 and the two late ones
}

TEST_F(WorkflowRunTest, TheSnapshotIsTheEvaluationAsKnownAtPreparationWithItsImports) {
  import_example_data(example());
  run("2025-07-03T09:00:00Z");
  const auto prepared = review("ba-zielnachhaltedialog/2025-06");
  const auto snapshot = json::parse(prepared.snapshot_json);
  ASSERT_TRUE(prepared.figures_known_at.has_value());
  // Imported on 2025-01-02 and prepared on 2025-07-03: the snapshot names the
  // latest record it read.
  EXPECT_EQ(format_timestamp(*prepared.figures_known_at), "2025-01-02T08:00:00.000Z");
  EXPECT_EQ(snapshot["evaluation"]["period"], "2025-06");
  EXPECT_EQ(snapshot["evaluation"]["rule_set_version"], example().rules.version);
  EXPECT_EQ(snapshot["data_revisions"].size(), 4U);  // the four example files
  EXPECT_EQ(snapshot["data_revisions"][0]["imported_at"], "2025-01-02T08:00:00.000Z");

  // `evaluate --known-at` the snapshot's time gives the very same evaluation,
  // even after a later correction.
  ImportRequest correction;
  write_file(dir_.path() / "late.csv", "metric,period,value\nintegrationen_frauen,2025-06,1\n");
  correction.files = {(dir_.path() / "late.csv").string()};
  correction.actor = "controlling-jc";
  correction.now = at("2025-07-10T08:00:00Z");
  Diagnostics diagnostics;
  ASSERT_TRUE(import_observations(example(), *database_, correction, diagnostics).ok());
  // A milestone recorded after the preparation, done within the period: today's
  // evaluation counts it, the one as known at the snapshot does not.
  const Status recorded = record_milestone_done(
      example(), *database_,
      {"but-lernfoerderung", "richtlinie-versandt", parse_date("2025-06-20").value(),
       "sozialamt-kreis", at("2025-07-11T10:00:00Z")});
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  const auto now = load_evaluation_inputs(example(), *database_, std::nullopt);
  ASSERT_TRUE(now.ok());
  const auto today = json::parse(evaluation_json(evaluate_period(
      example(), now.value(), YearMonth(2025, 6), std::nullopt, parse_date("2027-01-01").value())));
  EXPECT_NE(today, snapshot["evaluation"]);
  const auto inputs = load_evaluation_inputs(example(), *database_, prepared.figures_known_at);
  ASSERT_TRUE(inputs.ok()) << inputs.error().message;
  // Whatever today is: with a known-at, release lags count to its date.
  const auto again = evaluate_period(example(), inputs.value(), YearMonth(2025, 6),
                                     prepared.figures_known_at, parse_date("2027-01-01").value());
  EXPECT_EQ(json::parse(evaluation_json(again)), snapshot["evaluation"]);
}

TEST_F(WorkflowRunTest, TheAgendaHoldsTheGoalsInScopeOnly) {
  import_example_data(example());
  run("2025-07-12T13:00:00Z");
  const auto ba = json::parse(review("ba-zielnachhaltedialog/2025-06").agenda_json);
  const auto kommunal = json::parse(review("kommunal-zielnachhaltedialog/2025-06").agenda_json);
  std::vector<std::string> ba_goals;
  for (const auto& goal : ba["goals"])
    ba_goals.push_back(goal["id"]);
  EXPECT_EQ(ba_goals,
            (std::vector<std::string>{"iq-gesamt", "iq-frauen", "iq-maenner", "lzb-gesamt",
                                      "lzb-frauen", "lzb-maenner", "llu-monitoring",
                                      "fbw-absolventenmanagement", "persoenliche-beratungen"}));
  std::vector<std::string> kommunal_goals;
  for (const auto& goal : kommunal["goals"])
    kommunal_goals.push_back(goal["id"]);
  EXPECT_EQ(kommunal_goals,
            (std::vector<std::string>{"kdu-kostensenkung", "kommunale-eingliederung-schulungen",
                                      "but-lernfoerderung"}));
  EXPECT_EQ(ba["participants"], json({"agentur", "jobcenter"}));
  EXPECT_EQ(ba["meeting_date"], "2025-07-08");
}

TEST_F(WorkflowRunTest, ABindingGoalBehindInTwoReviewsWithoutAMeasureDemandsOne) {
  import_example_data(example());
  // Reviews May: judged against the Soll of May, the binding iq-frauen, lzb-frauen and
  // lzb-maenner are missed, iq-maenner at_risk.
  run("2025-06-05T09:00:00Z");
  auto may = storage::load_escalations(*database_, "ba-zielnachhaltedialog",
                                       "ba-zielnachhaltedialog/2025-05");
  EXPECT_TRUE(may.empty()) << "the first review behind demands nothing yet";

  // An open measure for lzb-frauen exists; the others have none.
  add_measure("ba-zielnachhaltedialog/2025-05", "lzb-frauen", "2025-12-31");
  run("2025-07-03T09:00:00Z");  // reviews June: all four still behind
  const auto june = storage::load_escalations(*database_, "ba-zielnachhaltedialog",
                                              "ba-zielnachhaltedialog/2025-06");
  std::vector<std::string> goals;
  for (const auto& escalation : june) {
    EXPECT_EQ(escalation.kind, domain::EscalationKind::measure_demanded);
    EXPECT_EQ(escalation.party, "agentur");
    goals.push_back(escalation.goal);
  }
  // Not lzb-frauen (it has a measure), nor the informational totals.
  EXPECT_EQ(goals, (std::vector<std::string>{"iq-frauen", "iq-maenner", "lzb-maenner"}));
  ASSERT_EQ(june.size(), 3U);
  EXPECT_NE(reason_of(june[1]).find("2025-06 at_risk, 2025-05 at_risk"), std::string::npos)
      << reason_of(june[1]);
  const auto agenda = json::parse(review("ba-zielnachhaltedialog/2025-06").agenda_json);
  ASSERT_EQ(agenda["escalations"].size(), 3U);
  EXPECT_EQ(agenda["escalations"][0]["kind"], "measure_demanded");
  ASSERT_EQ(agenda["measures"].size(), 1U);
  EXPECT_EQ(agenda["measures"][0]["goal"], "lzb-frauen");
}

TEST_F(WorkflowRunTest, AMissedReviewBreaksTheRowOfConsecutiveReviewsNot) {
  import_example_data(example());
  run("2025-05-08T09:00:00Z");  // prepares April
  run("2025-07-03T09:00:00Z");  // May missed, June prepared: April and June both behind
  const auto june = storage::load_escalations(*database_, "ba-zielnachhaltedialog",
                                              "ba-zielnachhaltedialog/2025-06");
  std::vector<std::string> goals;
  for (const auto& escalation : june)
    goals.push_back(escalation.goal);
  EXPECT_EQ(goals,
            (std::vector<std::string>{"iq-frauen", "iq-maenner", "lzb-frauen", "lzb-maenner"}));
  ASSERT_EQ(june.size(), 4U);
  EXPECT_NE(reason_of(june[2]).find("(2025-06 missed, 2025-04 missed)"), std::string::npos)
      << reason_of(june[2]);
}

TEST_F(WorkflowRunTest, AnOverdueMeasureIsEscalatedOnceToTheNamedPartyAndTheNextReview) {
  import_example_data(example());
  run("2025-07-03T09:00:00Z");
  const auto id = add_measure("ba-zielnachhaltedialog/2025-06", "iq-frauen", "2025-07-31");
  EXPECT_TRUE(subjects(run("2025-07-31T21:59:59Z"), StepKind::measure_overdue).empty())
      << "due on July 31 means until the end of that day in Berlin";
  const auto report = run("2025-07-31T22:00:00Z");
  EXPECT_EQ(subjects(report, StepKind::measure_overdue),
            std::vector<std::string>{"measure " + std::to_string(id)});
  EXPECT_TRUE(subjects(run("2025-08-01T09:00:00Z"), StepKind::measure_overdue).empty());

  run("2025-08-07T08:00:00Z");  // prepares the August meeting (reviews July)
  const auto on_agenda = storage::load_escalations(*database_, "ba-zielnachhaltedialog",
                                                   "ba-zielnachhaltedialog/2025-07");
  ASSERT_FALSE(on_agenda.empty());
  EXPECT_EQ(on_agenda[0].kind, domain::EscalationKind::measure_overdue);
  EXPECT_EQ(on_agenda[0].party, "agentur");  // overdue_measures_to of the BA workflow
  const auto agenda = json::parse(review("ba-zielnachhaltedialog/2025-07").agenda_json);
  ASSERT_EQ(agenda["measures"].size(), 1U);
  EXPECT_TRUE(agenda["measures"][0]["overdue"].get<bool>());

  // Moving the due date and missing it again is a new escalation.
  ASSERT_TRUE(database_
                  ->write([&]() -> Status {
                    auto measure = *storage::find_measure(*database_, id);
                    measure.due_on = parse_date("2025-09-30").value();
                    storage::update_measure(*database_, measure);
                    return Ok{};
                  })
                  .ok());
  EXPECT_EQ(subjects(run("2025-10-01T09:00:00Z"), StepKind::measure_overdue).size(), 1U);
}

TEST_F(WorkflowRunTest, OverdueMilestonesAreEscalatedToTheMunicipalReviewOnly) {
  import_example_data(example());
  const auto report = run("2025-05-02T09:00:00Z");
  EXPECT_EQ(subjects(report, StepKind::milestone_overdue),
            std::vector<std::string>{"kommunale-eingliederung-schulungen/schulungsplan"});
  // The April meeting was not prepared before, so it is prepared late in the
  // same run, after the escalation: its agenda carries it.
  const auto raised = storage::load_escalations(*database_, "kommunal-zielnachhaltedialog",
                                                "kommunal-zielnachhaltedialog/2025-03");
  ASSERT_EQ(raised.size(), 1U);
  EXPECT_EQ(raised[0].party, "kreis");
  EXPECT_EQ(raised[0].milestone, "schulungsplan");
  const auto agenda = json::parse(review("kommunal-zielnachhaltedialog/2025-03").agenda_json);
  EXPECT_EQ(agenda["escalations"][0]["kind"], "milestone_overdue");
  EXPECT_TRUE(storage::load_all_escalations(*database_).size() == 1U)
      << "the BA review does not cover municipal goals";
}

TEST_F(WorkflowRunTest, PreparationKeepsTheLocalTimeAcrossTheClockChange) {
  // A meeting on the first Tuesday: 2025-04-01 10:00 CEST; five days before is
  // 2025-03-27 10:00 CET = 09:00 UTC, before the clock change of March 30.
  const std::filesystem::path project_dir = dir_.path() / "project";
  std::filesystem::copy(kExample, project_dir, std::filesystem::copy_options::recursive);
  const auto workflow_file = project_dir / "workflows/ba-zielnachhaltedialog.yaml";
  std::string text = read_file(workflow_file);
  text.replace(text.find("week: 2"), 7, "week: 1");
  write_file(workflow_file, text);
  const Project project = zielwerk::testing::load_project_or_fail(project_dir);
  ASSERT_FALSE(project.workflows.empty());
  EXPECT_EQ(format_timestamp(*next_preparation_time(project, at("2025-03-20T00:00:00Z"))),
            "2025-03-27T09:00:00.000Z");
  run("2025-03-27T08:59:59Z", project);
  EXPECT_FALSE(storage::find_review(*database_, "ba-zielnachhaltedialog/2025-03"));
  EXPECT_EQ(subjects(run("2025-03-27T09:00:00Z", project), StepKind::review_prepared),
            std::vector<std::string>{"ba-zielnachhaltedialog/2025-03"});
  EXPECT_EQ(format_timestamp(review("ba-zielnachhaltedialog/2025-03").starts_at),
            "2025-04-01T08:00:00.000Z");
}

TEST_F(WorkflowRunTest, AWorkflowSharingAGoalFollowsUpOnlyItsOwnMeasures) {
  // A second, quarterly review of the BA goals next to the monthly dialogue.
  const std::filesystem::path project_dir = dir_.path() / "project";
  std::filesystem::copy(kExample, project_dir, std::filesystem::copy_options::recursive);
  write_file(project_dir / "workflows/gesamt.yaml", R"(workflow:
  id: gesamt
  title: Gesamtschau
  participants: [agentur, jobcenter, kreis]
  scope: {responsibility: BA}
  meetings: {frequency: quarterly, weekday: wednesday, week: 3, time: "09:00"}
)");
  std::string config = read_file(project_dir / "zielwerk.yaml");
  config.replace(config.find("tests:"), 6, "  - workflows/gesamt.yaml\ntests:");
  write_file(project_dir / "zielwerk.yaml", config);
  const Project project = zielwerk::testing::load_project_or_fail(project_dir);
  ASSERT_EQ(project.workflows.size(), 3U);
  import_example_data(project);
  run("2025-06-05T09:00:00Z", project);
  add_measure("ba-zielnachhaltedialog/2025-05", "iq-frauen", "2025-12-31");
  run("2025-07-12T09:00:00Z", project);
  const auto own = json::parse(review("ba-zielnachhaltedialog/2025-06").agenda_json);
  EXPECT_EQ(own["measures"].size(), 1U);
  const auto other = json::parse(review("gesamt/2025-06").agenda_json);
  EXPECT_TRUE(other["measures"].empty()) << other["measures"].dump();
}

TEST_F(WorkflowRunTest, AStopRequestEndsTheRunAfterTheStepInProgress) {
  import_example_data(example());
  RunRequest request;
  request.actor = "zielwerk-dienst";
  request.now = at("2025-12-20T09:00:00Z");
  int steps = 0;
  request.on_step = [&](const RunStep&) { ++steps; };
  request.should_stop = [&] { return steps >= 2; };
  const auto stopped = run_due_steps(example(), *database_, request);
  ASSERT_TRUE(stopped.ok());
  EXPECT_TRUE(stopped.value().stopped);
  EXPECT_EQ(stopped.value().steps.size(), 2U);
  // The next run does the rest.
  EXPECT_GT(run("2025-12-20T09:00:00Z").steps.size(), 0U);
  EXPECT_TRUE(run("2025-12-20T09:00:00Z").steps.empty());
}

TEST_F(WorkflowRunTest, TheYearEndsWithTheJanuaryReviewOfDecember) {
  import_example_data(example());
  run("2026-01-10T09:00:00Z");
  const auto reviews = storage::load_reviews(*database_);
  ASSERT_FALSE(reviews.empty());
  EXPECT_EQ(reviews.back().period, YearMonth(2025, 12));
  EXPECT_FALSE(next_preparation_time(example(), at("2026-01-15T00:00:00Z")).has_value());
}

}  // namespace
}  // namespace zielwerk::engine
