#include "zielwerk/domain/measure_change.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace zielwerk::domain {
namespace {

using namespace std::chrono;

constexpr Timestamp kNow = sys_days{2025y / July / 8} + 10h;

ReviewRef june_review() {
  return {"ba/2025-06", "ba", YearMonth(2025, 6), 2025y / July / 8};
}

Measure agreed_measure() {
  Measure measure;
  measure.id = 4;
  measure.goal = "iq-frauen";
  measure.review_id = "ba/2025-06";
  measure.title = "Intensivberatung";
  measure.owner_party = "agentur";
  measure.assignee = "Team 1";
  measure.due_on = 2025y / September / 30;
  measure.follow_up_on = 2025y / August / 31;
  measure.status = MeasureStatus::agreed;
  return measure;
}

std::string message(const Status& status) {
  return status ? std::string() : status.error().message;
}

template <typename T>
std::string message(const Result<T>& result) {
  return result ? std::string() : result.error().message;
}

TEST(NewMeasure, NeedsTitleAssigneeAndAFollowUpBeforeItIsDue) {
  NewMeasureRequest request{"iq-frauen", "Intensivberatung",     "agentur",
                            "Team 1",    2025y / September / 30, 2025y / August / 31};
  EXPECT_TRUE(check_new_measure(request));
  request.title = "  ";
  EXPECT_EQ(message(check_new_measure(request)), "a measure needs a title: what is to be done");
  request.title = "x";
  request.assignee = "";
  EXPECT_NE(message(check_new_measure(request)).find("needs an assignee"), std::string::npos);
  request.assignee = "Team 1";
  request.follow_up = 2025y / October / 31;
  EXPECT_NE(message(check_new_measure(request)).find("is after the due date"), std::string::npos);
}

TEST(NewMeasure, IsAgreedForAGoalInScopeByAParticipantAfterTheMeeting) {
  rules::Goal goal;
  goal.id = "iq-frauen";
  goal.section = "I";
  const NewMeasureRequest request{"iq-frauen", "Intensivberatung",     "agentur",
                                  "Team 1",    2025y / September / 30, std::nullopt};
  const auto measure = plan_new_measure(request, goal, june_review(), {"iq-frauen"},
                                        {"agentur", "jobcenter"}, "controlling-jc", kNow);
  ASSERT_TRUE(measure) << message(measure);
  EXPECT_EQ(measure.value().status, MeasureStatus::agreed);
  EXPECT_EQ(measure.value().review_id, "ba/2025-06");
  EXPECT_EQ(measure.value().created_by, "controlling-jc");
  EXPECT_EQ(measure.value().created_at, kNow);

  EXPECT_NE(message(plan_new_measure(request, goal, june_review(), {"lzb-frauen"}, {"agentur"}, "a",
                                     kNow))
                .find("is not in the scope of the workflow 'ba'"),
            std::string::npos);
  EXPECT_NE(
      message(plan_new_measure(request, goal, june_review(), {"iq-frauen"}, {"kreis"}, "a", kNow))
          .find("is not a participant"),
      std::string::npos);
  NewMeasureRequest early = request;
  early.due = 2025y / July / 1;
  EXPECT_EQ(
      message(plan_new_measure(early, goal, june_review(), {"iq-frauen"}, {"agentur"}, "a", kNow)),
      "the due date 2025-07-01 is before the meeting of review 'ba/2025-06' on 2025-07-08");
}

TEST(MeasureChange, ListsEveryChangedFieldWithBeforeAndAfter) {
  MeasureChangeRequest request;
  request.status = MeasureStatus::in_progress;
  request.assignee = "Team 2";
  request.due = 2025y / October / 31;
  const auto plan =
      plan_measure_change(agreed_measure(), request, june_review(), std::nullopt, kNow + 24h);
  ASSERT_TRUE(plan) << message(plan);
  EXPECT_EQ(plan.value().after.status, MeasureStatus::in_progress);
  EXPECT_EQ(plan.value().after.assignee, "Team 2");
  EXPECT_EQ(plan.value().after.updated_at, kNow + 24h);
  ASSERT_EQ(plan.value().changes.size(), 3u);
  EXPECT_EQ(plan.value().changes[0].field, MeasureField::status);
  EXPECT_EQ(plan.value().changes[0].before, "agreed");
  EXPECT_EQ(plan.value().changes[0].after, "in_progress");
  EXPECT_EQ(plan.value().changes[1].field, MeasureField::due);
  EXPECT_EQ(plan.value().changes[1].before, "2025-09-30");
  EXPECT_EQ(plan.value().changes[2].field, MeasureField::assignee);
}

TEST(MeasureChange, ANoteAloneIsAFollowUpWithoutChanges) {
  MeasureChangeRequest request;
  request.note = "läuft";
  const auto plan =
      plan_measure_change(agreed_measure(), request, june_review(), june_review(), kNow);
  ASSERT_TRUE(plan) << message(plan);
  EXPECT_TRUE(plan.value().changes.empty());
  EXPECT_EQ(message(plan_measure_change(agreed_measure(), {}, june_review(), std::nullopt, kNow)),
            "nothing to change for measure 4 (it is agreed): give a new status, dates, assignee "
            "or a note");
}

TEST(MeasureChange, RefusesWhatTheLifeCycleForbids) {
  Measure in_progress = agreed_measure();
  in_progress.status = MeasureStatus::in_progress;
  MeasureChangeRequest back;
  back.status = MeasureStatus::agreed;
  EXPECT_EQ(message(plan_measure_change(in_progress, back, june_review(), std::nullopt, kNow)),
            "measure 4 is in_progress and cannot go back to agreed; it can become done or dropped");

  MeasureChangeRequest drop;
  drop.status = MeasureStatus::dropped;
  EXPECT_EQ(message(plan_measure_change(agreed_measure(), drop, june_review(), std::nullopt, kNow)),
            "dropping measure 4 needs a reason: why it is not carried out");
  drop.reason = "Programm entfällt";
  const auto dropped =
      plan_measure_change(agreed_measure(), drop, june_review(), std::nullopt, kNow);
  ASSERT_TRUE(dropped) << message(dropped);
  EXPECT_EQ(dropped.value().after.reason, "Programm entfällt");
  ASSERT_EQ(dropped.value().changes.size(), 2u);
  EXPECT_EQ(dropped.value().changes[1].field, MeasureField::reason);
  EXPECT_EQ(dropped.value().changes[1].before, std::nullopt);

  Measure done = agreed_measure();
  done.status = MeasureStatus::done;
  MeasureChangeRequest note;
  note.note = "x";
  EXPECT_NE(message(plan_measure_change(done, note, june_review(), std::nullopt, kNow))
                .find("which is final"),
            std::string::npos);
}

TEST(MeasureChange, IsFollowedUpInALaterReviewOfItsWorkflow) {
  MeasureChangeRequest note;
  note.note = "x";
  const ReviewRef other{"kommunal/2025-06", "kommunal", YearMonth(2025, 6), 2025y / July / 10};
  EXPECT_NE(message(plan_measure_change(agreed_measure(), note, june_review(), other, kNow))
                .find("belongs to the workflow 'ba'"),
            std::string::npos);
  const ReviewRef earlier{"ba/2025-05", "ba", YearMonth(2025, 5), 2025y / June / 10};
  EXPECT_NE(message(plan_measure_change(agreed_measure(), note, june_review(), earlier, kNow))
                .find("was agreed in the later review"),
            std::string::npos);
}

TEST(MeasureChange, NewDatesAreJudgedAgainstTheMeetingAndEachOther) {
  MeasureChangeRequest request;
  request.follow_up = 2025y / November / 30;
  EXPECT_EQ(
      message(plan_measure_change(agreed_measure(), request, june_review(), std::nullopt, kNow)),
      "the follow-up date 2025-11-30 is after the due date 2025-09-30; follow a measure up "
      "before it is due");
  MeasureChangeRequest before_meeting;
  before_meeting.due = 2025y / July / 1;
  EXPECT_NE(message(plan_measure_change(agreed_measure(), before_meeting, june_review(),
                                        std::nullopt, kNow))
                .find("is before the meeting"),
            std::string::npos);
}

TEST(MeasureChange, RequestChecksNeedNoStoredMeasure) {
  MeasureChangeRequest request;
  request.assignee = " ";
  EXPECT_EQ(message(check_measure_change(request)),
            "the assignee must not be empty: name the role or team");
  request.assignee.reset();
  request.reason = "weil";
  EXPECT_NE(message(check_measure_change(request)).find("a reason is recorded when"),
            std::string::npos);
  request.status = MeasureStatus::dropped;
  EXPECT_TRUE(check_measure_change(request));
}

TEST(LifeCycle, OnlyForwardTransitions) {
  EXPECT_TRUE(allowed_transition(MeasureStatus::agreed, MeasureStatus::in_progress));
  EXPECT_TRUE(allowed_transition(MeasureStatus::agreed, MeasureStatus::done));
  EXPECT_TRUE(allowed_transition(MeasureStatus::in_progress, MeasureStatus::dropped));
  EXPECT_FALSE(allowed_transition(MeasureStatus::in_progress, MeasureStatus::agreed));
  EXPECT_FALSE(allowed_transition(MeasureStatus::done, MeasureStatus::in_progress));
  EXPECT_FALSE(allowed_transition(MeasureStatus::dropped, MeasureStatus::done));
}

TEST(LifeCycle, OverdueFromTheDayAfterItsDueDateWhileOpen) {
  Measure measure = agreed_measure();
  EXPECT_FALSE(is_overdue(measure, 2025y / September / 30));
  EXPECT_TRUE(is_overdue(measure, 2025y / October / 1));
  measure.status = MeasureStatus::done;
  EXPECT_FALSE(is_overdue(measure, 2025y / October / 1));
  EXPECT_TRUE(follow_up_due(measure, 2025y / August / 31));
  EXPECT_FALSE(follow_up_due(measure, 2025y / August / 30));
}

}  // namespace
}  // namespace zielwerk::domain
