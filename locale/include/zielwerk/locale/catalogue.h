// The words zielwerk shows people, in German (the default) and English: one
// catalogue for the meeting documents, the dashboard, the command line and
// e-mail, so that they say the same thing the same way. Stored records hold
// facts (ids, dates, statuses); the sentences about them are made here, in the
// reader's language.
//
// The English wording of facts is exactly what the command line has always
// printed (ISO dates, status ids), so scripts reading it are not broken; the
// German wording uses German dates and status words.
#pragma once

#include <string>
#include <string_view>

#include "zielwerk/domain/agenda.h"
#include "zielwerk/domain/follow_up.h"
#include "zielwerk/domain/review_close.h"
#include "zielwerk/locale/format.h"

namespace zielwerk::locale {

// Headings, labels and the sentences of empty sections.
enum class Phrase {
  // titles
  agenda,           // Tagesordnung / Agenda
  minutes,          // Protokoll / Minutes
  year_overview,    // Jahresübersicht / Year overview
  reporting_month,  // Berichtsmonat / Reporting month
  // the header
  agreement,         // Zielvereinbarung / Agreement
  parties,           // Partner / Parties
  meeting,           // Sitzung / Meeting
  review,            // Termin / Review
  participants,      // Beteiligte / Participants
  figures_known_at,  // Datenstand / Figures known at
  judged_on,         // Stichtag für Fristen / Deadlines judged on
  rule_set,          // Regelwerk / Rule set
  late_note,         // the review was prepared after its meeting had started
  not_recorded,      // nicht festgehalten / not recorded
  // sections
  section_status,
  section_course,
  section_monitoring,
  section_milestones,
  section_measures,
  section_escalations,
  section_missed,
  section_attendance,
  section_assessment,
  section_external,
  section_decisions,
  section_no_measure,
  section_new_measures,
  section_follow_ups,
  section_closure,
  // empty sections
  no_goals,
  no_target_charts,
  charts_withheld,  // the rules changed since the review was prepared
  no_monitoring,
  no_milestones,
  no_open_measures,
  no_escalations,
  no_missed,
  nothing_recorded,
  no_new_measures,
  no_follow_ups,
  not_closed,
  // table headers and captions
  col_section,
  col_goal,
  col_responsibility,
  col_status,
  col_actual,
  col_target,    // Zielwert (Jahr) / Target (year): the agreement's yearly target
  col_soll,      // Soll (Monat) / Soll (month): the path's value for the month
  col_soll_gap,  // Abstand zum Soll / Gap to Soll
  col_gap,
  col_forecast,
  col_reachable,
  col_value,
  col_previous_year,
  col_change,
  col_number,
  col_measure,
  col_owner,
  col_agreed_in,
  col_due,
  col_follow_up,
  col_last_note,
  col_milestone,
  col_done_on,
  col_note,
  col_actor,
  col_reason,
  col_kind,
  col_month,
  target_goals,      // Zielwerte / Target goals
  monitoring_goals,  // Monitoring / Monitoring goals
  milestone_goals,   // Meilensteinziele / Milestone goals
  informational,     // nachrichtlich / for information
  // escalations and closure
  escalated_to,  // an / to
  raised_on,     // erhoben am / raised on
  measure,       // Maßnahme / measure
  closed_by,     // Abgeschlossen von / Closed by
  closed_at,     // Abgeschlossen am / Closed at
  // the Soll path, relative targets, provisional figures
  soll_path,                // Soll-Pfad / Soll path
  soll_from_previous_year,  // nach Vorjahresverlauf / from the previous year's course
  soll_flat,                // gleichbleibend / flat
  soll_declared,            // festgelegt / declared
  soll_plan,                // Planwerte / plan values
  judged_against_target,    // gemessen am Zielwert / judged against the target
  on_soll,                  // auf Soll / on the Soll path
  off_soll,                 // nicht auf Soll / off the Soll path
  previous_year_value,      // Vorjahr / previous year
  planned_change,           // geplante Veränderung / planned change
  change_against_previous,  // Veränderung ggü. Vorjahr / change against the previous year
  provisional,              // vorläufig / provisional
  provisional_note,         // what "vorläufig" means
  // course tables (Markdown) and footer
  forecast,      // Prognose / Forecast
  target,        // Ziel / Target
  year_earlier,  // ein Jahr zuvor / a year earlier
  created_with,  // Erstellt mit zielwerk / Made with zielwerk
  // the dashboard
  dashboard_overview,
  dashboard_audit,
  dashboard_region,  // Region / Region: every agreement side by side
  region_no_review,  // no review of the month prepared yet
  col_agreement,     // Vereinbarung / Agreement
  region_sorted_by,  // sortiert nach / sorted by
  no_figures,
  dashboard_goals,
  dashboard_charts,
  dashboard_meetings,
  dashboard_no_meetings,
  col_date,
  col_time,
  col_meeting,
  col_state,
  meeting_planned,
  review_agenda_ready,
  review_minutes,
  review_missed,
  filter,
  records,
  no_records,
  col_recorded_at,
  col_who,
  col_operation,
  col_objects,
  col_hash,
  show,
  read_only,
  // e-mail (notify/)
  mail_greeting,         // Guten Tag / Hello
  mail_digest_subject,   // Ihre Maßnahmen / Your measures
  mail_digest_intro,     // the digest's first sentence
  mail_overdue,          // Überfällig / Overdue
  mail_due_until,        // Fällig bis einschließlich / Due up to and including
  mail_alert_subject,    // Ziel ohne offene Maßnahme / Goal without an open measure
  mail_alert_text,       // what the owner is asked to do
  mail_invitation,       // Einladung / Invitation
  mail_moved,            // Termin verschoben / Meeting moved
  mail_cancelled,        // Termin abgesagt / Meeting cancelled
  mail_invitation_text,  // what the invitation holds
  mail_cancelled_text,   // the cancellation's sentence
  mail_minutes_text,     // the minutes' first sentence
  mail_why_sent,         // why the reader gets the mail and how to stop it
};

std::string_view phrase(Phrase phrase, Language language);

// Where a Soll path comes from, in words: "nach Vorjahresverlauf", "Planwerte" ...
std::string_view soll_source_name(rules::SollPathSpec::Source source, Language language);

// --- facts in words --------------------------------------------------------

// Why an escalation was raised, one sentence without a full stop, e.g.
// "measure 2 \"Intensivberatung\" for iq-frauen (owner agentur) was due on
// 2025-04-30 and is agreed" / "Maßnahme 2 „Intensivberatung“ zu iq-frauen
// (verantwortlich: agentur) war am 30.04.2025 fällig und ist vereinbart". An
// escalation stored before zielwerk kept facts gives its stored sentence.
std::string escalation_reason(const domain::AgendaEscalation& escalation, Language language);

// What a workflow step did, one line for people and logs: ids, dates,
// statuses and parties only, e.g. "prepared for the meeting on 2025-07-08
// (reviews 2025-06, 2 escalations)".
std::string step_summary(const domain::CompletedStep& step, Language language);

// Why a review cannot be closed yet, one line: "attendance is not recorded".
std::string open_item_text(const domain::OpenItem& item, Language language);

}  // namespace zielwerk::locale
