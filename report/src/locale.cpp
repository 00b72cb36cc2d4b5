#include "zielwerk/report/locale.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::report {
namespace {

using std::chrono::year_month_day;

constexpr int kMaxDecimals = 6;  // the rules compare at 1e-6 (rules::kComparisonPrecision)

constexpr std::string_view kGermanMinus = "−";  // U+2212

// What the rules compare: the value on the 1e-6 grid, so that a difference
// the rules do not see is not shown either.
double judged(double value) {
  return std::round(value / rules::kComparisonPrecision) * rules::kComparisonPrecision;
}

// Fixed notation with '.' as decimal point and no grouping, locale-independent.
// Large enough for any finite double (1e308 has 309 digits before the point).
std::string plain_fixed(double value, int decimals) {
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  if (result.ec != std::errc{}) return "0";
  return std::string(buffer.data(), result.ptr);
}

bool all_zero_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c < '1' || c > '9'; });
}

// The digits of |value| with grouping and decimal separators; `negative` says
// whether the shown number is below zero (a value rounding to zero is not).
std::string unsigned_text(double value, int decimals, Language language, bool& negative) {
  std::string text = plain_fixed(value, std::clamp(decimals, 0, kMaxDecimals));
  std::string_view digits(text);
  negative = false;
  if (!digits.empty() && digits.front() == '-') {
    digits.remove_prefix(1);
    negative = !all_zero_digits(digits);
  }
  const char group = language == Language::de ? '.' : ',';
  const char point = language == Language::de ? ',' : '.';
  const std::size_t dot = std::min(digits.find('.'), digits.size());
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  for (std::size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) out += group;
    out += digits[i];
  }
  if (dot < digits.size()) {
    out += point;
    out.append(digits.substr(dot + 1));
  }
  return out;
}

std::string_view minus(Language language) {
  return language == Language::de ? kGermanMinus : "-";
}

int default_decimals(rules::Unit unit) {
  return unit == rules::Unit::percent ? 1 : 0;
}

std::string with_unit(std::string text, rules::Unit unit, Language language) {
  switch (unit) {
    case rules::Unit::percent:
      return text + " %";
    case rules::Unit::eur:
      return text + (language == Language::de ? " €" : " EUR");
    case rules::Unit::count:
      return text;
  }
  return text;
}

// The decimals at which `value` and `other` print differently, when the
// rules judge them different; the unit's precision otherwise.
int decimals_against(double value, std::optional<double> other, rules::Unit unit) {
  int decimals = default_decimals(unit);
  if (!other || !std::isfinite(*other) || judged(value) == judged(*other)) return decimals;
  while (decimals < kMaxDecimals && plain_fixed(value, decimals) == plain_fixed(*other, decimals)) {
    ++decimals;
  }
  return decimals;
}

// "+1,5" / "−1,5" / "±0": a sign always, the German minus in German.
std::string signed_text(double value, int decimals, Language language) {
  bool negative = false;
  std::string digits = unsigned_text(value, decimals, language, negative);
  if (negative) return std::string(minus(language)) + digits;
  if (all_zero_digits(digits)) return "±" + digits;
  return "+" + digits;
}

constexpr std::array<std::string_view, 12> kMonthsDe = {
    "Januar", "Februar", "März",      "April",   "Mai",      "Juni",
    "Juli",   "August",  "September", "Oktober", "November", "Dezember"};
constexpr std::array<std::string_view, 12> kMonthsEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsShortDe = {
    "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"};
constexpr std::array<std::string_view, 12> kMonthsShortEn = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::size_t month_index(int month) {
  return static_cast<std::size_t>(std::clamp(month, 1, 12) - 1);
}

std::string two_digits(unsigned value) {
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%02u", value % 100U);
  return buffer.data();
}

struct LocalTime {
  year_month_day date;
  int hour = 0;
  int minute = 0;
  bool utc = false;  // the zone was unknown: shown in UTC
};

// The local civil date and time of `time`, through the workflows module's
// time zone functions (date/tz stays there). local_date gives the day; the
// offset is found by converting back, which settles within two rounds even on
// days with a clock change.
LocalTime to_local(Timestamp time, const std::string& zone) {
  using namespace std::chrono;
  LocalTime out;
  if (zone.empty() || !workflows::is_known_time_zone(zone)) {
    const auto day = floor<days>(time);
    out.date = year_month_day{day};
    const auto in_day = duration_cast<minutes>(time - day);
    out.hour = static_cast<int>(in_day.count() / 60);
    out.minute = static_cast<int>(in_day.count() % 60);
    out.utc = true;
    return out;
  }
  const year_month_day date = workflows::local_date(zone, time);
  const local_time<milliseconds> midnight{local_days{date}.time_since_epoch()};
  local_time<milliseconds> local = midnight + (time - workflows::local_to_utc(zone, midnight));
  for (int round = 0; round < 3; ++round) {
    const Timestamp back = workflows::local_to_utc(zone, local);
    if (back == time) break;
    local += time - back;
  }
  const auto day = floor<days>(local);
  out.date = year_month_day{day};
  const auto in_day = duration_cast<minutes>(local - day);
  out.hour = static_cast<int>(in_day.count() / 60);
  out.minute = static_cast<int>(in_day.count() % 60);
  return out;
}

std::string clock_text(const LocalTime& local, Language language) {
  std::string text = two_digits(static_cast<unsigned>(local.hour)) + ":" +
                     two_digits(static_cast<unsigned>(local.minute));
  if (local.utc) return text + " UTC";
  return language == Language::de ? text + " Uhr" : text;
}

}  // namespace

std::optional<Language> parse_language(std::string_view text) {
  if (text == "de") return Language::de;
  if (text == "en") return Language::en;
  return std::nullopt;
}

std::string to_string(Language language) {
  return language == Language::de ? "de" : "en";
}

std::string format_number(double value, int decimals, Language language) {
  if (!std::isfinite(value)) return std::string(kNoValue);
  bool negative = false;
  std::string digits = unsigned_text(value, decimals, language, negative);
  return negative ? std::string(minus(language)) + digits : digits;
}

std::string format_quantity(double value, rules::Unit unit, Language language,
                            std::optional<double> compare_with) {
  if (!std::isfinite(value)) return std::string(kNoValue);
  return with_unit(format_number(value, decimals_against(value, compare_with, unit), language),
                   unit, language);
}

std::string format_target(rules::Comparison op, double target, rules::Unit unit, Language language,
                          std::optional<double> compare_with) {
  return std::string(comparison_symbol(op)) + " " +
         format_quantity(target, unit, language, compare_with);
}

std::string format_gap(double gap, rules::Unit unit, Language language) {
  if (!std::isfinite(gap)) return std::string(kNoValue);
  int decimals = default_decimals(unit);
  if (judged(gap) != 0) {
    while (decimals < kMaxDecimals && all_zero_digits(plain_fixed(gap, decimals)))
      ++decimals;
  }
  std::string text = signed_text(gap, decimals, language);
  switch (unit) {
    case rules::Unit::percent:
      return text + (language == Language::de ? " Pp." : " pp");
    case rules::Unit::eur:
      return text + (language == Language::de ? " €" : " EUR");
    case rules::Unit::count:
      return text;
  }
  return text;
}

std::string format_change_pct(double value, Language language) {
  if (!std::isfinite(value)) return std::string(kNoValue);
  return signed_text(value, 1, language) + " %";
}

std::string format_date(year_month_day date, Language language) {
  const unsigned day = static_cast<unsigned>(date.day());
  const unsigned month = static_cast<unsigned>(date.month());
  const std::string year = std::to_string(static_cast<int>(date.year()));
  if (language == Language::de) {
    return two_digits(day) + "." + two_digits(month) + "." + year;
  }
  return std::to_string(day) + " " + month_abbreviation(static_cast<int>(month), language) + " " +
         year;
}

std::string format_month(YearMonth month, Language language) {
  const auto& names = language == Language::de ? kMonthsDe : kMonthsEn;
  return std::string(names[month_index(month.month())]) + " " + std::to_string(month.year());
}

std::string format_month_short(YearMonth month, Language language) {
  return month_abbreviation(month.month(), language) + " " + std::to_string(month.year());
}

std::string month_abbreviation(int month, Language language) {
  const auto& names = language == Language::de ? kMonthsShortDe : kMonthsShortEn;
  return std::string(names[month_index(month)]);
}

std::string format_date_time(Timestamp time, const std::string& time_zone, Language language) {
  const LocalTime local = to_local(time, time_zone);
  return format_date(local.date, language) + ", " + clock_text(local, language);
}

std::string format_local_date(Timestamp time, const std::string& time_zone, Language language) {
  return format_date(to_local(time, time_zone).date, language);
}

std::string format_time_of_day(Timestamp time, const std::string& time_zone, Language language) {
  return clock_text(to_local(time, time_zone), language);
}

// --- statuses ---------------------------------------------------------------

std::string_view status_symbol(rules::GoalStatus status) {
  switch (status) {
    case rules::GoalStatus::met:
      return "✔";
    case rules::GoalStatus::at_risk:
      return "▲";
    case rules::GoalStatus::missed:
      return "✖";
    case rules::GoalStatus::no_data:
      return "?";
    case rules::GoalStatus::observed:
      return "●";
    case rules::GoalStatus::done:
      return "✔";
    case rules::GoalStatus::open:
      return "○";
    case rules::GoalStatus::overdue:
      return "✖";
  }
  return "?";
}

std::string status_word(rules::GoalStatus status, Language language) {
  const bool de = language == Language::de;
  switch (status) {
    case rules::GoalStatus::met:
      return de ? "erreicht" : "met";
    case rules::GoalStatus::at_risk:
      return de ? "gefährdet" : "at risk";
    case rules::GoalStatus::missed:
      return de ? "verfehlt" : "missed";
    case rules::GoalStatus::no_data:
      return de ? "keine Daten" : "no data";
    case rules::GoalStatus::observed:
      return de ? "beobachtet" : "observed";
    case rules::GoalStatus::done:
      return de ? "erledigt" : "done";
    case rules::GoalStatus::open:
      return de ? "offen" : "open";
    case rules::GoalStatus::overdue:
      return de ? "überfällig" : "overdue";
  }
  return de ? "unbekannt" : "unknown";
}

std::string status_label(rules::GoalStatus status, Language language) {
  return std::string(status_symbol(status)) + " " + status_word(status, language);
}

std::string_view status_symbol(storage::MeasureStatus status) {
  switch (status) {
    case storage::MeasureStatus::agreed:
      return "○";
    case storage::MeasureStatus::in_progress:
      return "◐";
    case storage::MeasureStatus::done:
      return "✔";
    case storage::MeasureStatus::dropped:
      return "✕";
  }
  return "?";
}

std::string status_word(storage::MeasureStatus status, Language language) {
  const bool de = language == Language::de;
  switch (status) {
    case storage::MeasureStatus::agreed:
      return de ? "vereinbart" : "agreed";
    case storage::MeasureStatus::in_progress:
      return de ? "in Arbeit" : "in progress";
    case storage::MeasureStatus::done:
      return de ? "erledigt" : "done";
    case storage::MeasureStatus::dropped:
      return de ? "verworfen" : "dropped";
  }
  return de ? "unbekannt" : "unknown";
}

std::string status_label(storage::MeasureStatus status, Language language) {
  return std::string(status_symbol(status)) + " " + status_word(status, language);
}

std::string_view status_symbol(storage::EscalationKind kind) {
  switch (kind) {
    case storage::EscalationKind::measure_demanded:
      return "▲";
    case storage::EscalationKind::measure_overdue:
      return "✖";
    case storage::EscalationKind::milestone_overdue:
      return "✖";
  }
  return "?";
}

std::string status_word(storage::EscalationKind kind, Language language) {
  const bool de = language == Language::de;
  switch (kind) {
    case storage::EscalationKind::measure_demanded:
      return de ? "Maßnahme gefordert" : "measure demanded";
    case storage::EscalationKind::measure_overdue:
      return de ? "Maßnahme überfällig" : "measure overdue";
    case storage::EscalationKind::milestone_overdue:
      return de ? "Meilenstein überfällig" : "milestone overdue";
  }
  return de ? "unbekannt" : "unknown";
}

std::string status_label(storage::EscalationKind kind, Language language) {
  return std::string(status_symbol(kind)) + " " + status_word(kind, language);
}

std::string overdue_label(Language language) {
  return language == Language::de ? "✖ überfällig" : "✖ overdue";
}

// --- names ------------------------------------------------------------------

std::string carrier_name(rules::Carrier carrier, Language language) {
  switch (carrier) {
    case rules::Carrier::ba:
      return "BA";
    case rules::Carrier::kommunal:
      return language == Language::de ? "kommunal" : "municipal";
    case rules::Carrier::joint_institution:
      return "gE";
  }
  return "";
}

std::string responsibility_name(rules::Responsibility responsibility, Language language) {
  switch (responsibility) {
    case rules::Responsibility::ba:
      return "BA";
    case rules::Responsibility::kommunal:
      return language == Language::de ? "kommunal" : "municipal";
  }
  return "";
}

std::string goal_kind_name(rules::GoalKind kind, Language language) {
  const bool de = language == Language::de;
  switch (kind) {
    case rules::GoalKind::target:
      return de ? "Zielwert" : "target";
    case rules::GoalKind::monitoring:
      return de ? "Monitoring" : "monitoring";
    case rules::GoalKind::milestone:
      return de ? "Meilensteine" : "milestones";
  }
  return "";
}

std::string_view comparison_symbol(rules::Comparison op) {
  switch (op) {
    case rules::Comparison::at_least:
      return "≥";
    case rules::Comparison::more_than:
      return ">";
    case rules::Comparison::at_most:
      return "≤";
    case rules::Comparison::less_than:
      return "<";
  }
  return "";
}

std::string comparison_word(rules::Comparison op, Language language) {
  const bool de = language == Language::de;
  switch (op) {
    case rules::Comparison::at_least:
      return de ? "mindestens" : "at least";
    case rules::Comparison::more_than:
      return de ? "mehr als" : "more than";
    case rules::Comparison::at_most:
      return de ? "höchstens" : "at most";
    case rules::Comparison::less_than:
      return de ? "weniger als" : "less than";
  }
  return "";
}

std::string yes_no(bool value, Language language) {
  if (language == Language::de) return value ? "ja" : "nein";
  return value ? "yes" : "no";
}

std::string_view phrase(Phrase phrase, Language language) {
  const bool de = language == Language::de;
  switch (phrase) {
    case Phrase::agenda:
      return de ? "Tagesordnung" : "Agenda";
    case Phrase::minutes:
      return de ? "Protokoll" : "Minutes";
    case Phrase::year_overview:
      return de ? "Jahresübersicht" : "Year overview";
    case Phrase::reporting_month:
      return de ? "Berichtsmonat" : "Reporting month";
    case Phrase::agreement:
      return de ? "Zielvereinbarung" : "Agreement";
    case Phrase::parties:
      return de ? "Partner" : "Parties";
    case Phrase::meeting:
      return de ? "Sitzung" : "Meeting";
    case Phrase::review:
      return de ? "Termin" : "Review";
    case Phrase::participants:
      return de ? "Beteiligte" : "Participants";
    case Phrase::figures_known_at:
      return de ? "Datenstand" : "Figures known at";
    case Phrase::judged_on:
      return de ? "Stichtag für Fristen" : "Deadlines judged on";
    case Phrase::rule_set:
      return de ? "Regelwerk" : "Rule set";
    case Phrase::late_note:
      return de ? "Diese Tagesordnung wurde erst nach Beginn der Sitzung erstellt."
                : "This agenda was prepared only after the meeting had started.";
    case Phrase::not_recorded:
      return de ? "nicht festgehalten" : "not recorded";
    case Phrase::section_status:
      return de ? "Stand der Ziele" : "Status of the goals";
    case Phrase::section_course:
      return de ? "Verlauf der Zielwerte" : "Course of the target goals";
    case Phrase::section_monitoring:
      return de ? "Monitoring: Vergleich mit dem Vorjahr"
                : "Monitoring: comparison with the previous year";
    case Phrase::section_milestones:
      return de ? "Meilensteine" : "Milestones";
    case Phrase::section_measures:
      return de ? "Offene Maßnahmen" : "Open measures";
    case Phrase::section_escalations:
      return de ? "Eskalationen" : "Escalations";
    case Phrase::section_missed:
      return de ? "Ausgefallene Termine" : "Missed reviews";
    case Phrase::section_attendance:
      return de ? "Anwesenheit" : "Attendance";
    case Phrase::section_assessment:
      return de ? "Bewertung" : "Assessment";
    case Phrase::section_external:
      return de ? "Externe Rahmenbedingungen" : "External conditions";
    case Phrase::section_decisions:
      return de ? "Beschlüsse" : "Decisions";
    case Phrase::section_no_measure:
      return de ? "Beschlüsse ohne Maßnahme" : "Decisions without a measure";
    case Phrase::section_new_measures:
      return de ? "Neu vereinbarte Maßnahmen" : "Newly agreed measures";
    case Phrase::section_follow_ups:
      return de ? "Nachverfolgung von Maßnahmen" : "Follow-ups of measures";
    case Phrase::section_closure:
      return de ? "Abschluss" : "Closure";
    case Phrase::no_goals:
      return de ? "Keine Ziele." : "No goals.";
    case Phrase::charts_withheld:
      return de ? "Keine Verläufe: Das Regelwerk hat sich geändert, seit dieser Termin vorbereitet "
                  "wurde; mit den heutigen Regeln berechnete Verläufe passten nicht zur Tabelle."
                : "No courses: the rules changed since this review was prepared; courses "
                  "computed with today's rules would not match the table.";
    case Phrase::no_target_charts:
      return de ? "Keine Zielwerte." : "No target goals.";
    case Phrase::no_monitoring:
      return de ? "Keine Monitoring-Größen." : "No monitoring goals.";
    case Phrase::no_milestones:
      return de ? "Keine Meilensteine." : "No milestones.";
    case Phrase::no_open_measures:
      return de ? "Keine offenen Maßnahmen." : "No open measures.";
    case Phrase::no_escalations:
      return de ? "Keine Eskalationen." : "No escalations.";
    case Phrase::no_missed:
      return de ? "Keine ausgefallenen Termine." : "No missed reviews.";
    case Phrase::nothing_recorded:
      return de ? "Nichts festgehalten." : "Nothing recorded.";
    case Phrase::no_new_measures:
      return de ? "Keine neuen Maßnahmen vereinbart." : "No new measures agreed.";
    case Phrase::no_follow_ups:
      return de ? "Keine Nachverfolgung festgehalten." : "No follow-ups recorded.";
    case Phrase::not_closed:
      return de ? "Der Termin ist noch nicht abgeschlossen."
                : "The review has not been closed yet.";
    case Phrase::col_section:
      return de ? "Abschnitt" : "Section";
    case Phrase::col_goal:
      return de ? "Ziel" : "Goal";
    case Phrase::col_responsibility:
      return de ? "Verantwortung" : "Responsibility";
    case Phrase::col_status:
      return de ? "Status" : "Status";
    case Phrase::col_actual:
      return de ? "Ist" : "Actual";
    case Phrase::col_target:
      return de ? "Soll" : "Target";
    case Phrase::col_gap:
      return de ? "Abstand zum Ziel" : "Gap to target";
    case Phrase::col_forecast:
      return de ? "Prognose Jahresende" : "Year-end forecast";
    case Phrase::col_reachable:
      return de ? "Erreichbar" : "Reachable";
    case Phrase::col_value:
      return de ? "Wert" : "Value";
    case Phrase::col_previous_year:
      return de ? "Vorjahresmonat" : "A year earlier";
    case Phrase::col_change:
      return de ? "Veränderung" : "Change";
    case Phrase::col_number:
      return de ? "Nr." : "No.";
    case Phrase::col_measure:
      return de ? "Maßnahme" : "Measure";
    case Phrase::col_owner:
      return de ? "Verantwortlich" : "Owner";
    case Phrase::col_agreed_in:
      return de ? "Vereinbart in" : "Agreed in";
    case Phrase::col_due:
      return de ? "Fällig am" : "Due";
    case Phrase::col_follow_up:
      return de ? "Wiedervorlage" : "Follow-up";
    case Phrase::col_last_note:
      return de ? "Letzte Notiz" : "Latest note";
    case Phrase::col_milestone:
      return de ? "Meilenstein" : "Milestone";
    case Phrase::col_done_on:
      return de ? "Erledigt am" : "Done on";
    case Phrase::col_note:
      return de ? "Notiz" : "Note";
    case Phrase::col_actor:
      return de ? "Erfasst von" : "Recorded by";
    case Phrase::col_reason:
      return de ? "Begründung" : "Reason";
    case Phrase::col_kind:
      return de ? "Art" : "Kind";
    case Phrase::col_month:
      return de ? "Monat" : "Month";
    case Phrase::target_goals:
      return de ? "Zielwerte" : "Target goals";
    case Phrase::monitoring_goals:
      return de ? "Monitoring" : "Monitoring goals";
    case Phrase::milestone_goals:
      return de ? "Meilensteinziele" : "Milestone goals";
    case Phrase::informational:
      return de ? "nachrichtlich" : "for information";
    case Phrase::escalated_to:
      return de ? "an" : "to";
    case Phrase::raised_on:
      return de ? "erhoben am" : "raised on";
    case Phrase::measure:
      return de ? "Maßnahme" : "measure";
    case Phrase::closed_by:
      return de ? "Abgeschlossen von" : "Closed by";
    case Phrase::closed_at:
      return de ? "Abgeschlossen am" : "Closed at";
    case Phrase::forecast:
      return de ? "Prognose" : "Forecast";
    case Phrase::target:
      return de ? "Ziel" : "Target";
    case Phrase::year_earlier:
      return de ? "ein Jahr zuvor" : "a year earlier";
    case Phrase::created_with:
      return de ? "Erstellt mit zielwerk" : "Made with zielwerk";
  }
  return "";
}

}  // namespace zielwerk::report
