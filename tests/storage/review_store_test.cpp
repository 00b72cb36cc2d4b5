// Reviews, minutes, measures and escalations as stored: round trips, the keys
// that make a second preparation or escalation impossible, and storage
// failures outside a write turned into errors.
#include "zielwerk/storage/review_store.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "storage/raw_sqlite.h"
#include "test_support.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"

namespace zielwerk::storage {
namespace {

using domain::EscalationKind;
using domain::MeasureStatus;
using domain::ReviewState;

using zielwerk::testing::at;
using zielwerk::testing::exec_raw;
using zielwerk::testing::TempDir;

class ReviewStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(dir_.path() / "zielwerk.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_ = std::move(opened.value());
  }

  std::int64_t audit() {
    AuditEvent event;
    event.recorded_at = at("2025-07-03T08:00:00Z");
    event.actor = "zielwerk-dienst";
    event.operation = "review.prepare";
    event.rule_set_version = "v1";
    return append_audit_record(*database_, event);
  }

  ReviewRecord review(const std::string& id) {
    ReviewRecord review;
    review.id = id;
    review.workflow = "ba";
    review.period = YearMonth(2025, 6);
    review.meeting_date = parse_date("2025-07-08");
    review.starts_at = at("2025-07-08T08:00:00Z");
    review.prepared_at = at("2025-07-03T08:00:00Z");
    review.prepared_by = "zielwerk-dienst";
    review.rule_set_version = "v1";
    review.figures_known_at = at("2025-07-02T06:00:00Z");
    review.snapshot_json = R"({"evaluation":{}})";
    review.agenda_json = R"({"goals":[]})";
    return review;
  }

  Status write(const std::function<void()>& work) {
    return database_->write([&]() -> Status {
      work();
      return Ok{};
    });
  }

  TempDir dir_;
  std::unique_ptr<Database> database_;
};

TEST_F(ReviewStoreTest, AReviewReadsBackAsWritten) {
  ASSERT_TRUE(write([&] {
                auto r = review("ba/2025-06");
                r.audit_seq = audit();
                insert_review(*database_, r);
              }).ok());
  const auto found = find_review(*database_, "ba/2025-06");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, ReviewState::prepared);
  EXPECT_EQ(found->period, YearMonth(2025, 6));
  EXPECT_EQ(format_date(*found->meeting_date), "2025-07-08");
  EXPECT_EQ(format_timestamp(*found->figures_known_at), "2025-07-02T06:00:00.000Z");
  EXPECT_EQ(found->agenda_json, R"({"goals":[]})");
  EXPECT_FALSE(found->closed_at.has_value());
  EXPECT_EQ(found->audit_seq, 1);

  ASSERT_TRUE(write([&] {
                close_review_record(*database_, "ba/2025-06", at("2025-07-08T12:00:00Z"), "gf");
              }).ok());
  EXPECT_EQ(find_review(*database_, "ba/2025-06")->state, ReviewState::closed);
  EXPECT_EQ(find_review(*database_, "ba/2025-06")->closed_by, "gf");
}

TEST_F(ReviewStoreTest, AMeetingCannotBeStoredTwice) {
  ASSERT_TRUE(write([&] {
                auto r = review("ba/2025-06");
                r.audit_seq = audit();
                insert_review(*database_, r);
              }).ok());
  const Status second = write([&] {
    auto r = review("ba/2025-06");
    r.state = ReviewState::missed;
    r.audit_seq = audit();
    insert_review(*database_, r);
  });
  EXPECT_EQ(second.error().kind, ErrorKind::storage);
  EXPECT_EQ(read_audit_records(*database_).size(), 1U) << "the failed step left no record";
  EXPECT_EQ(load_reviews(*database_).size(), 1U);
}

TEST_F(ReviewStoreTest, AnEscalationIsRaisedOnceAndWaitsForTheNextReview) {
  EscalationRecord escalation;
  escalation.kind = EscalationKind::measure_overdue;
  escalation.subject = "measure/1/due/2025-07-31";
  escalation.workflow = "ba";
  escalation.goal = "iq-frauen";
  escalation.party = "agentur";
  escalation.facts_json = R"({"due":"2025-04-30"})";
  escalation.raised_at = at("2025-08-01T08:00:00Z");
  bool first = false;
  bool second = true;
  ASSERT_TRUE(write([&] {
                escalation.audit_seq = audit();
                first = insert_escalation(*database_, escalation).has_value();
                second = insert_escalation(*database_, escalation).has_value();
              }).ok());
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(escalation_raised(*database_, escalation.kind, escalation.subject, "ba"));
  EXPECT_FALSE(escalation_raised(*database_, escalation.kind, escalation.subject, "kommunal"));
  EXPECT_EQ(load_escalations(*database_, "ba", "").size(), 1U);

  ASSERT_TRUE(write([&] {
                auto r = review("ba/2025-07");
                r.audit_seq = audit();
                insert_review(*database_, r);
                attach_pending_escalations(*database_, "ba", "ba/2025-07");
              }).ok());
  EXPECT_TRUE(load_escalations(*database_, "ba", "").empty());
  ASSERT_EQ(load_escalations(*database_, "ba", "ba/2025-07").size(), 1U);
  EXPECT_EQ(load_escalations(*database_, "ba", "ba/2025-07")[0].party, "agentur");
}

TEST_F(ReviewStoreTest, AMeasureAndItsFollowUpLogReadBack) {
  std::int64_t id = 0;
  ASSERT_TRUE(write([&] {
                auto r = review("ba/2025-06");
                r.audit_seq = audit();
                insert_review(*database_, r);
                domain::Measure measure;
                measure.goal = "iq-frauen";
                measure.review_id = "ba/2025-06";
                measure.title = "Aktivierung";
                measure.owner_party = "jobcenter";
                measure.assignee = "Teamleitung";
                measure.due_on = parse_date("2025-09-30").value();
                measure.created_at = at("2025-07-08T10:00:00Z");
                measure.created_by = "controlling-jc";
                measure.updated_at = measure.created_at;
                id = insert_measure(*database_, measure);
                measure.id = id;
                measure.status = MeasureStatus::in_progress;
                update_measure(*database_, measure);
                FollowUpRecord follow_up;
                follow_up.measure_id = id;
                follow_up.review_id = "ba/2025-06";
                follow_up.recorded_at = at("2025-07-08T10:30:00Z");
                follow_up.actor = "controlling-jc";
                follow_up.status = MeasureStatus::in_progress;
                follow_up.note = "begonnen";
                follow_up.changes_json = R"({"status":["agreed","in_progress"]})";
                follow_up.audit_seq = audit();
                insert_measure_follow_up(*database_, follow_up);
              }).ok());
  const auto measure = find_measure(*database_, id);
  ASSERT_TRUE(measure.has_value());
  EXPECT_EQ(measure->status, MeasureStatus::in_progress);
  EXPECT_FALSE(measure->follow_up_on.has_value());
  EXPECT_EQ(format_date(measure->due_on), "2025-09-30");
  const auto log = load_measure_follow_ups(*database_, id);
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].note, "begonnen");
  EXPECT_EQ(log[0].changes_json, R"({"status":["agreed","in_progress"]})");
}

TEST_F(ReviewStoreTest, WritersRefuseToRunOutsideAWriteTransaction) {
  EXPECT_THROW(insert_review(*database_, review("ba/2025-06")), std::logic_error);
}

TEST_F(ReviewStoreTest, AFailingReadOutsideAWriteIsAStorageErrorNotAnException) {
  ASSERT_EQ(exec_raw(dir_.path() / "zielwerk.db", "DROP TABLE escalation"), "");
  const Status status = database_->read([&]() -> Status {
    load_all_escalations(*database_);
    return Ok{};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::storage);
  EXPECT_NE(status.error().message.find("escalation"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace zielwerk::storage
