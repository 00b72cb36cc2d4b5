#include "zielwerk/locale/catalogue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

namespace zielwerk::locale {
namespace {

using namespace std::chrono;

using enum Language;  // de, en

TEST(Phrases, EmptySectionsSaySo) {
  EXPECT_EQ(phrase(Phrase::no_open_measures, de), "Keine offenen Maßnahmen.");
  EXPECT_EQ(phrase(Phrase::no_open_measures, en), "No open measures.");
  EXPECT_EQ(phrase(Phrase::no_escalations, de), "Keine Eskalationen.");
  EXPECT_EQ(phrase(Phrase::agenda, de), "Tagesordnung");
  EXPECT_EQ(phrase(Phrase::minutes, de), "Protokoll");
  EXPECT_EQ(phrase(Phrase::year_overview, de), "Jahresübersicht");
}

TEST(Phrases, TheDashboardSpeaksThroughTheSameCatalogue) {
  EXPECT_EQ(phrase(Phrase::dashboard_audit, de), "Prüfpfad");
  EXPECT_EQ(phrase(Phrase::dashboard_audit, en), "Audit trail");
  EXPECT_EQ(phrase(Phrase::review_agenda_ready, de), "Tagesordnung liegt vor");
  EXPECT_EQ(phrase(Phrase::read_only, en),
            "Read only: zielwerk takes changes on the command line.");
}

TEST(Phrases, EveryPhraseHasWordsInBothLanguages) {
  for (int i = 0; i <= static_cast<int>(Phrase::mail_why_sent); ++i) {
    const auto p = static_cast<Phrase>(i);
    EXPECT_FALSE(phrase(p, de).empty()) << i;
    EXPECT_FALSE(phrase(p, en).empty()) << i;
  }
}

domain::AgendaEscalation overdue_measure() {
  domain::AgendaEscalation escalation;
  escalation.kind = domain::EscalationKind::measure_overdue;
  escalation.goal = "iq-frauen";
  escalation.measure = 2;
  escalation.party = "agentur";
  escalation.facts.due = 2025y / April / 30;
  escalation.facts.status = domain::MeasureStatus::agreed;
  escalation.facts.owner = "agentur";
  escalation.facts.title = "Intensivberatung";
  return escalation;
}

TEST(EscalationReason, EnglishIsTheSentenceTheCommandLineAlwaysPrinted) {
  EXPECT_EQ(escalation_reason(overdue_measure(), en),
            "measure 2 \"Intensivberatung\" for iq-frauen (owner agentur) was due on 2025-04-30 "
            "and is agreed");
  domain::AgendaEscalation milestone;
  milestone.kind = domain::EscalationKind::milestone_overdue;
  milestone.goal = "but-lernfoerderung";
  milestone.milestone = "richtlinie-versandt";
  milestone.facts.due = 2025y / June / 30;
  milestone.facts.title = "Richtlinie versandt";
  EXPECT_EQ(escalation_reason(milestone, en),
            "milestone richtlinie-versandt \"Richtlinie versandt\" of but-lernfoerderung was due "
            "on 2025-06-30 and is not done");
  domain::AgendaEscalation demand;
  demand.kind = domain::EscalationKind::measure_demanded;
  demand.goal = "iq-frauen";
  demand.facts.history = {{YearMonth(2025, 6), rules::GoalStatus::missed},
                          {YearMonth(2025, 5), rules::GoalStatus::at_risk}};
  EXPECT_EQ(escalation_reason(demand, en),
            "iq-frauen is behind in 2 consecutive reviews (2025-06 missed, 2025-05 at_risk) "
            "without an open measure: the review must agree a measure or decide against one");
}

TEST(EscalationReason, GermanDocumentsReadGerman) {
  EXPECT_EQ(escalation_reason(overdue_measure(), de),
            "Maßnahme 2 „Intensivberatung“ zu iq-frauen (verantwortlich: agentur) war am "
            "30. April 2025 fällig und ist vereinbart");
  domain::AgendaEscalation demand;
  demand.kind = domain::EscalationKind::measure_demanded;
  demand.goal = "iq-frauen";
  demand.facts.history = {{YearMonth(2025, 6), rules::GoalStatus::missed},
                          {YearMonth(2025, 5), rules::GoalStatus::at_risk}};
  const std::string text = escalation_reason(demand, de);
  EXPECT_NE(text.find("2 aufeinanderfolgenden Terminen"), std::string::npos) << text;
  EXPECT_NE(text.find("Juni 2025: verfehlt, Mai 2025: gefährdet"), std::string::npos) << text;
  EXPECT_EQ(text.find("behind"), std::string::npos) << text;
}

TEST(EscalationReason, AnEscalationStoredAsASentenceKeepsIt) {
  domain::AgendaEscalation legacy = overdue_measure();
  legacy.facts = {};
  legacy.facts.legacy_reason = "measure 1 \"x\" for iq-frauen was due on 2025-04-30";
  EXPECT_EQ(escalation_reason(legacy, de), legacy.facts.legacy_reason);
  EXPECT_EQ(escalation_reason(legacy, en), legacy.facts.legacy_reason);
}

TEST(StepSummary, NamesIdsDatesAndPartiesInTheOldEnglishWords) {
  domain::CompletedStep prepared;
  prepared.kind = domain::StepKind::review_prepared;
  prepared.meeting_date = 2025y / July / 8;
  prepared.period = YearMonth(2025, 6);
  prepared.escalations = 1;
  EXPECT_EQ(step_summary(prepared, en),
            "prepared for the meeting on 2025-07-08 (reviews 2025-06, 1 escalation)");
  prepared.late = true;
  prepared.escalations = 3;
  EXPECT_EQ(step_summary(prepared, en),
            "prepared late for the meeting on 2025-07-08 (reviews 2025-06, 3 escalations)");
  EXPECT_EQ(step_summary(prepared, de),
            "verspätet vorbereitet für den Termin am 8. Juli 2025 (Berichtsmonat Juni 2025, 3 "
            "Eskalationen)");

  domain::CompletedStep missed;
  missed.kind = domain::StepKind::review_missed;
  missed.meeting_date = 2025y / February / 11;
  EXPECT_EQ(step_summary(missed, en),
            "the meeting on 2025-02-11 passed while zielwerk did not run; recorded as missed");

  domain::CompletedStep overdue;
  overdue.kind = domain::StepKind::measure_overdue;
  overdue.goal = "iq-frauen";
  overdue.owner = "agentur";
  overdue.party = "jobcenter";
  overdue.workflow = "ba-zielnachhaltedialog";
  overdue.due = 2025y / April / 30;
  overdue.measure_status = domain::MeasureStatus::in_progress;
  EXPECT_EQ(step_summary(overdue, en),
            "iq-frauen (owner agentur) was due on 2025-04-30 and is in_progress; escalated to "
            "jobcenter and the next ba-zielnachhaltedialog review");
}

TEST(OpenItems, EachKindInWords) {
  domain::OpenItem attendance;
  attendance.kind = domain::OpenItemKind::attendance_missing;
  EXPECT_EQ(open_item_text(attendance, en), "attendance is not recorded");
  EXPECT_EQ(open_item_text(attendance, de), "die Anwesenheit ist nicht festgehalten");

  domain::OpenItem demanded;
  demanded.kind = domain::OpenItemKind::measure_demanded;
  demanded.goal = "iq-frauen";
  EXPECT_EQ(open_item_text(demanded, en),
            "a measure is demanded for iq-frauen: agree one in this review or record a decision "
            "against it with a reason");

  domain::OpenItem follow_up;
  follow_up.kind = domain::OpenItemKind::follow_up_missing;
  follow_up.goal = "iq-frauen";
  follow_up.measure_id = 3;
  follow_up.measure_title = "Mentoring";
  follow_up.measure_status = domain::MeasureStatus::agreed;
  follow_up.measure_due = 2025y / September / 30;
  EXPECT_EQ(open_item_text(follow_up, en),
            "measure 3 \"Mentoring\" (iq-frauen, agreed, due 2025-09-30) has no follow-up "
            "recorded in this review");
  EXPECT_EQ(
      open_item_text(follow_up, de),
      "Maßnahme 3 „Mentoring“ (iq-frauen, vereinbart, fällig am 30. September 2025): in diesem "
      "Termin ist keine Nachverfolgung festgehalten");
}

}  // namespace
}  // namespace zielwerk::locale
