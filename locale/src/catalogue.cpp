#include "zielwerk/locale/catalogue.h"

#include <array>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"

namespace zielwerk::locale {
namespace {

struct Entry {
  Phrase phrase;
  std::string_view de;
  std::string_view en;
};

// The one table of phrases, in the order of Phrase: adding a phrase without
// its words in both languages does not compile.
constexpr std::array<Entry, 138> kPhrases = {{
    {Phrase::agenda, "Tagesordnung", "Agenda"},
    {Phrase::minutes, "Protokoll", "Minutes"},
    {Phrase::year_overview, "Jahresübersicht", "Year overview"},
    {Phrase::reporting_month, "Berichtsmonat", "Reporting month"},
    {Phrase::agreement, "Zielvereinbarung", "Agreement"},
    {Phrase::parties, "Partner", "Parties"},
    {Phrase::meeting, "Sitzung", "Meeting"},
    {Phrase::review, "Termin", "Review"},
    {Phrase::participants, "Beteiligte", "Participants"},
    {Phrase::figures_known_at, "Datenstand", "Figures known at"},
    {Phrase::judged_on, "Stichtag für Fristen", "Deadlines judged on"},
    {Phrase::rule_set, "Regelwerk", "Rule set"},
    {Phrase::late_note, "Diese Tagesordnung wurde erst nach Beginn der Sitzung erstellt.",
     "This agenda was prepared only after the meeting had started."},
    {Phrase::not_recorded, "nicht festgehalten", "not recorded"},
    {Phrase::section_status, "Stand der Ziele", "Status of the goals"},
    {Phrase::section_course, "Verlauf der Zielwerte", "Course of the target goals"},
    {Phrase::section_monitoring, "Monitoring: Vergleich mit dem Vorjahr",
     "Monitoring: comparison with the previous year"},
    {Phrase::section_milestones, "Meilensteine", "Milestones"},
    {Phrase::section_measures, "Offene Maßnahmen", "Open measures"},
    {Phrase::section_escalations, "Eskalationen", "Escalations"},
    {Phrase::section_missed, "Ausgefallene Termine", "Missed reviews"},
    {Phrase::section_attendance, "Anwesenheit", "Attendance"},
    {Phrase::section_assessment, "Bewertung", "Assessment"},
    {Phrase::section_external, "Externe Rahmenbedingungen", "External conditions"},
    {Phrase::section_decisions, "Beschlüsse", "Decisions"},
    {Phrase::section_no_measure, "Beschlüsse ohne Maßnahme", "Decisions without a measure"},
    {Phrase::section_new_measures, "Neu vereinbarte Maßnahmen", "Newly agreed measures"},
    {Phrase::section_follow_ups, "Nachverfolgung von Maßnahmen", "Follow-ups of measures"},
    {Phrase::section_closure, "Abschluss", "Closure"},
    {Phrase::no_goals, "Keine Ziele.", "No goals."},
    {Phrase::no_target_charts, "Keine Zielwerte.", "No target goals."},
    {Phrase::charts_withheld,
     "Keine Verläufe: Das Regelwerk hat sich geändert, seit dieser Termin vorbereitet "
     "wurde; mit den heutigen Regeln berechnete Verläufe passten nicht zur Tabelle.",
     "No courses: the rules changed since this review was prepared; courses "
     "computed with today's rules would not match the table."},
    {Phrase::no_monitoring, "Keine Monitoring-Größen.", "No monitoring goals."},
    {Phrase::no_milestones, "Keine Meilensteine.", "No milestones."},
    {Phrase::no_open_measures, "Keine offenen Maßnahmen.", "No open measures."},
    {Phrase::no_escalations, "Keine Eskalationen.", "No escalations."},
    {Phrase::no_missed, "Keine ausgefallenen Termine.", "No missed reviews."},
    {Phrase::nothing_recorded, "Nichts festgehalten.", "Nothing recorded."},
    {Phrase::no_new_measures, "Keine neuen Maßnahmen vereinbart.", "No new measures agreed."},
    {Phrase::no_follow_ups, "Keine Nachverfolgung festgehalten.", "No follow-ups recorded."},
    {Phrase::not_closed, "Der Termin ist noch nicht abgeschlossen.",
     "The review has not been closed yet."},
    {Phrase::col_section, "Abschnitt", "Section"},
    {Phrase::col_goal, "Ziel", "Goal"},
    {Phrase::col_responsibility, "Verantwortung", "Responsibility"},
    {Phrase::col_status, "Status", "Status"},
    {Phrase::col_actual, "Ist", "Actual"},
    {Phrase::col_target, "Zielwert (Jahr)", "Target (year)"},
    {Phrase::col_soll, "Soll (Monat)", "Soll (month)"},
    {Phrase::col_soll_gap, "Abstand zum Soll", "Gap to Soll"},
    {Phrase::col_gap, "Abstand zum Ziel", "Gap to target"},
    {Phrase::col_forecast, "Prognose Jahresende", "Year-end forecast"},
    {Phrase::col_reachable, "Erreichbar", "Reachable"},
    {Phrase::col_value, "Wert", "Value"},
    {Phrase::col_previous_year, "Vorjahresmonat", "A year earlier"},
    {Phrase::col_change, "Veränderung", "Change"},
    {Phrase::col_number, "Nr.", "No."},
    {Phrase::col_measure, "Maßnahme", "Measure"},
    {Phrase::col_owner, "Verantwortlich", "Owner"},
    {Phrase::col_agreed_in, "Vereinbart in", "Agreed in"},
    {Phrase::col_due, "Fällig am", "Due"},
    {Phrase::col_follow_up, "Wiedervorlage", "Follow-up"},
    {Phrase::col_last_note, "Letzte Notiz", "Latest note"},
    {Phrase::col_milestone, "Meilenstein", "Milestone"},
    {Phrase::col_done_on, "Erledigt am", "Done on"},
    {Phrase::col_note, "Notiz", "Note"},
    {Phrase::col_actor, "Erfasst von", "Recorded by"},
    {Phrase::col_reason, "Begründung", "Reason"},
    {Phrase::col_kind, "Art", "Kind"},
    {Phrase::col_month, "Monat", "Month"},
    {Phrase::target_goals, "Zielwerte", "Target goals"},
    {Phrase::monitoring_goals, "Monitoring", "Monitoring goals"},
    {Phrase::milestone_goals, "Meilensteinziele", "Milestone goals"},
    {Phrase::informational, "nachrichtlich", "for information"},
    {Phrase::escalated_to, "an", "to"},
    {Phrase::raised_on, "erhoben am", "raised on"},
    {Phrase::measure, "Maßnahme", "measure"},
    {Phrase::closed_by, "Abgeschlossen von", "Closed by"},
    {Phrase::closed_at, "Abgeschlossen am", "Closed at"},
    {Phrase::soll_path, "Soll-Pfad", "Soll path"},
    {Phrase::soll_from_previous_year, "nach Vorjahresverlauf", "from the previous year's course"},
    {Phrase::soll_flat, "gleichbleibend", "flat"},
    {Phrase::soll_declared, "festgelegt", "declared"},
    {Phrase::soll_plan, "Planwerte", "plan values"},
    {Phrase::judged_against_target, "gemessen am Zielwert", "judged against the target"},
    {Phrase::on_soll, "auf Soll", "on the Soll path"},
    {Phrase::off_soll, "nicht auf Soll", "off the Soll path"},
    {Phrase::previous_year_value, "Vorjahr", "previous year"},
    {Phrase::planned_change, "geplante Veränderung", "planned change"},
    {Phrase::change_against_previous, "Veränderung ggü. Vorjahr",
     "change against the previous year"},
    {Phrase::provisional, "vorläufig", "provisional"},
    {Phrase::provisional_note,
     "Vorläufig: Der Wert enthält Zahlen, deren Wartezeit noch nicht abgelaufen ist; sie können "
     "sich noch ändern.",
     "Provisional: the value includes figures still within their release lag; they may still "
     "change."},
    {Phrase::forecast, "Prognose", "Forecast"},
    {Phrase::target, "Ziel", "Target"},
    {Phrase::year_earlier, "ein Jahr zuvor", "a year earlier"},
    {Phrase::created_with, "Erstellt mit zielwerk", "Made with zielwerk"},
    {Phrase::dashboard_overview, "Übersicht", "Overview"},
    {Phrase::dashboard_audit, "Prüfpfad", "Audit trail"},
    {Phrase::dashboard_region, "Region", "Region"},
    {Phrase::region_no_review, "keine Vorlage", "no review"},
    {Phrase::col_agreement, "Vereinbarung", "Agreement"},
    {Phrase::region_sorted_by, "sortiert nach", "sorted by"},
    {Phrase::no_figures, "Noch keine Zahlen importiert.", "No figures imported yet."},
    {Phrase::dashboard_goals, "Ziele", "Goals"},
    {Phrase::dashboard_charts, "Verläufe", "Courses"},
    {Phrase::dashboard_meetings, "Termine der nächsten 60 Tage", "Meetings in the next 60 days"},
    {Phrase::dashboard_no_meetings, "Keine Termine in den nächsten 60 Tagen.",
     "No meetings in the next 60 days."},
    {Phrase::col_date, "Datum", "Date"},
    {Phrase::col_time, "Uhrzeit", "Time"},
    {Phrase::col_meeting, "Termin", "Meeting"},
    {Phrase::col_state, "Stand", "State"},
    {Phrase::meeting_planned, "geplant", "planned"},
    {Phrase::review_agenda_ready, "Tagesordnung liegt vor", "agenda ready"},
    {Phrase::review_minutes, "Protokoll", "minutes"},
    {Phrase::review_missed, "ausgefallen", "missed"},
    {Phrase::filter, "Filtern", "Filter"},
    {Phrase::records, "Einträge", "records"},
    {Phrase::no_records, "Kein Eintrag im Prüfpfad passt.", "No audit record matches."},
    {Phrase::col_recorded_at, "Zeit (UTC)", "Time (UTC)"},
    {Phrase::col_who, "Wer", "Who"},
    {Phrase::col_operation, "Vorgang", "Operation"},
    {Phrase::col_objects, "Objekte", "Objects"},
    {Phrase::col_hash, "Hash", "Hash"},
    {Phrase::show, "Anzeigen", "Show"},
    {Phrase::read_only, "Nur lesend: Änderungen nimmt zielwerk auf der Kommandozeile an.",
     "Read only: zielwerk takes changes on the command line."},
    {Phrase::mail_greeting, "Guten Tag", "Hello"},
    {Phrase::mail_digest_subject, "Ihre Maßnahmen", "Your measures"},
    {Phrase::mail_digest_intro, "hier ist der Stand der Maßnahmen, für die Sie zuständig sind.",
     "here is where the measures you are responsible for stand."},
    {Phrase::mail_overdue, "Überfällig", "Overdue"},
    {Phrase::mail_due_until, "Fällig bis einschließlich", "Due up to and including"},
    {Phrase::mail_alert_subject, "Ziel ohne offene Maßnahme", "Goal without an open measure"},
    {Phrase::mail_alert_text,
     "Zu diesem Ziel ist keine Maßnahme offen. Bitte vereinbaren Sie eine Maßnahme oder halten "
     "Sie im nächsten Termin fest, warum keine nötig ist.",
     "No measure is open for this goal. Please agree a measure or record in the next review why "
     "none is needed."},
    {Phrase::mail_invitation, "Einladung", "Invitation"},
    {Phrase::mail_moved, "Termin verschoben", "Meeting moved"},
    {Phrase::mail_cancelled, "Termin abgesagt", "Meeting cancelled"},
    {Phrase::mail_invitation_text,
     "Die Tagesordnung liegt als HTML-Datei bei, der Termin als Kalendereintrag.",
     "The agenda is attached as an HTML file, the meeting as a calendar entry."},
    {Phrase::mail_cancelled_text, "Dieser Termin findet nicht statt.",
     "This meeting does not take place."},
    {Phrase::mail_minutes_text, "der Termin ist abgeschlossen; das Protokoll folgt.",
     "the review is closed; here are its minutes."},
    {Phrase::mail_why_sent,
     "Sie erhalten diese Nachricht von zielwerk als Beteiligte oder Beteiligter der "
     "Zielvereinbarung. Abbestellen lässt sie sich in zielwerk.yaml (opt_out des Akteurs).",
     "You receive this message from zielwerk as a party to the agreement. To stop it: the "
     "actor's opt_out in zielwerk.yaml."},
}};

constexpr bool in_order() {
  for (std::size_t i = 0; i < kPhrases.size(); ++i) {
    if (static_cast<std::size_t>(kPhrases[i].phrase) != i) return false;
  }
  return true;
}
static_assert(in_order(), "kPhrases must list every Phrase once, in declaration order");
static_assert(static_cast<std::size_t>(Phrase::mail_why_sent) + 1 == kPhrases.size(),
              "kPhrases must end with the last Phrase");

// A date as the wording shows it: ISO in English (as the command line always
// printed it), German otherwise.
std::string date_text(std::chrono::year_month_day date, Language language) {
  return language == Language::en ? zielwerk::format_date(date) : format_date(date, language);
}

std::string optional_date_text(const std::optional<std::chrono::year_month_day>& date,
                               Language language) {
  return date ? date_text(*date, language) : std::string("?");
}

std::string measure_status_text(const std::optional<domain::MeasureStatus>& status,
                                Language language) {
  if (!status) return "?";
  return language == Language::en ? domain::to_string(*status) : status_word(*status, language);
}

std::string goal_status_text(rules::GoalStatus status, Language language) {
  return language == Language::en ? rules::to_string(status) : status_word(status, language);
}

std::string period_text(YearMonth period, Language language) {
  return language == Language::en ? period.to_string() : format_month(period, language);
}

std::string quoted(const std::string& text, Language language) {
  return language == Language::en ? "\"" + text + "\"" : "„" + text + "“";
}

// "GOAL (owner PARTY) was due on DATE and is STATUS": the facts of an overdue measure.
std::string overdue_measure_facts(const std::string& goal, const std::string& owner,
                                  const std::optional<std::chrono::year_month_day>& due,
                                  const std::optional<domain::MeasureStatus>& status,
                                  Language language) {
  if (language == Language::en) {
    return goal + " (owner " + owner + ") was due on " + optional_date_text(due, language) +
           " and is " + measure_status_text(status, language);
  }
  return goal + " (verantwortlich: " + owner + ") war am " + optional_date_text(due, language) +
         " fällig und ist " + measure_status_text(status, language);
}

std::string overdue_milestone_facts(const std::string& goal, const std::string& milestone,
                                    const std::string& title,
                                    const std::optional<std::chrono::year_month_day>& due,
                                    Language language) {
  if (language == Language::en) {
    return "milestone " + milestone + " " + quoted(title, language) + " of " + goal +
           " was due on " + optional_date_text(due, language) + " and is not done";
  }
  return "Meilenstein " + milestone + " " + quoted(title, language) + " von " + goal + " war am " +
         optional_date_text(due, language) + " fällig und ist nicht erledigt";
}

}  // namespace

std::string_view phrase(Phrase phrase, Language language) {
  const Entry& entry = kPhrases[static_cast<std::size_t>(phrase)];
  return language == Language::de ? entry.de : entry.en;
}

std::string_view soll_source_name(rules::SollPathSpec::Source source, Language language) {
  switch (source) {
    case rules::SollPathSpec::Source::previous_year:
      return phrase(Phrase::soll_from_previous_year, language);
    case rules::SollPathSpec::Source::flat:
      return phrase(Phrase::soll_flat, language);
    case rules::SollPathSpec::Source::declared:
      return phrase(Phrase::soll_declared, language);
    case rules::SollPathSpec::Source::plan:
      return phrase(Phrase::soll_plan, language);
  }
  return phrase(Phrase::soll_from_previous_year, language);
}

std::string escalation_reason(const domain::AgendaEscalation& escalation, Language language) {
  const domain::EscalationFacts& facts = escalation.facts;
  if (!facts.legacy_reason.empty()) return facts.legacy_reason;
  const bool en = language == Language::en;
  switch (escalation.kind) {
    case domain::EscalationKind::measure_overdue: {
      const std::string measure = escalation.measure ? std::to_string(*escalation.measure) : "?";
      return (en ? "measure " : "Maßnahme ") + measure + " " + quoted(facts.title, language) +
             (en ? " for " : " zu ") +
             overdue_measure_facts(escalation.goal, facts.owner, facts.due, facts.status, language);
    }
    case domain::EscalationKind::milestone_overdue:
      return overdue_milestone_facts(escalation.goal, escalation.milestone, facts.title, facts.due,
                                     language);
    case domain::EscalationKind::measure_demanded: {
      std::vector<std::string> history;
      for (const auto& step : facts.history) {
        history.push_back(period_text(step.period, language) + (en ? " " : ": ") +
                          goal_status_text(step.status, language));
      }
      const std::string count = std::to_string(facts.history.size());
      if (en) {
        return escalation.goal + " is behind in " + count + " consecutive reviews (" +
               join(history, ", ") +
               ") without an open measure: the review must agree a measure or decide against "
               "one";
      }
      return escalation.goal + " liegt in " + count + " aufeinanderfolgenden Terminen zurück (" +
             join(history, ", ") +
             ") und hat keine offene Maßnahme: Der Termin vereinbart eine Maßnahme oder "
             "begründet, warum keine nötig ist";
    }
  }
  return {};
}

std::string step_summary(const domain::CompletedStep& step, Language language) {
  const bool en = language == Language::en;
  const std::string escalated =
      en ? "; escalated to " + step.party + " and the next " + step.workflow + " review"
         : "; eskaliert an " + step.party + " und den nächsten Termin von " + step.workflow;
  switch (step.kind) {
    case domain::StepKind::measure_overdue:
      return overdue_measure_facts(step.goal, step.owner, step.due, step.measure_status, language) +
             escalated;
    case domain::StepKind::milestone_overdue:
      return overdue_milestone_facts(step.goal, step.milestone, step.title, step.due, language) +
             escalated;
    case domain::StepKind::review_missed:
      return en ? "the meeting on " + optional_date_text(step.meeting_date, language) +
                      " passed while zielwerk did not run; recorded as missed"
                : "der Termin am " + optional_date_text(step.meeting_date, language) +
                      " verstrich, während zielwerk nicht lief; als ausgefallen festgehalten";
    case domain::StepKind::review_prepared: {
      const std::string count = std::to_string(step.escalations);
      if (en) {
        return std::string(step.late ? "prepared late" : "prepared") + " for the meeting on " +
               optional_date_text(step.meeting_date, language) + " (reviews " +
               step.period.to_string() + ", " + count + " escalation" +
               (step.escalations == 1 ? "" : "s") + ")";
      }
      return std::string(step.late ? "verspätet vorbereitet" : "vorbereitet") +
             " für den Termin am " + optional_date_text(step.meeting_date, language) +
             " (Berichtsmonat " + format_month(step.period, language) + ", " + count +
             (step.escalations == 1 ? " Eskalation" : " Eskalationen") + ")";
    }
  }
  return {};
}

std::string open_item_text(const domain::OpenItem& item, Language language) {
  const bool en = language == Language::en;
  switch (item.kind) {
    case domain::OpenItemKind::attendance_missing:
      return en ? "attendance is not recorded" : "die Anwesenheit ist nicht festgehalten";
    case domain::OpenItemKind::measure_demanded:
      return en ? "a measure is demanded for " + item.goal +
                      ": agree one in this review or record a decision against it with a reason"
                : "für " + item.goal +
                      " ist eine Maßnahme gefordert: in diesem Termin vereinbaren oder begründet "
                      "darauf verzichten";
    case domain::OpenItemKind::follow_up_missing: {
      const std::string facts =
          item.goal + ", " + measure_status_text(item.measure_status, language) +
          (en ? ", due " : ", fällig am ") + date_text(item.measure_due, language);
      return (en ? "measure " : "Maßnahme ") + std::to_string(item.measure_id) + " " +
             quoted(item.measure_title, language) + " (" + facts + ")" +
             (en ? " has no follow-up recorded in this review"
                 : ": in diesem Termin ist keine Nachverfolgung festgehalten");
    }
  }
  return {};
}

}  // namespace zielwerk::locale
