#include "zielwerk/workflows/workflow.h"

#include <gtest/gtest.h>

#include "corpus_support.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::workflows {
namespace {

using zielwerk::testing::lines;

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override { rules = zielwerk::testing::base_rule_set(); }

  std::vector<std::string> errors_of(const std::string& text) {
    Diagnostics diagnostics;
    EXPECT_FALSE(load_workflows_from_sources({{"w.yaml", text}}, rules, diagnostics).has_value());
    diagnostics.sort();
    return lines(diagnostics);
  }

  rules::RuleSet rules;
};

const char* kValid = R"(workflow:
  id: ba-dialog
  title: Zielnachhaltedialog
  participants: [agentur, jobcenter]
  scope: {responsibility: BA, sections: [I, II]}
  meetings:
    frequency: quarterly
    weekday: thursday
    week: -1
    time: "14:30"
    on_holiday: previous_business_day
    reviews_month: -2
)";

TEST_F(WorkflowTest, DecodesEveryField) {
  Diagnostics diagnostics;
  const auto workflows = load_workflows_from_sources({{"w.yaml", kValid}}, rules, diagnostics);
  ASSERT_TRUE(workflows.has_value()) << ::testing::PrintToString(lines(diagnostics));
  ASSERT_EQ(workflows->size(), 1u);
  const Workflow& w = workflows->front();
  EXPECT_EQ(w.id, "ba-dialog");
  EXPECT_EQ(w.participants, (std::vector<std::string>{"agentur", "jobcenter"}));
  EXPECT_EQ(w.scope.responsibility, std::string("BA"));
  EXPECT_EQ(w.scope.sections, (std::vector<std::string>{"I", "II"}));
  EXPECT_EQ(w.meetings.frequency, Frequency::quarterly);
  EXPECT_EQ(w.meetings.weekday, std::chrono::Thursday);
  EXPECT_EQ(w.meetings.week, -1);
  EXPECT_EQ(w.meetings.time_of_day, std::chrono::minutes(14 * 60 + 30));
  EXPECT_EQ(w.meetings.on_holiday, HolidayRule::previous_business_day);
  EXPECT_EQ(w.meetings.reviews_month, -2);
  std::vector<std::string> in_scope;
  for (const auto* goal : goals_in_scope(w.scope, rules))
    in_scope.push_back(goal->id);
  EXPECT_EQ(in_scope, (std::vector<std::string>{"iq-gesamt", "lzb-gesamt", "llu-monitoring"}));
}

TEST_F(WorkflowTest, DefaultsForOptionalMeetingFields) {
  Diagnostics diagnostics;
  const auto workflows = load_workflows_from_sources({{"w.yaml", R"(workflow:
  id: kommunal
  title: Kommunal
  participants: [kreis, jobcenter]
  scope: {goals: [but]}
  meetings: {frequency: monthly, weekday: monday, week: 1, time: "09:00"}
)"}},
                                                     rules, diagnostics);
  ASSERT_TRUE(workflows.has_value()) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_EQ(workflows->front().meetings.on_holiday, HolidayRule::next_business_day);
  EXPECT_EQ(workflows->front().meetings.reviews_month, -1);
  EXPECT_EQ(workflows->front().meetings.prepare_days_before, 5);
  EXPECT_EQ(goals_in_scope(workflows->front().scope, rules).size(), 1u);
  const EscalationRules& escalation = workflows->front().escalation;
  EXPECT_EQ(
      escalation.demand_measure_on,
      (std::vector<rules::GoalStatus>{rules::GoalStatus::missed, rules::GoalStatus::at_risk}));
  EXPECT_EQ(escalation.demand_measure_after, 2);
  EXPECT_EQ(escalation.overdue_measures_to, "");
}

TEST_F(WorkflowTest, DecodesPreparationAndEscalationRules) {
  Diagnostics diagnostics;
  const auto workflows =
      load_workflows_from_sources({{"w.yaml", std::string(kValid) + R"(    prepare_days_before: 1
  escalation:
    demand_measure_on: [missed]
    demand_measure_after: 3
    overdue_measures_to: agentur
)"}},
                                  rules, diagnostics);
  ASSERT_TRUE(workflows.has_value()) << ::testing::PrintToString(lines(diagnostics));
  const Workflow& w = workflows->front();
  EXPECT_EQ(w.meetings.prepare_days_before, 1);
  EXPECT_EQ(w.escalation.demand_measure_on,
            std::vector<rules::GoalStatus>{rules::GoalStatus::missed});
  EXPECT_EQ(w.escalation.demand_measure_after, 3);
  EXPECT_EQ(w.escalation.overdue_measures_to, "agentur");
}

TEST_F(WorkflowTest, AnEmptyListOfDemandStatusesIsAnError) {
  const auto errors = errors_of(std::string(kValid) + R"(  escalation:
    demand_measure_on: []
)");
  EXPECT_EQ(errors,
            std::vector<std::string>{"w.yaml:14:24: error: workflow \"ba-dialog\".escalation: "
                                     "demand_measure_on: list at least one of missed, at_risk"});
}

TEST_F(WorkflowTest, ReportsBrokenEscalationRules) {
  const auto errors = errors_of(std::string(kValid) + R"(    prepare_days_before: 40
  escalation:
    demand_measure_on: [missed, met, missed]
    demand_measure_after: 0
    overdue_measures_to: kreis
    notify: everyone
)");
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                "w.yaml:13:26: error: workflow \"ba-dialog\".meetings.prepare_days_before: "
                "expected a whole number from 1 to 28, got 40",
                "w.yaml:15:33: error: workflow \"ba-dialog\".escalation: demand_measure_on: "
                "expected missed or at_risk, got 'met'",
                "w.yaml:15:38: error: workflow \"ba-dialog\".escalation: demand_measure_on: "
                "'missed' is listed twice",
                "w.yaml:16:27: error: workflow \"ba-dialog\".escalation.demand_measure_after: "
                "expected a whole number from 1 to 12, got 0",
                "w.yaml:17:26: error: workflow \"ba-dialog\".escalation.overdue_measures_to: "
                "'kreis' is not a participant of the workflow (participants: agentur, jobcenter)",
                "w.yaml:18:5: error: workflow \"ba-dialog\".escalation: unknown key 'notify'"}));
}

TEST_F(WorkflowTest, ReportsBrokenReferencesAndMeetingRules) {
  const auto errors = errors_of(R"(workflow:
  id: review
  title: Review
  participants: [agentr, jobcenter, jobcenter]
  scope: {sections: [V], goals: [iq-gesamtt], colour: red}
  meetings:
    frequency: weekly
    weekday: saturday
    week: 0
    time: "25:00"
    reviews_month: 1
)");
  const std::vector<std::string> expected = {
      "w.yaml:4:18: error: workflow \"review\": participants: unknown party 'agentr' (did you "
      "mean 'agentur'?)",
      "w.yaml:4:37: error: workflow \"review\": participants: 'jobcenter' is listed twice",
      "w.yaml:5:22: error: workflow \"review\".scope: sections: no goal is in section 'V' "
      "(sections in use: I, II, IV)",
      "w.yaml:5:34: error: workflow \"review\".scope: goals: unknown goal 'iq-gesamtt' (did you "
      "mean 'iq-gesamt'?)",
      "w.yaml:5:47: error: workflow \"review\".scope: unknown key 'colour'",
      "w.yaml:7:16: error: workflow \"review\".meetings.frequency: 'weekly' is not one of monthly, "
      "quarterly",
      "w.yaml:8:14: error: workflow \"review\".meetings.weekday: 'saturday' is not one of monday, "
      "tuesday, wednesday, thursday, friday",
      "w.yaml:9:11: error: workflow \"review\".meetings.week: expected 1, 2, 3, 4 or -1 (the "
      "last), got 0",
      "w.yaml:10:11: error: workflow \"review\".meetings.time: expected a local time HH:MM (00:00 "
      "to 23:59), got '25:00' (quote it: \"10:00\")",
      "w.yaml:11:20: error: workflow \"review\".meetings.reviews_month: expected a whole number "
      "from -12 to 0, got 1",
  };
  EXPECT_EQ(errors, expected);
}

TEST_F(WorkflowTest, ReportsAMissingShapeAndAnEmptySelection) {
  EXPECT_EQ(errors_of("other: 1\n"),
            (std::vector<std::string>{
                "w.yaml:1:1: error: unknown key 'other'",
                "w.yaml:1:1: error: workflow: missing required key 'workflow'",
            }));
  const auto errors = errors_of(R"(workflow:
  id: leer
  title: Leer
  participants: [agentur]
  scope: {responsibility: kommunal, sections: [I]}
  meetings: {frequency: monthly, weekday: monday, week: 5, time: "09:00"}
)");
  const std::vector<std::string> expected = {
      "w.yaml:5:10: error: workflow \"leer\".scope: the scope selects no goal (all filters must "
      "match)",
      "w.yaml:6:57: error: workflow \"leer\".meetings.week: expected a whole number from -1 to 4, "
      "got 5",
  };
  EXPECT_EQ(errors, expected);
}

// The jobcenter's own monthly controlling round: one participant is a review.
TEST_F(WorkflowTest, ASingleParticipantIsAReview) {
  Diagnostics diagnostics;
  const auto workflows = load_workflows_from_sources({{"w.yaml", R"(workflow:
  id: controlling
  title: Controllingrunde
  participants: [jobcenter]
  scope: {responsibility: BA}
  meetings: {frequency: monthly, weekday: monday, week: 1, time: "09:00"}
)"}},
                                                     rules, diagnostics);
  ASSERT_TRUE(workflows) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_EQ(workflows->front().participants, std::vector<std::string>{"jobcenter"});
}

TEST_F(WorkflowTest, TheScopesResponsibilityIsASideOfTheParties) {
  const auto errors = errors_of(R"(workflow:
  id: zkt
  title: zkT
  participants: [agentur, jobcenter]
  scope: {responsibility: zkT}
  meetings: {frequency: monthly, weekday: monday, week: 1, time: "09:00"}
)");
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "w.yaml:5:27: error: workflow \"zkt\".scope.responsibility: no party of "
                        "the agreement acts on 'zkT' goals (sides of the parties: BA, kommunal)",
                    }));
}

TEST_F(WorkflowTest, WorkflowIdsAreUniqueAcrossFiles) {
  Diagnostics diagnostics;
  EXPECT_FALSE(
      load_workflows_from_sources({{"a.yaml", kValid}, {"b.yaml", kValid}}, rules, diagnostics));
  EXPECT_EQ(
      lines(diagnostics),
      std::vector<std::string>{
          "b.yaml:2:3: error: workflow \"ba-dialog\": duplicate workflow id (first in a.yaml)"});
}

TEST(TimeZoneTest, KnowsTheTzDatabase) {
  EXPECT_TRUE(is_known_time_zone("Europe/Berlin"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  EXPECT_FALSE(is_known_time_zone("Europe/Berlinn"));
  EXPECT_FALSE(is_known_time_zone(""));
}

}  // namespace
}  // namespace zielwerk::workflows
