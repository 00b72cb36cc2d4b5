// The one codec of the stored documents (engine/documents.h): what it writes
// reads back the same, documents zielwerk wrote before the version key read
// as well, and anything else is one clear error naming where it fails.
#include "zielwerk/engine/documents.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace zielwerk::engine {
namespace {

using namespace std::chrono;
using nlohmann::json;

using zielwerk::testing::at;

domain::AgendaGoal target_goal() {
  domain::AgendaGoal goal;
  goal.id = "iq-frauen";
  goal.title = "Integrationsquote der Frauen";
  goal.section = "I";
  goal.kind = rules::GoalKind::target;
  goal.status = rules::GoalStatus::at_risk;
  goal.metric = "iq_frauen_jfw";
  goal.actual = 15.2345;
  goal.unit = rules::Unit::percent;
  goal.target = 15.5;
  goal.op = rules::Comparison::at_least;
  goal.tolerance = 0.5;
  goal.forecast =
      domain::ForecastFacts{YearMonth(2025, 12), 14.8, rules::GoalStatus::missed, 15.9, true};
  return goal;
}

domain::Agenda agenda() {
  domain::Agenda agenda;
  agenda.review = "ba/2025-06";
  agenda.workflow = "ba";
  agenda.title = "Zielnachhaltedialog";
  agenda.participants = {"agentur", "jobcenter"};
  agenda.period = YearMonth(2025, 6);
  agenda.meeting_date = 2025y / July / 8;
  agenda.starts_at = at("2025-07-08T08:00:00.000Z");
  agenda.late = true;
  agenda.goals.push_back(target_goal());
  domain::AgendaGoal monitoring;
  monitoring.id = "llu";
  monitoring.kind = rules::GoalKind::monitoring;
  monitoring.status = rules::GoalStatus::observed;
  monitoring.metric = "llu_summe";
  monitoring.actual = 14676528;
  monitoring.unit = rules::Unit::eur;
  monitoring.previous = 14247777;
  monitoring.change_pct = 3.009;
  agenda.goals.push_back(monitoring);
  domain::AgendaGoal milestones;
  milestones.id = "but";
  milestones.kind = rules::GoalKind::milestone;
  milestones.responsibility = std::string("kommunal");
  milestones.status = rules::GoalStatus::overdue;
  milestones.milestones = {
      {"richtlinie", "Richtlinie", 2025y / June / 30, std::nullopt, rules::GoalStatus::overdue},
      {"info", "Info", 2025y / September / 30, 2025y / June / 2, rules::GoalStatus::done}};
  agenda.goals.push_back(milestones);
  domain::AgendaMeasure measure;
  measure.id = 3;
  measure.goal = "iq-frauen";
  measure.title = "Mentoring „Frauen in Arbeit“";
  measure.agreed_in = "ba/2025-05";
  measure.owner = "agentur";
  measure.assignee = "Team 1";
  measure.due = 2025y / September / 30;
  measure.follow_up = 2025y / August / 31;
  measure.status = domain::MeasureStatus::in_progress;
  measure.overdue = false;
  agenda.measures.push_back(measure);
  domain::AgendaEscalation demand;
  demand.kind = domain::EscalationKind::measure_demanded;
  demand.goal = "iq-frauen";
  demand.party = "agentur";
  demand.raised_at = at("2025-07-03T08:00:00.000Z");
  demand.facts.history = {{YearMonth(2025, 6), rules::GoalStatus::at_risk},
                          {YearMonth(2025, 5), rules::GoalStatus::missed}};
  agenda.escalations.push_back(demand);
  domain::AgendaEscalation overdue;
  overdue.kind = domain::EscalationKind::measure_overdue;
  overdue.goal = "iq-frauen";
  overdue.measure = 3;
  overdue.party = "jobcenter";
  overdue.facts.due = 2025y / June / 30;
  overdue.facts.status = domain::MeasureStatus::agreed;
  overdue.facts.owner = "agentur";
  overdue.facts.title = "Mentoring";
  agenda.escalations.push_back(overdue);
  agenda.missed_reviews = {"ba/2025-04"};
  return agenda;
}

TEST(Documents, AnAgendaReadsBackAsItWasAndEncodesToTheSameBytes) {
  const std::string text = encode_agenda(agenda());
  EXPECT_EQ(json::parse(text)["agenda_version"], kAgendaVersion);
  const auto decoded = decode_agenda(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(encode_agenda(decoded.value()), text);
  const domain::Agenda& read = decoded.value();
  EXPECT_EQ(read.goals[0].actual, 15.2345);
  EXPECT_EQ(read.goals[0].forecast->best_case, 15.9);
  EXPECT_EQ(read.goals[1].change_pct, 3.009);
  EXPECT_EQ(read.goals[2].milestones[1].done_on, 2025y / June / 2);
  EXPECT_EQ(read.measures[0].title, "Mentoring „Frauen in Arbeit“");
  EXPECT_EQ(read.escalations[0].facts.history[1].status, rules::GoalStatus::missed);
  EXPECT_EQ(read.escalations[1].facts.due, 2025y / June / 30);
  EXPECT_EQ(read.escalations[1].facts.status, domain::MeasureStatus::agreed);
  EXPECT_TRUE(read.late);
}

TEST(Documents, ASnapshotHoldsTheEvaluationAsEvaluateWritesIt) {
  domain::Snapshot snapshot;
  snapshot.evaluation.agreement = "me-aktiv-2025";
  snapshot.evaluation.period = YearMonth(2025, 6);
  snapshot.evaluation.rule_set_version = "abc";
  snapshot.evaluation.goals = {target_goal()};
  snapshot.figures_known_at = at("2025-07-01T06:00:00.000Z");
  snapshot.prepared_at = at("2025-07-03T08:00:00.000Z");
  snapshot.data_revisions = {{7, "2025.csv", "ab12", at("2025-07-01T06:00:00.000Z"), 156}};
  const std::string text = encode_snapshot(snapshot);
  const auto decoded = decode_snapshot(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(encode_snapshot(decoded.value()), text);
  EXPECT_EQ(json::parse(text)["evaluation"], json::parse(encode_evaluation(snapshot.evaluation)));
  EXPECT_EQ(decoded.value().data_revisions[0].rows, 156);
}

// An agenda as zielwerk stored it before documents had a version: the
// escalation says why in an English sentence.
constexpr const char* kVersion1Agenda =
    R"json({"escalations":[{"goal":"iq-frauen","kind":"measure_demanded","measure":null,)json"
    R"json("milestone":null,"party":"agentur","raised_at":"2025-07-03T08:00:00.000Z",)json"
    R"json("reason":"iq-frauen is behind in 2 consecutive reviews (2025-06 missed, 2025-05 missed)"}],)json"
    R"json("goals":[{"binding":true,"id":"iq-frauen","kind":"target","metric":"iq_frauen_jfw",)json"
    R"json("op":">=","responsibility":"BA","section":"I","status":"no_data","target":15.5,)json"
    R"json("title":"IQ","tolerance":0.5,"unit":"percent","actual":null,)json"
    R"json("why_missing":"elb_frauen 2025-06 is missing"}],"holiday":null,"late":false,)json"
    R"json("measures":[{"agreed_in":"ba/2025-05","assignee":"Team","due":"2025-09-30",)json"
    R"json("follow_up":null,"follow_up_due":false,"goal":"iq-frauen","id":1,"overdue":false,)json"
    R"json("owner":"agentur","status":"agreed","title":"M"}],"meeting_date":"2025-07-08",)json"
    R"json("missed_reviews":[],"participants":["agentur"],"period":"2025-06",)json"
    R"json("review":"ba/2025-06","starts_at":"2025-07-08T08:00:00.000Z","title":"T",)json"
    R"json("workflow":"ba"})json";

TEST(Documents, AVersion1AgendaReadsWithItsSentences) {
  const auto decoded = decode_agenda(kVersion1Agenda);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded.value().escalations.size(), 1u);
  EXPECT_EQ(decoded.value().escalations[0].facts.legacy_reason,
            "iq-frauen is behind in 2 consecutive reviews (2025-06 missed, 2025-05 missed)");
  EXPECT_EQ(decoded.value().goals[0].why_missing, "elb_frauen 2025-06 is missing");
  EXPECT_EQ(decoded.value().measures[0].id, 1);
  // Written again it is a current document that keeps the sentence.
  const auto again = decode_agenda(encode_agenda(decoded.value()));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value().escalations[0].facts.legacy_reason,
            decoded.value().escalations[0].facts.legacy_reason);
}

TEST(Documents, ADocumentOfANewerZielwerkIsRefused) {
  json newer = json::parse(encode_agenda(agenda()));
  newer["agenda_version"] = kAgendaVersion + 1;
  const auto decoded = decode_agenda(newer.dump());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().kind, ErrorKind::storage);
  EXPECT_NE(decoded.error().message.find("written by a newer zielwerk"), std::string::npos)
      << decoded.error().message;
}

TEST(Documents, ADamagedDocumentIsOneErrorNamingWhere) {
  json damaged = json::parse(encode_agenda(agenda()));
  damaged["goals"][0]["status"] = "superb";
  auto decoded = decode_agenda(damaged.dump());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message,
            "the stored agenda does not read: goals[0].status: expected a goal status, got "
            "'superb'");
  damaged = json::parse(encode_agenda(agenda()));
  damaged["measures"][0].erase("id");
  damaged["measures"][0]["due"] = "2025-02-30";
  decoded = decode_agenda(damaged.dump());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message,
            "the stored agenda does not read: measures[0].due: expected a date YYYY-MM-DD, got "
            "'2025-02-30'");
  EXPECT_FALSE(decode_agenda("[]"));
  EXPECT_FALSE(decode_agenda("{\"review\":"));
  EXPECT_FALSE(decode_snapshot("{}"));
}

TEST(Documents, EscalationFactsAndFollowUpChangesReadBack) {
  domain::EscalationFacts facts;
  facts.due = 2025y / April / 30;
  facts.title = "Schulungsplan";
  EXPECT_EQ(
      encode_escalation_facts(facts),
      R"({"due":"2025-04-30","history":[],"owner":null,"status":null,"title":"Schulungsplan"})");
  const auto read = decode_escalation_facts(encode_escalation_facts(facts));
  EXPECT_EQ(read.due, facts.due);
  EXPECT_EQ(read.title, facts.title);
  EXPECT_TRUE(read.legacy_reason.empty());
  // A row stored before facts: its sentence.
  EXPECT_EQ(decode_escalation_facts("measure 2 was due on 2025-04-30").legacy_reason,
            "measure 2 was due on 2025-04-30");

  const std::vector<domain::FieldChange> changes = {
      {domain::MeasureField::status, "agreed", "dropped"},
      {domain::MeasureField::reason, std::nullopt, "kein Budget"}};
  // The bytes earlier follow-ups were stored with: keys sorted.
  EXPECT_EQ(encode_field_changes(changes),
            R"({"reason":[null,"kein Budget"],"status":["agreed","dropped"]})");
  const auto decoded = decode_field_changes(encode_field_changes(changes));
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded.value().size(), 2u);
  EXPECT_EQ(decoded.value()[0].field, domain::MeasureField::status);  // in field order
  EXPECT_EQ(decoded.value()[1].before, std::nullopt);
  EXPECT_FALSE(decode_field_changes(R"({"colour":["red","green"]})"));
  EXPECT_FALSE(decode_field_changes("not json"));
}

TEST(Documents, TextThatIsNotUtf8NeverStopsTheWriter) {
  domain::Agenda broken = agenda();
  broken.title = "Ma\xdfnahme";
  const std::string text = encode_agenda(broken);
  EXPECT_NE(text.find("Ma\xef\xbf\xbdnahme"), std::string::npos);  // U+FFFD
  EXPECT_TRUE(decode_agenda(text));
}

}  // namespace
}  // namespace zielwerk::engine
