#include "zielwerk/domain/follow_up.h"

#include <gtest/gtest.h>

#include <chrono>

namespace zielwerk::domain {
namespace {

using namespace std::chrono;
using rules::GoalStatus;

rules::RuleSet rule_set() {
  rules::RuleSet rules;
  rules.agreement.id = "test-2025";
  rules.agreement.year = 2025;
  rules.agreement.parties = {
      {"agentur", "Agentur", rules::Carrier::ba, {"BA"}, {}},
      {"kreis", "Kreis", rules::Carrier::kommunal, {"kommunal"}, {}},
      {"jobcenter", "Jobcenter", rules::Carrier::joint_institution, {"BA", "kommunal"}, {}}};
  rules::Goal target;
  target.id = "iq-frauen";
  target.responsibility = std::string("BA");
  target.spec = rules::TargetSpec{};
  rules::Goal milestones;
  milestones.id = "but";
  milestones.responsibility = std::string("kommunal");
  rules::MilestoneSpec spec;
  spec.milestones = {{"richtlinie", "Richtlinie", 2025y / June / 30, {}},
                     {"info", "Info", 2025y / September / 30, {}}};
  milestones.spec = spec;
  rules.goals = {target, milestones};
  return rules;
}

workflows::Workflow workflow(const std::string& id, std::vector<std::string> participants) {
  workflows::Workflow flow;
  flow.id = id;
  flow.title = id;
  flow.participants = std::move(participants);
  flow.meetings.weekday = Tuesday;
  flow.meetings.week = 2;
  return flow;
}

const workflows::CalendarSettings kCalendar{"Europe/Berlin", {"DE-NW", {}}};

Timestamp at(year_month_day day, int hour) {
  // Europe/Berlin in July is UTC+2.
  return sys_days{day} + hours(hour - 2);
}

TEST(EscalationParty, TheParticipantOfTheResponsibleCarrierElseTheFirst) {
  const auto rules = rule_set();
  const auto flow = workflow("ba", {"jobcenter", "agentur"});
  EXPECT_EQ(escalation_party(rules.agreement, flow, rules.goals[0]), "agentur");
  EXPECT_EQ(escalation_party(rules.agreement, flow, rules.goals[1]), "jobcenter");
}

TEST(DueSteps, AfterDowntimeOnlyTheLatestMeetingIsPreparedTheEarlierAreMissed) {
  const auto rules = rule_set();
  const std::vector<workflows::Workflow> flows = {workflow("ba", {"agentur", "jobcenter"})};
  const Timestamp now = at(2025y / July / 3, 10);
  const auto plan = plan_due_steps(rules, flows, kCalendar, {}, now, 2025y / July / 3);
  // January's review (meeting 11 Feb) to May's (10 Jun) passed; June's (8 Jul) is prepared.
  ASSERT_EQ(plan.meetings.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i)
    EXPECT_TRUE(plan.meetings[i].missed) << i;
  EXPECT_FALSE(plan.meetings[5].missed);
  EXPECT_FALSE(plan.meetings[5].late);
  EXPECT_EQ(plan.meetings[5].meeting.id(), "ba/2025-06");
  // The preparation is due five days before at the meeting's time.
  EXPECT_EQ(preparation_time(flows[0], plan.meetings[5].meeting, kCalendar.time_zone),
            at(2025y / July / 3, 10));
  EXPECT_EQ(next_preparation_time(flows, 2025, kCalendar, now), at(2025y / August / 7, 10));
}

TEST(DueSteps, StoredReviewsAreNotDueAgainAndAStartedLatestIsLate) {
  const auto rules = rule_set();
  const std::vector<workflows::Workflow> flows = {workflow("ba", {"agentur"})};
  FollowUpState state;
  for (int month = 1; month <= 5; ++month)
    state.reviews.insert("ba/" + YearMonth(2025, month).to_string());
  const auto plan =
      plan_due_steps(rules, flows, kCalendar, state, at(2025y / July / 9, 9), 2025y / July / 9);
  ASSERT_EQ(plan.meetings.size(), 1u);
  EXPECT_TRUE(plan.meetings[0].late);
  EXPECT_FALSE(plan.meetings[0].missed);
}

TEST(DueSteps, OverdueMeasuresAndMilestonesGoToTheirParties) {
  const auto rules = rule_set();
  auto ba = workflow("ba", {"agentur", "jobcenter"});
  ba.escalation.overdue_measures_to = "jobcenter";
  auto kommunal = workflow("kommunal", {"kreis", "jobcenter"});
  kommunal.scope.responsibility = std::string("kommunal");
  ba.scope.responsibility = std::string("BA");
  const std::vector<workflows::Workflow> flows = {ba, kommunal};
  FollowUpState state;
  Measure overdue;
  overdue.id = 1;
  overdue.owner_party = "agentur";
  overdue.due_on = 2025y / June / 30;
  Measure later = overdue;
  later.id = 2;
  later.due_on = 2025y / July / 31;
  Measure orphan = overdue;
  orphan.id = 3;
  state.measures = {{overdue, &flows[0]}, {later, &flows[0]}, {orphan, nullptr}};
  state.done_milestones.insert({"but", "info"});
  const auto plan =
      plan_due_steps(rules, flows, kCalendar, state, at(2025y / July / 1, 0), 2025y / July / 1);
  ASSERT_EQ(plan.measures.size(), 1u);  // not the one due later, not one without workflow
  EXPECT_EQ(plan.measures[0].measure.id, 1);
  EXPECT_EQ(plan.measures[0].party, "jobcenter");
  ASSERT_EQ(plan.milestones.size(), 1u);  // only the kommunal workflow holds the goal
  EXPECT_EQ(plan.milestones[0].milestone->id, "richtlinie");
  EXPECT_EQ(plan.milestones[0].workflow->id, "kommunal");
  EXPECT_EQ(plan.milestones[0].party, "kreis");
}

TEST(MeasureDemands, BehindInConsecutiveReviewsWithoutAnOpenMeasure) {
  workflows::EscalationRules rules;  // missed or at_risk, in 2 reviews
  const std::vector<GoalAtReview> goals = {{"iq-frauen", true, GoalStatus::missed},
                                           {"iq-maenner", true, GoalStatus::at_risk},
                                           {"lzb-frauen", true, GoalStatus::missed},
                                           {"iq-gesamt", false, GoalStatus::missed}};
  const std::vector<EarlierReview> earlier = {
      {YearMonth(2025, 4), {{"iq-maenner", GoalStatus::met}}},
      {YearMonth(2025, 5),
       {{"iq-frauen", GoalStatus::at_risk},
        {"iq-maenner", GoalStatus::met},
        {"lzb-frauen", GoalStatus::missed},
        {"iq-gesamt", GoalStatus::missed}}},
      {YearMonth(2025, 7), {{"iq-maenner", GoalStatus::missed}}},  // after: not counted
  };
  const auto demands =
      plan_measure_demands(rules, YearMonth(2025, 6), goals, earlier, {"lzb-frauen"});
  ASSERT_EQ(demands.size(), 1u);  // iq-maenner was met in May, lzb-frauen has a measure
  EXPECT_EQ(demands[0].goal, "iq-frauen");
  ASSERT_EQ(demands[0].history.size(), 2u);
  EXPECT_EQ(demands[0].history[0].period, YearMonth(2025, 6));
  EXPECT_EQ(demands[0].history[1].status, GoalStatus::at_risk);
}

TEST(MeasureDemands, NoneBeforeEnoughReviewsWereHeld) {
  workflows::EscalationRules rules;
  rules.demand_measure_after = 3;
  const std::vector<GoalAtReview> goals = {{"iq-frauen", true, GoalStatus::missed}};
  EXPECT_TRUE(plan_measure_demands(rules, YearMonth(2025, 6), goals,
                                   {{YearMonth(2025, 5), {{"iq-frauen", GoalStatus::missed}}}}, {})
                  .empty());
  rules.demand_measure_after = 1;
  EXPECT_EQ(plan_measure_demands(rules, YearMonth(2025, 6), goals, {}, {}).size(), 1u);
}

}  // namespace
}  // namespace zielwerk::domain
