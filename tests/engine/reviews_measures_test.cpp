// Reviews and control measures through the database, on the example's
// workflows: minutes, closing with its conditions, measures with their
// follow-up log, and that every refusal leaves the database as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/engine/workflow_run.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::example;

using domain::EntryKind;
using domain::MeasureStatus;
using domain::ReviewState;
using zielwerk::testing::at;
using zielwerk::testing::lines;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;

using zielwerk::testing::example_files::kExample;
constexpr const char* kBa = "ba-zielnachhaltedialog";
constexpr const char* kKommunal = "kommunal-zielnachhaltedialog";
const std::string kMay = "ba-zielnachhaltedialog/2025-05";   // meeting 2025-06-10
const std::string kJune = "ba-zielnachhaltedialog/2025-06";  // meeting 2025-07-08

using zielwerk::testing::date;

using zielwerk::testing::contains;

class ReviewsMeasuresTest : public ::testing::Test {
 protected:
  Timestamp tick(const char* preferred) { return clock_.next(preferred); }

  void SetUp() override {
    auto opened =
        open_database(example(), dir_.path() / "zielwerk.db", OpenMode::create_if_missing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(opened).value();
  }

  // A review as `run` stores it, with an agenda listing `agenda_measures` as open.
  void add_review(const std::string& id, const std::string& workflow, YearMonth period,
                  const char* meeting, ReviewState state = ReviewState::prepared,
                  const std::vector<std::int64_t>& agenda_measures = {}) {
    domain::Agenda agenda;
    agenda.review = id;
    agenda.workflow = workflow;
    agenda.period = period;
    agenda.meeting_date = date(meeting);
    for (const auto measure : agenda_measures) {
      domain::AgendaMeasure item;
      item.id = measure;
      item.status = domain::MeasureStatus::agreed;
      item.due = date("2025-09-30");
      agenda.measures.push_back(item);
    }
    const Status written = db_->write([&]() -> Status {
      storage::AuditEvent event;
      event.recorded_at = tick("2025-06-05T08:00:00Z");
      event.actor = "zielwerk-dienst";
      event.operation = state == ReviewState::missed ? "review.missed" : "review.prepare";
      event.objects = {{"review", id}};
      event.rule_set_version = example().rules.version;
      storage::ReviewRecord review;
      review.id = id;
      review.workflow = workflow;
      review.period = period;
      review.meeting_date = date(meeting);
      review.starts_at = at((std::string(meeting) + "T08:00:00Z").c_str());
      review.state = state;
      review.prepared_at = event.recorded_at;
      review.prepared_by = event.actor;
      review.rule_set_version = event.rule_set_version;
      if (state != ReviewState::missed) {
        review.figures_known_at = event.recorded_at;
        domain::Snapshot snapshot;
        snapshot.evaluation.agreement = example().rules.agreement.id;
        snapshot.evaluation.period = period;
        snapshot.prepared_at = event.recorded_at;
        review.snapshot_json = encode_snapshot(snapshot);
        review.agenda_json = encode_agenda(agenda);
      }
      review.audit_seq = storage::append_audit_record(*db_, event);
      storage::insert_review(*db_, review);
      return Ok{};
    });
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  // The agenda of `review` demands a measure for `goal`.
  void demand_measure(const std::string& review, const std::string& goal) {
    const Status written = db_->write([&]() -> Status {
      storage::AuditEvent event;
      event.recorded_at = tick("2025-06-05T08:00:00Z");
      event.actor = "zielwerk-dienst";
      event.operation = "escalation.measure_demanded";
      event.objects = {{"review", review}, {"goal", goal}};
      event.rule_set_version = example().rules.version;
      storage::EscalationRecord escalation;
      escalation.kind = domain::EscalationKind::measure_demanded;
      escalation.subject = review + "/" + goal;
      escalation.workflow = kBa;
      escalation.goal = goal;
      escalation.party = "agentur";
      escalation.facts_json = R"({"history":[{"period":"2025-05","status":"missed"}]})";
      escalation.raised_at = event.recorded_at;
      escalation.review_id = review;
      escalation.audit_seq = storage::append_audit_record(*db_, event);
      EXPECT_TRUE(storage::insert_escalation(*db_, escalation));
      return Ok{};
    });
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  NewMeasure measure_in(const std::string& review, const std::string& goal) {
    NewMeasure measure;
    measure.review_id = review;
    measure.goal = goal;
    measure.title = "Arbeitgeberservice akquiriert Teilzeitstellen";
    measure.owner_party = "jobcenter";
    measure.assignee = "Team Arbeitgeberservice";
    measure.due = date("2025-09-30");
    measure.follow_up = date("2025-07-08");
    measure.actor = "controlling-jc";
    measure.now = tick("2025-06-10T09:00:00Z");
    return measure;
  }

  std::int64_t add_ok(const NewMeasure& measure) {
    const auto id = add_measure(example(), *db_, measure);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? id.value() : 0;
  }

  MeasureChange change_of(std::int64_t id) {
    MeasureChange change;
    change.id = id;
    change.actor = "gf-jobcenter";
    change.now = tick("2025-07-08T09:00:00Z");
    return change;
  }

  void update_ok(const MeasureChange& change) {
    const Status status = update_measure(example(), *db_, change);
    EXPECT_TRUE(status.ok()) << status.error().message;
  }

  ReviewMinutes minutes_for(const std::string& review) {
    ReviewMinutes minutes;
    minutes.review_id = review;
    minutes.actor = "controlling-jc";
    minutes.now = tick("2025-06-10T09:30:00Z");
    return minutes;
  }

  void record_ok(const ReviewMinutes& minutes) {
    const Status status = record_review(example(), *db_, minutes);
    EXPECT_TRUE(status.ok()) << status.error().message;
  }

  ReviewDetails details(const std::string& review) {
    auto shown = show_review(example(), *db_, review);
    EXPECT_TRUE(shown.ok()) << shown.error().message;
    return shown.ok() ? std::move(shown).value() : ReviewDetails{};
  }

  // Everything a refused call must leave as it was.
  std::string state_of_database() {
    std::ostringstream out;
    out << "audit " << storage::read_audit_records(*db_).size() << '\n';
    for (const auto& review : storage::load_reviews(*db_)) {
      out << review.id << ' ' << domain::to_string(review.state) << ' ' << review.closed_by << '\n';
      for (const auto& entry : storage::load_review_entries(*db_, review.id))
        out << "  " << domain::to_string(entry.kind) << ' ' << entry.goal << ' ' << entry.text
            << '\n';
    }
    for (const auto& measure : storage::load_measures(*db_)) {
      out << "measure " << measure.id << ' ' << domain::to_string(measure.status) << ' '
          << format_date(measure.due_on) << ' ' << measure.assignee << ' ' << measure.reason
          << '\n';
      for (const auto& follow_up : storage::load_measure_follow_ups(*db_, measure.id))
        out << "  " << follow_up.changes_json << ' ' << follow_up.note << '\n';
    }
    return out.str();
  }

  // Expects a usage error whose message holds every part, and no change.
  template <typename T>
  void expect_refused(const Result<T>& status, const std::string& before,
                      const std::vector<std::string>& parts) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().kind, ErrorKind::usage);
    for (const auto& part : parts)
      EXPECT_TRUE(contains(status.error().message, part)) << part << "\n" << status.error().message;
    EXPECT_EQ(state_of_database(), before);
  }

  // "kind:id" of each object the last record names, in the payload's order
  // (sorted by kind and id); objects whose rows the record vouches for end in "#".
  std::vector<std::string> last_audit_objects() {
    std::vector<std::string> names;
    const auto payload = last_audit_payload();
    for (const auto& object : payload["objects"]) {
      names.push_back(object["kind"].get<std::string>() + ":" + object["id"].get<std::string>() +
                      (object.contains("sha256") ? "#" : ""));
    }
    return names;
  }

  nlohmann::json last_audit_payload() {
    const auto records = storage::read_audit_records(*db_);
    return nlohmann::json::parse(records.back().payload);
  }

  TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  zielwerk::testing::ChangeClock clock_;
};

// --- minutes -----------------------------------------------------------------

TEST_F(ReviewsMeasuresTest, RecordsTheMinutesWithOneAuditRecord) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  demand_measure(kMay, "lzb-frauen");
  const auto audit_before = storage::read_audit_records(*db_).size();
  ReviewMinutes minutes = minutes_for(kMay);
  minutes.attendance = {"vg-agentur", "gf-jobcenter"};
  minutes.assessment = "Integrationen der Frauen knapp unter dem Ziel";
  minutes.external_conditions = "Arbeitsmarkt im Kreis schwächer als geplant";
  minutes.decisions = {"Sonderaktion im Sommer", "Bericht im nächsten Dialog"};
  minutes.no_measure = {{"lzb-frauen", "das ESF-Programm läuft erst an"}};
  record_ok(minutes);

  const auto entries = storage::load_review_entries(*db_, kMay);
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0].kind, EntryKind::attendance);
  EXPECT_EQ(entries[0].text, "vg-agentur");
  EXPECT_EQ(entries[1].text, "gf-jobcenter");
  EXPECT_EQ(entries[2].kind, EntryKind::assessment);
  EXPECT_EQ(entries[3].kind, EntryKind::external_conditions);
  EXPECT_EQ(entries[3].text, "Arbeitsmarkt im Kreis schwächer als geplant");
  EXPECT_EQ(entries[4].kind, EntryKind::decision);
  EXPECT_EQ(entries[5].text, "Bericht im nächsten Dialog");
  EXPECT_EQ(entries[6].kind, EntryKind::no_measure);
  EXPECT_EQ(entries[6].goal, "lzb-frauen");
  EXPECT_EQ(entries[6].text, "das ESF-Programm läuft erst an");
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.actor, "controlling-jc");
    EXPECT_EQ(entry.recorded_at, at("2025-06-10T09:30:00Z"));
    EXPECT_EQ(entry.audit_seq, entries[0].audit_seq);
  }

  const auto records = storage::read_audit_records(*db_);
  // One record for the whole call, after the rule set and the configuration
  // (zielwerk.yaml, workflows) noted by the first change through the engine
  // (the fixture writes the review directly).
  ASSERT_EQ(records.size(), audit_before + 4);
  EXPECT_EQ(records[records.size() - 4].operation, "rules.change");
  EXPECT_EQ(records[records.size() - 3].operation, "project.change");
  EXPECT_EQ(records[records.size() - 2].operation, "workflow.change");
  EXPECT_EQ(records.back().seq, entries[0].audit_seq);
  EXPECT_EQ(records.back().operation, "review.record");
  const auto payload = last_audit_payload();
  // "review" sorts before "review_entry".
  std::vector<std::string> objects = {"goal:lzb-frauen", "review:ba-zielnachhaltedialog/2025-05#"};
  for (const auto& entry : entries)
    objects.push_back("review_entry:" + std::to_string(entry.id) + "#");
  std::sort(objects.begin() + 2, objects.end());
  EXPECT_EQ(last_audit_objects(), objects);
  EXPECT_EQ(payload["details"]["decisions"].size(), 2u);
  EXPECT_EQ(payload["details"]["no_measure"][0]["reason"], "das ESF-Programm läuft erst an");

  // Minutes are added to, across calls.
  ReviewMinutes more = minutes_for(kMay);
  more.decisions = {"Nachtrag"};
  record_ok(more);
  EXPECT_EQ(storage::load_review_entries(*db_, kMay).size(), 8u);
}

TEST_F(ReviewsMeasuresTest, ADecisionAgainstAMeasureAnswersADemandOnlyOnce) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  demand_measure(kMay, "lzb-frauen");
  const auto before = state_of_database();
  ReviewMinutes undemanded = minutes_for(kMay);
  undemanded.no_measure = {{"iq-maenner", "Ziel erreicht"}};
  expect_refused(record_review(example(), *db_, undemanded), before,
                 {"demands no measure for iq-maenner", "it demands one for lzb-frauen"});

  ReviewMinutes decided = minutes_for(kMay);
  decided.no_measure = {{"lzb-frauen", "ESF-Programm läuft erst an"}};
  record_ok(decided);
  const auto after = state_of_database();
  expect_refused(record_review(example(), *db_, decided), after,
                 {"already decided against a measure for lzb-frauen"});
}

TEST_F(ReviewsMeasuresTest, AttendanceNamesActorsOrPartiesNeverPersons) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  const auto before = state_of_database();
  ReviewMinutes minutes = minutes_for(kMay);
  minutes.attendance = {"agentur", "Herr Müller"};
  expect_refused(record_review(example(), *db_, minutes), before,
                 {"attendance: 'Herr Müller' is neither an actor", "never persons"});
  minutes.attendance = {"agentur", "gf-jobcenter"};
  record_ok(minutes);
}

TEST_F(ReviewsMeasuresTest, RefusedMinutesStoreNothing) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review("ba-zielnachhaltedialog/2025-04", kBa, YearMonth(2025, 4), "2025-05-13",
             ReviewState::missed);
  ReviewMinutes present = minutes_for(kMay);
  present.attendance = {"vg-agentur"};
  record_ok(present);
  const std::string before = state_of_database();

  expect_refused(record_review(example(), *db_, minutes_for(kMay)), before,
                 {"nothing to record for review 'ba-zielnachhaltedialog/2025-05'"});

  ReviewMinutes unknown = minutes_for("ba-zielnachhaltedialog/2025-5");
  unknown.decisions = {"x"};
  expect_refused(record_review(example(), *db_, unknown), before,
                 {"unknown review 'ba-zielnachhaltedialog/2025-5'",
                  "did you mean 'ba-zielnachhaltedialog/2025-05'?"});

  ReviewMinutes missed = minutes_for("ba-zielnachhaltedialog/2025-04");
  missed.decisions = {"x"};
  expect_refused(record_review(example(), *db_, missed), before,
                 {"review 'ba-zielnachhaltedialog/2025-04' was missed", "2025-05-13",
                  "nothing can be recorded in it"});

  ReviewMinutes out_of_scope = minutes_for(kMay);
  out_of_scope.decisions = {"recorded only with the rest"};
  out_of_scope.no_measure = {{"kdu-kostensenkung", "Sache des Kreises"}};
  expect_refused(record_review(example(), *db_, out_of_scope), before,
                 {"goal 'kdu-kostensenkung' is not in the scope of the workflow "
                  "'ba-zielnachhaltedialog'",
                  "iq-frauen"});

  ReviewMinutes no_reason = minutes_for(kMay);
  no_reason.no_measure = {{"iq-frauen", "  "}};
  expect_refused(record_review(example(), *db_, no_reason), before,
                 {"a decision against a measure for goal 'iq-frauen' needs a reason"});

  ReviewMinutes unknown_goal = minutes_for(kMay);
  unknown_goal.no_measure = {{"iq-fraun", "x"}};
  expect_refused(record_review(example(), *db_, unknown_goal), before,
                 {"unknown goal 'iq-fraun' (did you mean 'iq-frauen'?)"});

  ReviewMinutes twice = minutes_for(kMay);
  twice.attendance = {"gf-jobcenter", "vg-agentur"};
  expect_refused(record_review(example(), *db_, twice), before,
                 {"'vg-agentur' is already recorded as attending"});

  ReviewMinutes empty_decision = minutes_for(kMay);
  empty_decision.decisions = {""};
  expect_refused(record_review(example(), *db_, empty_decision), before,
                 {"a decision must not be empty"});
}

TEST_F(ReviewsMeasuresTest, AReviewOfARemovedWorkflowIsRefusedClearly) {
  add_review("abgeschafft/2025-05", "abgeschafft", YearMonth(2025, 5), "2025-06-10");
  const std::string before = state_of_database();
  ReviewMinutes minutes = minutes_for("abgeschafft/2025-05");
  minutes.attendance = {"gf-jobcenter"};
  expect_refused(record_review(example(), *db_, minutes), before,
                 {"the workflow 'abgeschafft', which the project no longer defines"});
  expect_refused(add_measure(example(), *db_, measure_in("abgeschafft/2025-05", "iq-frauen")),
                 before, {"no longer defines"});
  // It still shows.
  EXPECT_EQ(details("abgeschafft/2025-05").review.workflow, "abgeschafft");
}

TEST_F(ReviewsMeasuresTest, AMeasureOfAGoalTheRulesDroppedCanStillBeFollowedUp) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  const auto id = add_ok(measure_in(kMay, "iq-frauen"));
  Project without_goal = example();
  auto& goals = without_goal.rules.goals;
  goals.erase(std::remove_if(goals.begin(), goals.end(),
                             [](const rules::Goal& goal) { return goal.id == "iq-frauen"; }),
              goals.end());
  MeasureChange done = change_of(id);
  done.status = MeasureStatus::done;
  const Status status = update_measure(without_goal, *db_, done);
  ASSERT_TRUE(status.ok()) << status.error().message;
  // Participation still counts: the Kreis takes no part in the BA dialogue.
  MeasureChange note = change_of(add_ok(measure_in(kMay, "lzb-frauen")));
  note.actor = "sozialamt-kreis";
  note.note = "nachgefragt";
  const Status refused = update_measure(without_goal, *db_, note);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(contains(refused.error().message, "permission denied")) << refused.error().message;
}

// --- closing -----------------------------------------------------------------

TEST_F(ReviewsMeasuresTest, ClosingIsRefusedNamingEachOpenItemUntilAllAreDone) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  const auto earlier = add_ok(measure_in(kMay, "iq-maenner"));
  const auto done_since = add_ok(measure_in(kMay, "fbw-absolventenmanagement"));
  add_review(kJune, kBa, YearMonth(2025, 6), "2025-07-08", ReviewState::prepared,
             {earlier, done_since});
  demand_measure(kJune, "iq-frauen");
  demand_measure(kJune, "lzb-frauen");
  // Done outside a review since the agenda was prepared: nothing to follow up.
  MeasureChange done = change_of(done_since);
  done.status = MeasureStatus::done;
  update_ok(done);

  const std::string before = state_of_database();
  const Status refused =
      close_review(example(), *db_, kJune, "gf-jobcenter", tick("2025-07-08T10:00:00Z"));
  expect_refused(
      refused, before,
      {"review 'ba-zielnachhaltedialog/2025-06' cannot be closed yet", "attendance is not recorded",
       "a measure is demanded for iq-frauen", "a measure is demanded for lzb-frauen",
       "measure " + std::to_string(earlier) +
           " \"Arbeitgeberservice akquiriert "
           "Teilzeitstellen\" (iq-maenner, agreed, due 2025-09-30) has no follow-up "
           "recorded in this review"});
  EXPECT_FALSE(contains(refused.error().message, "measure " + std::to_string(done_since) + " "));
  EXPECT_EQ(details(kJune).open_items.size(), 4u);

  // A follow-up outside this review does not count for it.
  MeasureChange outside = change_of(earlier);
  outside.note = "Zwischenstand per Mail";
  update_ok(outside);
  EXPECT_EQ(details(kJune).open_items.size(), 4u);

  ReviewMinutes minutes = minutes_for(kJune);
  minutes.attendance = {"vg-agentur", "gf-jobcenter"};
  minutes.no_measure = {{"lzb-frauen", "das ESF-Programm läuft erst an"}};
  record_ok(minutes);
  add_ok(measure_in(kJune, "iq-frauen"));
  auto open_items = details(kJune).open_items;
  ASSERT_EQ(open_items.size(), 1u);
  EXPECT_EQ(open_items[0].kind, domain::OpenItemKind::follow_up_missing);
  EXPECT_EQ(open_items[0].measure_id, earlier);

  MeasureChange follow_up = change_of(earlier);
  follow_up.review_id = kJune;
  follow_up.status = MeasureStatus::in_progress;
  update_ok(follow_up);
  EXPECT_TRUE(details(kJune).open_items.empty());

  const auto audit_before = storage::read_audit_records(*db_).size();
  const Timestamp closing = tick("2025-07-08T10:00:00Z");
  const Status closed = close_review(example(), *db_, kJune, "gf-jobcenter", closing);
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  const auto review = storage::find_review(*db_, kJune);
  EXPECT_EQ(review->state, ReviewState::closed);
  EXPECT_EQ(review->closed_by, "gf-jobcenter");
  EXPECT_EQ(review->closed_at, closing);
  EXPECT_EQ(storage::read_audit_records(*db_).size(), audit_before + 1);
  EXPECT_EQ(storage::read_audit_records(*db_).back().operation, "review.close");
  EXPECT_TRUE(details(kJune).open_items.empty());  // closed: nothing open

  const std::string after = state_of_database();
  expect_refused(close_review(example(), *db_, kJune, "gf-jobcenter", tick("2025-07-09T10:00:00Z")),
                 after, {"review 'ba-zielnachhaltedialog/2025-06' is closed (by gf-jobcenter"});
  ReviewMinutes late = minutes_for(kJune);
  late.decisions = {"Nachtrag"};
  expect_refused(record_review(example(), *db_, late), after,
                 {"is closed", "nothing can be recorded in it"});
  expect_refused(add_measure(example(), *db_, measure_in(kJune, "iq-frauen")), after,
                 {"is closed", "no measure can be agreed in it"});
}

TEST_F(ReviewsMeasuresTest, AMissedReviewCannotBeClosedAndShowsNoOpenItems) {
  add_review("ba-zielnachhaltedialog/2025-04", kBa, YearMonth(2025, 4), "2025-05-13",
             ReviewState::missed);
  const std::string before = state_of_database();
  expect_refused(close_review(example(), *db_, "ba-zielnachhaltedialog/2025-04", "gf-jobcenter",
                              tick("2025-07-08T10:00:00Z")),
                 before, {"was missed", "it cannot be closed"});
  EXPECT_TRUE(details("ba-zielnachhaltedialog/2025-04").open_items.empty());
}

TEST_F(ReviewsMeasuresTest, ShowCollectsMinutesMeasuresFollowUpsAndEscalations) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  const auto earlier = add_ok(measure_in(kMay, "iq-maenner"));
  add_review(kJune, kBa, YearMonth(2025, 6), "2025-07-08", ReviewState::prepared, {earlier});
  demand_measure(kJune, "iq-frauen");
  const auto agreed = add_ok(measure_in(kJune, "iq-frauen"));
  MeasureChange follow_up = change_of(earlier);
  follow_up.review_id = kJune;
  follow_up.note = "läuft";
  update_ok(follow_up);
  ReviewMinutes minutes = minutes_for(kJune);
  minutes.decisions = {"weiter so"};
  record_ok(minutes);

  const auto shown = details(kJune);
  EXPECT_EQ(shown.review.id, kJune);
  ASSERT_EQ(shown.entries.size(), 1u);
  EXPECT_EQ(shown.entries[0].text, "weiter so");
  ASSERT_EQ(shown.agreed_measures.size(), 1u);
  EXPECT_EQ(shown.agreed_measures[0].id, agreed);
  ASSERT_EQ(shown.follow_ups.size(), 1u);
  EXPECT_EQ(shown.follow_ups[0].measure_id, earlier);
  ASSERT_EQ(shown.escalations.size(), 1u);
  EXPECT_EQ(shown.escalations[0].goal, "iq-frauen");
  ASSERT_EQ(shown.open_items.size(), 1u);
  EXPECT_EQ(shown.open_items[0].kind, domain::OpenItemKind::attendance_missing);

  const auto unknown = show_review(example(), *db_, "ba-zielnachhaltedialog/2025-07");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::usage);
  EXPECT_TRUE(contains(unknown.error().message, "unknown review 'ba-zielnachhaltedialog/2025-07'"));
}

TEST_F(ReviewsMeasuresTest, ListsReviewsByWorkflowAndState) {
  add_review("ba-zielnachhaltedialog/2025-04", kBa, YearMonth(2025, 4), "2025-05-13",
             ReviewState::missed);
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review("kommunal-zielnachhaltedialog/2025-03", kKommunal, YearMonth(2025, 3), "2025-04-17");
  auto ids = [&](const std::string& workflow, std::optional<ReviewState> state) {
    const auto reviews = list_reviews(example(), *db_, {workflow, state});
    EXPECT_TRUE(reviews.ok()) << reviews.error().message;
    std::vector<std::string> result;
    for (const auto& summary : reviews.value())
      result.push_back(summary.review.id);
    return result;
  };
  EXPECT_EQ(ids("", std::nullopt),
            (std::vector<std::string>{"kommunal-zielnachhaltedialog/2025-03",
                                      "ba-zielnachhaltedialog/2025-04", kMay}));
  EXPECT_EQ(ids(kBa, std::nullopt),
            (std::vector<std::string>{"ba-zielnachhaltedialog/2025-04", kMay}));
  EXPECT_EQ(ids("", ReviewState::prepared),
            (std::vector<std::string>{"kommunal-zielnachhaltedialog/2025-03", kMay}));
  EXPECT_TRUE(ids(kBa, ReviewState::closed).empty());
  const auto unknown = list_reviews(example(), *db_, {"ba-zielnachhaltdialog", std::nullopt});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::usage);
  EXPECT_TRUE(contains(unknown.error().message, "did you mean 'ba-zielnachhaltedialog'"))
      << unknown.error().message;
}

// --- measures ----------------------------------------------------------------

TEST_F(ReviewsMeasuresTest, AddsAMeasureWithItsAuditRecord) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  const auto id = add_ok(measure_in(kMay, "iq-frauen"));
  EXPECT_EQ(id, 1);
  const auto measure = storage::find_measure(*db_, id);
  ASSERT_TRUE(measure.has_value());
  EXPECT_EQ(measure->goal, "iq-frauen");
  EXPECT_EQ(measure->review_id, kMay);
  EXPECT_EQ(measure->owner_party, "jobcenter");
  EXPECT_EQ(measure->assignee, "Team Arbeitgeberservice");
  EXPECT_EQ(measure->due_on, date("2025-09-30"));
  EXPECT_EQ(measure->follow_up_on, date("2025-07-08"));
  EXPECT_EQ(measure->status, MeasureStatus::agreed);
  EXPECT_EQ(measure->created_by, "controlling-jc");

  const auto records = storage::read_audit_records(*db_);
  EXPECT_EQ(records.back().operation, "measure.add");
  const auto payload = last_audit_payload();
  EXPECT_EQ(last_audit_objects(),
            (std::vector<std::string>{"goal:iq-frauen", "measure:1#",
                                      "review:ba-zielnachhaltedialog/2025-05#"}));
  EXPECT_EQ(payload["details"]["due"], "2025-09-30");
  EXPECT_EQ(payload["details"]["follow_up"], "2025-07-08");
  EXPECT_EQ(payload["details"]["owner"], "jobcenter");
  EXPECT_EQ(payload["details"]["title"], "Arbeitgeberservice akquiriert Teilzeitstellen");
}

TEST_F(ReviewsMeasuresTest, RefusedMeasuresStoreNothing) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review("ba-zielnachhaltedialog/2025-04", kBa, YearMonth(2025, 4), "2025-05-13",
             ReviewState::missed);
  add_review("kommunal-zielnachhaltedialog/2025-03", kKommunal, YearMonth(2025, 3), "2025-04-17");
  const std::string before = state_of_database();
  auto refused = [&](NewMeasure measure, const std::vector<std::string>& parts) {
    expect_refused(add_measure(example(), *db_, measure), before, parts);
  };

  refused(measure_in(kMay, "kdu-kostensenkung"),
          {"goal 'kdu-kostensenkung' (kommunal, section IV) is not in the scope of the workflow "
           "'ba-zielnachhaltedialog'"});
  refused(measure_in("kommunal-zielnachhaltedialog/2025-03", "iq-frauen"),
          {"goal 'iq-frauen' (BA, section I) is not in the scope", "kdu-kostensenkung"});
  NewMeasure owner = measure_in(kMay, "iq-frauen");
  owner.owner_party = "kreis";
  refused(owner, {"the owner 'kreis' is not a participant of the workflow "
                  "'ba-zielnachhaltedialog'; participants: agentur, jobcenter"});
  NewMeasure title = measure_in(kMay, "iq-frauen");
  title.title = " ";
  refused(title, {"a measure needs a title"});
  NewMeasure assignee = measure_in(kMay, "iq-frauen");
  assignee.assignee = "";
  refused(assignee, {"a measure needs an assignee"});
  NewMeasure early_due = measure_in(kMay, "iq-frauen");
  early_due.due = date("2025-06-09");
  early_due.follow_up.reset();
  refused(early_due, {"the due date 2025-06-09 is before the meeting of review "
                      "'ba-zielnachhaltedialog/2025-05' on 2025-06-10"});
  NewMeasure early_follow_up = measure_in(kMay, "iq-frauen");
  early_follow_up.follow_up = date("2025-06-01");
  refused(early_follow_up, {"the follow-up date 2025-06-01 is before the meeting"});
  NewMeasure late_follow_up = measure_in(kMay, "iq-frauen");
  late_follow_up.follow_up = date("2025-10-01");
  refused(late_follow_up, {"the follow-up date 2025-10-01 is after the due date 2025-09-30"});
  refused(measure_in("ba-zielnachhaltedialog/2025-04", "iq-frauen"),
          {"review 'ba-zielnachhaltedialog/2025-04' was missed", "no measure can be agreed"});
  refused(measure_in("ba-zielnachhaltedialog/2025-5", "iq-frauen"),
          {"unknown review", "did you mean 'ba-zielnachhaltedialog/2025-05'?"});
  refused(measure_in(kMay, "iq-fraun"), {"unknown goal 'iq-fraun' (did you mean 'iq-frauen'?)"});

  // On the meeting day itself both dates are fine.
  NewMeasure same_day = measure_in(kMay, "iq-frauen");
  same_day.due = date("2025-06-10");
  same_day.follow_up = date("2025-06-10");
  add_ok(same_day);
}

TEST_F(ReviewsMeasuresTest, UpdatesKeepAFollowUpLogWithWhatChanged) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review(kJune, kBa, YearMonth(2025, 6), "2025-07-08");
  const auto id = add_ok(measure_in(kMay, "iq-frauen"));

  MeasureChange start = change_of(id);
  start.status = MeasureStatus::in_progress;
  start.due = date("2025-10-31");
  start.assignee = "Team Arbeitgeberservice Nord";
  start.note = "zwei Arbeitgeber gewonnen";
  start.review_id = kJune;
  update_ok(start);

  auto measure = storage::find_measure(*db_, id);
  EXPECT_EQ(measure->status, MeasureStatus::in_progress);
  EXPECT_EQ(measure->due_on, date("2025-10-31"));
  EXPECT_EQ(measure->assignee, "Team Arbeitgeberservice Nord");
  EXPECT_EQ(measure->updated_at, at("2025-07-08T09:00:00Z"));
  auto log = storage::load_measure_follow_ups(*db_, id);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].review_id, kJune);
  EXPECT_EQ(log[0].actor, "gf-jobcenter");
  EXPECT_EQ(log[0].status, MeasureStatus::in_progress);
  EXPECT_EQ(log[0].note, "zwei Arbeitgeber gewonnen");
  EXPECT_EQ(nlohmann::json::parse(log[0].changes_json),
            nlohmann::json::parse(R"({"status": ["agreed", "in_progress"],
                                      "due": ["2025-09-30", "2025-10-31"],
                                      "assignee": ["Team Arbeitgeberservice",
                                                   "Team Arbeitgeberservice Nord"]})"));
  const auto records = storage::read_audit_records(*db_);
  EXPECT_EQ(records.back().seq, log[0].audit_seq);
  EXPECT_EQ(records.back().operation, "measure.update");
  const auto payload = last_audit_payload();
  EXPECT_EQ(last_audit_objects(),
            (std::vector<std::string>{"goal:iq-frauen", "measure:1#",
                                      "measure_followup:" + std::to_string(log[0].id) + "#",
                                      "review:ba-zielnachhaltedialog/2025-06#"}));
  EXPECT_EQ(payload["details"]["changes"]["status"][1], "in_progress");

  // A note with a new follow-up date, outside a review.
  MeasureChange note = change_of(id);
  note.note = "Stand unverändert";
  note.follow_up = date("2025-08-12");
  update_ok(note);
  log = storage::load_measure_follow_ups(*db_, id);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].review_id, "");
  EXPECT_EQ(nlohmann::json::parse(log[1].changes_json),
            nlohmann::json::parse(R"({"follow_up": ["2025-07-08", "2025-08-12"]})"));

  MeasureChange drop = change_of(id);
  drop.status = MeasureStatus::dropped;
  drop.reason = "Programm eingestellt";
  update_ok(drop);
  measure = storage::find_measure(*db_, id);
  EXPECT_EQ(measure->status, MeasureStatus::dropped);
  EXPECT_EQ(measure->reason, "Programm eingestellt");
  log = storage::load_measure_follow_ups(*db_, id);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(log[2].changes_json),
            nlohmann::json::parse(R"({"status": ["in_progress", "dropped"],
                                      "reason": [null, "Programm eingestellt"]})"));
}

TEST_F(ReviewsMeasuresTest, RefusedUpdatesStoreNothing) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review(kJune, kBa, YearMonth(2025, 6), "2025-07-08");
  add_review("ba-zielnachhaltedialog/2025-04", kBa, YearMonth(2025, 4), "2025-05-13",
             ReviewState::missed);
  add_review("kommunal-zielnachhaltedialog/2025-03", kKommunal, YearMonth(2025, 3), "2025-04-17");
  const auto id = add_ok(measure_in(kJune, "iq-frauen"));
  MeasureChange start = change_of(id);
  start.status = MeasureStatus::in_progress;
  update_ok(start);
  const auto done_id = add_ok(measure_in(kJune, "iq-maenner"));
  MeasureChange finish = change_of(done_id);
  finish.status = MeasureStatus::done;
  update_ok(finish);

  const std::string before = state_of_database();
  auto refused = [&](const MeasureChange& change, const std::vector<std::string>& parts) {
    expect_refused(update_measure(example(), *db_, change), before, parts);
  };

  MeasureChange back = change_of(id);
  back.status = MeasureStatus::agreed;
  refused(back, {"measure 1 is in_progress and cannot go back to agreed"});
  MeasureChange drop = change_of(id);
  drop.status = MeasureStatus::dropped;
  refused(drop, {"dropping measure 1 needs a reason"});
  MeasureChange reason_only = change_of(id);
  reason_only.reason = "kein Grund";
  reason_only.note = "x";
  refused(reason_only, {"a reason is recorded when a measure is dropped"});
  refused(change_of(id), {"nothing to change for measure 1"});
  MeasureChange same = change_of(id);
  same.status = MeasureStatus::in_progress;
  refused(same, {"nothing to change for measure 1"});
  for (const auto status : {MeasureStatus::in_progress, MeasureStatus::dropped}) {
    MeasureChange after_done = change_of(done_id);
    after_done.status = status;
    after_done.reason = status == MeasureStatus::dropped ? "doch nicht" : "";
    refused(after_done, {"measure 2 is done", "which is final"});
  }
  MeasureChange note_on_done = change_of(done_id);
  note_on_done.note = "noch ein Hinweis";
  refused(note_on_done, {"measure 2 is done", "which is final"});
  MeasureChange unknown = change_of(99);
  unknown.note = "x";
  refused(unknown, {"unknown measure 99"});
  MeasureChange other_workflow = change_of(id);
  other_workflow.note = "x";
  other_workflow.review_id = "kommunal-zielnachhaltedialog/2025-03";
  refused(other_workflow, {"measure 1 belongs to the workflow 'ba-zielnachhaltedialog'"});
  MeasureChange missed = change_of(id);
  missed.note = "x";
  missed.review_id = "ba-zielnachhaltedialog/2025-04";
  refused(missed, {"was missed", "no follow-up can be recorded in it"});
  MeasureChange earlier_review = change_of(id);
  earlier_review.note = "x";
  earlier_review.review_id = kMay;
  refused(earlier_review, {"measure 1 was agreed in the later review"});
  MeasureChange empty_assignee = change_of(id);
  empty_assignee.assignee = " ";
  refused(empty_assignee, {"the assignee must not be empty"});
  MeasureChange due_before_follow_up = change_of(id);
  due_before_follow_up.due = date("2025-07-20");
  due_before_follow_up.follow_up = date("2025-08-01");
  refused(due_before_follow_up, {"the follow-up date 2025-08-01 is after the due date 2025-07-20"});
  MeasureChange due_before_meeting = change_of(id);
  due_before_meeting.due = date("2025-07-01");
  refused(due_before_meeting, {"the due date 2025-07-01 is before the meeting of review "
                               "'ba-zielnachhaltedialog/2025-06' on 2025-07-08"});
}

TEST_F(ReviewsMeasuresTest, ListsMeasuresWithFiltersAndOverdue) {
  add_review(kMay, kBa, YearMonth(2025, 5), "2025-06-10");
  add_review(kJune, kBa, YearMonth(2025, 6), "2025-07-08");
  add_review("kommunal-zielnachhaltedialog/2025-03", kKommunal, YearMonth(2025, 3), "2025-04-17");
  NewMeasure first = measure_in(kMay, "iq-frauen");
  first.due = date("2025-07-31");
  const auto agreed = add_ok(first);  // open, due 2025-07-31
  const auto in_progress = add_ok(measure_in(kJune, "iq-frauen"));
  MeasureChange start = change_of(in_progress);
  start.status = MeasureStatus::in_progress;
  update_ok(start);  // open, due 2025-09-30
  NewMeasure done_measure = measure_in(kMay, "lzb-frauen");
  done_measure.due = date("2025-07-01");
  done_measure.follow_up = date("2025-06-20");
  const auto done = add_ok(done_measure);
  MeasureChange finish = change_of(done);
  finish.status = MeasureStatus::done;
  update_ok(finish);  // done, due date passed: never overdue
  NewMeasure kommunal = measure_in("kommunal-zielnachhaltedialog/2025-03", "kdu-kostensenkung");
  kommunal.owner_party = "kreis";
  kommunal.due = date("2025-05-31");
  kommunal.follow_up.reset();
  const auto municipal = add_ok(kommunal);  // open, due 2025-05-31

  auto ids = [&](const MeasureFilter& filter, const char* today) {
    std::vector<std::int64_t> result;
    const auto views = list_measures(*db_, filter, date(today));
    EXPECT_TRUE(views.ok()) << views.error().message;
    for (const auto& view : views.value())
      result.push_back(view.measure.id);
    return result;
  };
  using Ids = std::vector<std::int64_t>;
  MeasureFilter goal;
  goal.goal = "iq-frauen";
  MeasureFilter review;
  review.review_id = kMay;
  MeasureFilter status;
  status.status = MeasureStatus::in_progress;
  MeasureFilter open;
  open.open_only = true;
  MeasureFilter overdue;
  overdue.overdue_only = true;
  MeasureFilter goal_overdue = goal;
  goal_overdue.overdue_only = true;
  MeasureFilter other_goal;
  other_goal.goal = "iq-gesamt";
  EXPECT_EQ(ids({}, "2025-07-31"), (Ids{agreed, in_progress, done, municipal}));
  EXPECT_EQ(ids(goal, "2025-07-31"), (Ids{agreed, in_progress}));
  EXPECT_EQ(ids(review, "2025-07-31"), (Ids{agreed, done}));
  EXPECT_EQ(ids(status, "2025-07-31"), (Ids{in_progress}));
  EXPECT_EQ(ids(open, "2025-07-31"), (Ids{agreed, in_progress, municipal}));
  // Overdue: open and due before today; the due day itself is not overdue.
  EXPECT_EQ(ids(overdue, "2025-07-31"), (Ids{municipal}));
  EXPECT_EQ(ids(overdue, "2025-08-01"), (Ids{agreed, municipal}));
  EXPECT_EQ(ids(overdue, "2025-10-01"), (Ids{agreed, in_progress, municipal}));
  EXPECT_EQ(ids(goal_overdue, "2025-08-01"), (Ids{agreed}));
  EXPECT_TRUE(ids(other_goal, "2025-08-01").empty());

  const auto listed = list_measures(*db_, {}, date("2025-08-01"));
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  const auto& all = listed.value();
  EXPECT_EQ(all[0].workflow, kBa);
  EXPECT_TRUE(all[0].overdue);
  EXPECT_TRUE(all[0].follow_ups.empty());
  EXPECT_EQ(all[1].follow_ups.size(), 1u);
  EXPECT_FALSE(all[2].overdue);
  EXPECT_EQ(all[3].workflow, kKommunal);
}

// --- with `run` --------------------------------------------------------------

// The agenda `run` builds: its open measures must be followed up and its
// demanded measures decided before the review closes.
TEST_F(ReviewsMeasuresTest, ClosesAReviewRunPreparedFromTheExample) {
  ImportRequest import;
  for (const char* file : {"2023.csv", "2024.csv", "2025.csv"})
    import.files.push_back((kExample / "data" / file).string());
  import.actor = "controlling-jc";
  import.now = tick("2025-06-01T08:00:00Z");
  Diagnostics diagnostics;
  const auto imported = import_observations(example(), *db_, import, diagnostics);
  ASSERT_TRUE(imported.ok()) << ::testing::PrintToString(lines(diagnostics));

  RunRequest run;
  run.actor = "zielwerk-dienst";
  run.now = tick("2025-06-05T10:00:00Z");
  ASSERT_TRUE(run_due_steps(example(), *db_, run).ok());
  ASSERT_EQ(storage::find_review(*db_, kMay)->state, ReviewState::prepared);
  NewMeasure measure = measure_in(kMay, "iq-maenner");
  const auto open_measure = add_ok(measure);
  ReviewMinutes minutes = minutes_for(kMay);
  minutes.attendance = {"vg-agentur", "gf-jobcenter"};
  record_ok(minutes);
  ASSERT_TRUE(close_review(example(), *db_, kMay, "gf-jobcenter", tick("2025-06-10T10:00:00Z")).ok());

  run.now = tick("2025-07-05T10:00:00Z");
  ASSERT_TRUE(run_due_steps(example(), *db_, run).ok());
  auto shown = details(kJune);
  ASSERT_EQ(shown.review.state, ReviewState::prepared);
  std::vector<std::string> demanded;
  for (const auto& escalation : shown.escalations) {
    if (escalation.kind == domain::EscalationKind::measure_demanded)
      demanded.push_back(escalation.goal);
  }
  ASSERT_FALSE(demanded.empty());
  const std::string message =
      close_review(example(), *db_, kJune, "gf-jobcenter", tick("2025-07-08T10:00:00Z"))
          .error()
          .message;
  EXPECT_TRUE(contains(message, "attendance is not recorded")) << message;
  EXPECT_TRUE(contains(message, "measure " + std::to_string(open_measure) + " ")) << message;
  for (const auto& goal : demanded)
    EXPECT_TRUE(contains(message, "a measure is demanded for " + goal)) << message;
  EXPECT_EQ(shown.open_items.size(), demanded.size() + 2);

  minutes = minutes_for(kJune);
  minutes.attendance = {"vg-agentur"};
  for (const auto& goal : demanded)
    minutes.no_measure.emplace_back(goal, "Maßnahme des Vormonats wirkt noch");
  record_ok(minutes);
  MeasureChange follow_up = change_of(open_measure);
  follow_up.review_id = kJune;
  follow_up.note = "erste Stellen besetzt";
  update_ok(follow_up);
  const Status closed =
      close_review(example(), *db_, kJune, "gf-jobcenter", tick("2025-07-08T10:00:00Z"));
  EXPECT_TRUE(closed.ok()) << closed.error().message;
}

}  // namespace
}  // namespace zielwerk::engine
