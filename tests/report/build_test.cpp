// Meeting documents built from the example's database: a review's agenda
// shows what the meeting saw (frozen rows, charts from the figures known
// then), minutes add what was recorded, the year overview follows today's
// figures, and bad ids are refused with a useful message.
#include "zielwerk/report/build.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/engine/workflow_run.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/format.h"

namespace zielwerk::report {
namespace {

using zielwerk::testing::example;

using namespace zielwerk::locale;

using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;

using zielwerk::testing::example_files::kExample;
const std::string kJune = "ba-zielnachhaltedialog/2025-06";  // meeting 2025-07-08

using zielwerk::testing::date;

const GoalRow* row(const Document& document, const std::string& id) {
  const auto it = std::find_if(document.goals.begin(), document.goals.end(),
                               [&](const GoalRow& r) { return r.id == id; });
  return it == document.goals.end() ? nullptr : &*it;
}

const Chart* chart(const Document& document, const std::string& id) {
  const auto it = std::find_if(document.charts.begin(), document.charts.end(),
                               [&](const Chart& c) { return c.goal_id == id; });
  return it == document.charts.end() ? nullptr : &*it;
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = engine::open_database(example(), dir_.path() / "zielwerk.db",
                                        engine::OpenMode::create_if_missing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(opened).value();
    import({"2023.csv", "2024.csv", "2025.csv"}, "2026-01-20T08:00:00Z");
  }

  void import(const std::vector<std::string>& files, const char* now) {
    engine::ImportRequest request;
    for (const auto& file : files)
      request.files.push_back((kExample / "data" / file).string());
    request.actor = "controlling-jc";
    request.now = clock_.next(now);
    Diagnostics diagnostics;
    const auto imported = engine::import_observations(example(), *db_, request, diagnostics);
    ASSERT_TRUE(imported.ok()) << ::testing::PrintToString(lines(diagnostics));
  }

  void run(const char* now) {
    engine::RunRequest request;
    request.actor = "zielwerk-dienst";
    request.now = at(now);                   // the day the run plays
    request.recorded_at = clock_.next(now);  // the time its records carry
    const auto ran = engine::run_due_steps(example(), *db_, request);
    ASSERT_TRUE(ran.ok()) << ran.error().message;
  }

  Document review(const std::string& id) {
    auto built = build_review_document(example(), *db_, id);
    EXPECT_TRUE(built.ok()) << built.error().message;
    return built.ok() ? std::move(built).value() : Document{};
  }

  TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  zielwerk::testing::ChangeClock clock_;
};

TEST_F(BuildTest, AnAgendaHoldsTheGoalsInScopeWithTheirChartsEndingInTheTablesValues) {
  run("2025-07-03T10:00:00Z");
  const Document document = review(kJune);
  EXPECT_EQ(document.kind, DocumentKind::agenda);
  EXPECT_EQ(document.agreement_id, "me-aktiv-2025");
  EXPECT_EQ(document.period, YearMonth(2025, 6));
  EXPECT_EQ(document.meeting_date, date("2025-07-08"));
  EXPECT_EQ(document.workflow_id, "ba-zielnachhaltedialog");
  ASSERT_EQ(document.participants.size(), 2u);
  EXPECT_EQ(document.participants[0].id, "agentur");
  EXPECT_FALSE(document.participants[0].name.empty());
  EXPECT_EQ(document.parties.size(), 3u);
  EXPECT_EQ(document.missed_before.size(), 5u);  // January to May passed before the first run

  // The BA dialogue's scope: 8 target goals and the monitoring goal, no milestones.
  ASSERT_EQ(document.goals.size(), 9u);
  EXPECT_EQ(document.charts.size(), 9u);
  EXPECT_TRUE(document.milestones.empty());
  const GoalRow* iq = row(document, "iq-frauen");
  ASSERT_NE(iq, nullptr);
  // Judged against its Soll for June (from 2024's course), below it by more than the band.
  EXPECT_EQ(iq->status, rules::GoalStatus::missed);
  EXPECT_EQ(iq->op, rules::Comparison::at_least);
  EXPECT_DOUBLE_EQ(*iq->target, 15.5);
  EXPECT_DOUBLE_EQ(*iq->gap, *iq->actual - 15.5);
  EXPECT_EQ(iq->judged_against, rules::Reference::soll);
  ASSERT_TRUE(iq->soll.has_value());
  EXPECT_LT(*iq->soll, 15.5);
  EXPECT_DOUBLE_EQ(*iq->soll_gap, *iq->actual - *iq->soll);
  EXPECT_LT(*iq->soll_gap, 0);
  ASSERT_TRUE(iq->forecast.has_value());
  EXPECT_EQ(iq->reachable, false);

  for (const auto& goal : document.goals) {
    const Chart* c = chart(document, goal.id);
    ASSERT_NE(c, nullptr) << goal.id;
    if (goal.kind == rules::GoalKind::target) {
      ASSERT_EQ(c->course.size(), static_cast<std::size_t>(kChartMonths)) << goal.id;
      EXPECT_EQ(c->course.front().month, YearMonth(2023, 7));
      EXPECT_EQ(c->course.back().month, YearMonth(2025, 6));
      ASSERT_TRUE(c->course.back().value.has_value()) << goal.id;
      EXPECT_DOUBLE_EQ(*c->course.back().value, *goal.actual) << goal.id;
      EXPECT_EQ(c->target, goal.target);
      ASSERT_TRUE(c->forecast.has_value());
      EXPECT_EQ(c->forecast->month, YearMonth(2025, 12));
      EXPECT_EQ(c->forecast->value, goal.forecast);
      // The Soll path through 2025; June's value is the table's Soll, December the target.
      ASSERT_EQ(c->soll_path.size(), 12u) << goal.id;
      EXPECT_EQ(c->soll_path.front().month, YearMonth(2025, 1));
      EXPECT_EQ(c->soll_path[5].value, goal.soll) << goal.id;
      EXPECT_EQ(c->soll_path.back().value, goal.target) << goal.id;
    } else {
      EXPECT_EQ(goal.id, "llu-monitoring");
      ASSERT_EQ(c->course.size(), 12u);
      ASSERT_EQ(c->previous_year.size(), 12u);
      EXPECT_EQ(c->previous_year.back().month, YearMonth(2024, 6));
      EXPECT_EQ(c->course.back().value, goal.actual);
      EXPECT_EQ(c->previous_year.back().value, goal.previous);
    }
  }
}

TEST_F(BuildTest, ACorrectionImportedLaterDoesNotChangeWhatTheMeetingSaw) {
  run("2025-07-03T10:00:00Z");
  const Document before = review(kJune);
  import({"korrektur-2025.csv"}, "2026-02-01T08:00:00Z");
  const Document after = review(kJune);
  ASSERT_EQ(before.goals.size(), after.goals.size());
  for (std::size_t i = 0; i < before.goals.size(); ++i) {
    EXPECT_EQ(before.goals[i].actual, after.goals[i].actual) << before.goals[i].id;
    const Chart* a = chart(before, before.goals[i].id);
    const Chart* b = chart(after, before.goals[i].id);
    ASSERT_TRUE(a != nullptr && b != nullptr);
    ASSERT_EQ(a->course.size(), b->course.size());
    for (std::size_t m = 0; m < a->course.size(); ++m)
      EXPECT_EQ(a->course[m].value, b->course[m].value) << before.goals[i].id << " " << m;
  }
  // The year overview follows today's figures: the correction shows there.
  const auto year_before_correction = build_year_document(
      example(), *db_, YearMonth(2025, 6), at("2026-01-31T00:00:00Z"), date("2026-02-02"));
  const auto year_now =
      build_year_document(example(), *db_, YearMonth(2025, 6), std::nullopt, date("2026-02-02"));
  ASSERT_TRUE(year_before_correction.ok() && year_now.ok());
  bool any_differs = false;
  for (const auto& goal : year_now.value().goals) {
    const GoalRow* old = row(year_before_correction.value(), goal.id);
    ASSERT_NE(old, nullptr);
    any_differs = any_differs || old->actual != goal.actual;
  }
  EXPECT_TRUE(any_differs) << "korrektur-2025.csv corrects a June 2025 figure";
}

TEST_F(BuildTest, UnderChangedRulesAReviewsChartsAreWithheldNotRedrawn) {
  run("2025-07-03T10:00:00Z");
  engine::Project changed = example();
  changed.rules.version = std::string(64, 'f');  // e.g. a metric's formula was edited since
  auto built = build_review_document(changed, *db_, kJune);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_TRUE(built.value().charts_withheld);
  EXPECT_TRUE(built.value().charts.empty());
  EXPECT_EQ(built.value().goals.size(), 9u);  // the frozen table stays
  EXPECT_FALSE(review(kJune).charts_withheld);
}

TEST_F(BuildTest, TheYearOverviewNamesTheFiguresItRestsOn) {
  const auto built =
      build_year_document(example(), *db_, YearMonth(2025, 6), std::nullopt, date("2026-02-02"));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built.value().figures_known_at, at("2026-01-20T08:00:00Z"));  // the import in SetUp
}

TEST_F(BuildTest, MinutesAddWhatWasRecordedAndTheMeasuresAgreed) {
  run("2025-07-03T10:00:00Z");
  engine::ReviewMinutes minutes;
  minutes.review_id = kJune;
  minutes.actor = "traegercontrolling-agentur";
  minutes.now = clock_.next("2025-07-08T10:30:00Z");
  minutes.attendance = {"agentur", "jobcenter"};
  minutes.assessment = "IQ der Frauen knapp unter Ziel; <Teilzeit> & Kinderbetreuung prüfen";
  minutes.decisions = {"Maßnahme zur Teilzeitvermittlung vereinbaren"};
  ASSERT_TRUE(engine::record_review(example(), *db_, minutes).ok());
  engine::NewMeasure measure;
  measure.review_id = kJune;
  measure.goal = "iq-frauen";
  measure.title = "Teilzeitstellen akquirieren";
  measure.owner_party = "jobcenter";
  measure.assignee = "Team Arbeitgeberservice";
  measure.due = date("2025-09-30");
  measure.actor = "controlling-jc";
  measure.now = clock_.next("2025-07-08T10:40:00Z");
  ASSERT_TRUE(engine::add_measure(example(), *db_, measure).ok());

  const Document agenda = review(kJune);
  EXPECT_EQ(agenda.kind, DocumentKind::agenda);
  EXPECT_FALSE(agenda.minutes.has_value());  // still open: an agenda, whatever is recorded

  const Status closed = engine::close_review(example(), *db_, kJune, "traegercontrolling-agentur",
                                             clock_.next("2025-07-08T11:00:00Z"));
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  const Document document = review(kJune);
  EXPECT_EQ(document.kind, DocumentKind::minutes);
  ASSERT_TRUE(document.minutes.has_value());
  // Names, not ids: the parties' as the agreement declares them.
  EXPECT_EQ(document.minutes->attendance,
            (std::vector<std::string>{"Agentur für Arbeit Mettmann", "Jobcenter ME-aktiv"}));
  ASSERT_EQ(document.minutes->assessments.size(), 1u);
  EXPECT_EQ(document.minutes->assessments[0], minutes.assessment);
  EXPECT_EQ(document.minutes->decisions, minutes.decisions);
  ASSERT_EQ(document.minutes->agreed_measures.size(), 1u);
  EXPECT_EQ(document.minutes->agreed_measures[0].title, "Teilzeitstellen akquirieren");
  EXPECT_EQ(document.minutes->agreed_measures[0].owner_party, "jobcenter");
  EXPECT_NE(document.minutes->agreed_measures[0].owner_party_name, "jobcenter");
  EXPECT_EQ(document.minutes->closed_by,
            "SGB-II-Trägercontrolling der Agentur für Arbeit Mettmann");  // the actor's name
  // The agenda part stays what the meeting saw: no open measure was on it.
  EXPECT_TRUE(document.measures.empty());
}

TEST_F(BuildTest, TheNextAgendaListsOpenAndOverdueMeasuresOverdueFirst) {
  run("2025-07-03T10:00:00Z");
  for (const auto& [title, due] : std::vector<std::pair<std::string, const char*>>{
           {"später fällig", "2025-12-31"}, {"bald fällig", "2025-07-31"}}) {
    engine::NewMeasure measure;
    measure.review_id = kJune;
    measure.goal = "iq-frauen";
    measure.title = title;
    measure.owner_party = "jobcenter";
    measure.assignee = "Team Arbeitgeberservice";
    measure.due = date(due);
    measure.actor = "controlling-jc";
    measure.now = clock_.next("2025-07-08T10:40:00Z");
    ASSERT_TRUE(engine::add_measure(example(), *db_, measure).ok());
  }
  run("2025-09-04T10:00:00Z");  // prepares July and August; August's meeting is 2025-09-09
  const Document august = review("ba-zielnachhaltedialog/2025-08");
  ASSERT_EQ(august.measures.size(), 2u);
  EXPECT_EQ(august.measures[0].title, "bald fällig");
  EXPECT_TRUE(august.measures[0].overdue);
  EXPECT_FALSE(august.measures[1].overdue);
  EXPECT_EQ(august.measures[0].owner_party_name, "Jobcenter ME-aktiv");
  // The overdue measure was escalated onto the agenda.
  EXPECT_FALSE(august.escalations.empty());
}

TEST_F(BuildTest, UnknownAndMissedReviewsAreRefusedWithAReason) {
  run("2025-07-03T10:00:00Z");
  const auto unknown = build_review_document(example(), *db_, "ba-zielnachhaltedialog/2025-6");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::usage);
  EXPECT_NE(unknown.error().message.find("did you mean"), std::string::npos)
      << unknown.error().message;

  const auto missed = build_review_document(example(), *db_, "ba-zielnachhaltedialog/2025-01");
  ASSERT_FALSE(missed.ok());
  EXPECT_EQ(missed.error().kind, ErrorKind::usage);
  EXPECT_NE(missed.error().message.find("missed"), std::string::npos) << missed.error().message;
}

TEST_F(BuildTest, TheYearOverviewHoldsEveryGoalMilestonesAndOpenMeasures) {
  const auto built =
      build_year_document(example(), *db_, YearMonth(2025, 6), std::nullopt, date("2025-07-10"));
  ASSERT_TRUE(built.ok()) << built.error().message;
  const Document& document = built.value();
  EXPECT_EQ(document.kind, DocumentKind::year);
  EXPECT_EQ(document.goals.size(), example().rules.goals.size());
  EXPECT_EQ(document.charts.size(), 10u);  // 9 target goals (kdu-kostensenkung too), 1 monitoring
  // Two milestone goals with 2 and 3 milestones; one was due in April.
  EXPECT_EQ(document.milestones.size(), 5u);
  EXPECT_TRUE(
      std::any_of(document.milestones.begin(), document.milestones.end(),
                  [](const MilestoneLine& m) { return m.status == rules::GoalStatus::overdue; }));
  EXPECT_TRUE(document.measures.empty());
  EXPECT_EQ(document.as_of, date("2025-07-10"));
}

TEST_F(BuildTest, AMonthWithoutFiguresGivesRowsWithoutValuesAndChartsWithGaps) {
  const auto built =
      build_year_document(example(), *db_, YearMonth(2026, 3), std::nullopt, date("2026-04-10"));
  ASSERT_TRUE(built.ok()) << built.error().message;
  const GoalRow* iq = row(built.value(), "iq-frauen");
  ASSERT_NE(iq, nullptr);
  EXPECT_EQ(iq->status, rules::GoalStatus::no_data);
  EXPECT_FALSE(iq->actual.has_value());
  EXPECT_FALSE(iq->gap.has_value());
  const Chart* c = chart(built.value(), "iq-frauen");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->course.back().value.has_value());
  EXPECT_TRUE(c->course.front().value.has_value());  // April 2024 is known
}

}  // namespace
}  // namespace zielwerk::report
