#include "zielwerk/domain/review_close.h"

#include <gtest/gtest.h>

#include <chrono>

namespace zielwerk::domain {
namespace {

using namespace std::chrono;

Review prepared_review() {
  Review review;
  review.id = "ba/2025-06";
  review.workflow = "ba";
  review.period = YearMonth(2025, 6);
  review.state = ReviewState::prepared;
  Agenda agenda;
  AgendaMeasure listed;
  listed.id = 1;
  listed.status = MeasureStatus::agreed;
  agenda.measures.push_back(listed);
  AgendaMeasure closed_then;
  closed_then.id = 2;
  closed_then.status = MeasureStatus::done;
  agenda.measures.push_back(closed_then);
  review.agenda = agenda;
  return review;
}

Measure measure(std::int64_t id, MeasureStatus status, const std::string& review_id) {
  Measure m;
  m.id = id;
  m.goal = "iq-frauen";
  m.title = "M" + std::to_string(id);
  m.review_id = review_id;
  m.status = status;
  m.due_on = 2025y / September / 30;
  return m;
}

ReviewEntry entry(EntryKind kind, const std::string& goal = "") {
  ReviewEntry e;
  e.kind = kind;
  e.goal = goal;
  e.review_id = "ba/2025-06";
  return e;
}

Escalation demand(const std::string& goal) {
  Escalation e;
  e.kind = EscalationKind::measure_demanded;
  e.goal = goal;
  return e;
}

TEST(OpenItems, AttendanceDemandsAndFollowUpsInThatOrder) {
  const std::vector<Measure> measures = {measure(1, MeasureStatus::agreed, "ba/2025-05"),
                                         measure(2, MeasureStatus::agreed, "ba/2025-05")};
  const auto items = review_open_items(prepared_review(), {},
                                       {demand("iq-frauen"), demand("iq-frauen")}, measures, {});
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, OpenItemKind::attendance_missing);
  EXPECT_EQ(items[1].kind, OpenItemKind::measure_demanded);  // once per goal
  EXPECT_EQ(items[1].goal, "iq-frauen");
  EXPECT_EQ(items[2].kind, OpenItemKind::follow_up_missing);  // measure 2 was done on the agenda
  EXPECT_EQ(items[2].measure_id, 1);
  EXPECT_EQ(items[2].measure_title, "M1");
}

TEST(OpenItems, NoneOnceEverythingIsRecorded) {
  std::vector<Measure> measures = {measure(1, MeasureStatus::in_progress, "ba/2025-05"),
                                   measure(3, MeasureStatus::agreed, "ba/2025-06")};
  MeasureFollowUp follow_up;
  follow_up.measure_id = 1;
  follow_up.review_id = "ba/2025-06";
  EXPECT_TRUE(review_open_items(prepared_review(), {entry(EntryKind::attendance)},
                                {demand("iq-frauen")}, measures, {follow_up})
                  .empty());
  // A decision against the demanded measure answers it as well.
  measures.pop_back();
  EXPECT_TRUE(
      review_open_items(prepared_review(),
                        {entry(EntryKind::attendance), entry(EntryKind::no_measure, "iq-frauen")},
                        {demand("iq-frauen")}, measures, {follow_up})
          .empty());
  // A measure closed since the agenda needs no follow-up.
  measures[0].status = MeasureStatus::done;
  EXPECT_TRUE(review_open_items(prepared_review(), {entry(EntryKind::attendance)}, {}, measures, {})
                  .empty());
}

TEST(OpenItems, OnlyPreparedReviewsHaveAny) {
  Review closed = prepared_review();
  closed.state = ReviewState::closed;
  EXPECT_TRUE(review_open_items(closed, {}, {demand("iq-frauen")}, {}, {}).empty());
}

}  // namespace
}  // namespace zielwerk::domain
