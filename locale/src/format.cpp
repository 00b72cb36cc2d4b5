#include "zielwerk/locale/format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::locale {
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
// time zone functions (date/tz stays there), with the offset in force at that
// instant.
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
  const local_time<milliseconds> local = workflows::to_local_time(zone, time);
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

std::string format_quantity(double value, rules::Unit unit, Language language,
                            const std::vector<double>& edges) {
  if (!std::isfinite(value)) return std::string(kNoValue);
  int decimals = default_decimals(unit);
  for (const double edge : edges)
    decimals = std::max(decimals, decimals_against(value, edge, unit));
  return with_unit(format_number(value, decimals, language), unit, language);
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
    // As German letters and minutes write it: "3. Juli 2025".
    return std::to_string(day) + ". " +
           std::string(kMonthsDe[month_index(static_cast<int>(month))]) + " " + year;
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

std::string_view status_symbol(domain::MeasureStatus status) {
  switch (status) {
    case domain::MeasureStatus::agreed:
      return "○";
    case domain::MeasureStatus::in_progress:
      return "◐";
    case domain::MeasureStatus::done:
      return "✔";
    case domain::MeasureStatus::dropped:
      return "✕";
  }
  return "?";
}

std::string status_word(domain::MeasureStatus status, Language language) {
  const bool de = language == Language::de;
  switch (status) {
    case domain::MeasureStatus::agreed:
      return de ? "vereinbart" : "agreed";
    case domain::MeasureStatus::in_progress:
      return de ? "in Arbeit" : "in progress";
    case domain::MeasureStatus::done:
      return de ? "erledigt" : "done";
    case domain::MeasureStatus::dropped:
      return de ? "verworfen" : "dropped";
  }
  return de ? "unbekannt" : "unknown";
}

std::string status_label(domain::MeasureStatus status, Language language) {
  return std::string(status_symbol(status)) + " " + status_word(status, language);
}

std::string_view status_symbol(domain::EscalationKind kind) {
  switch (kind) {
    case domain::EscalationKind::measure_demanded:
      return "▲";
    case domain::EscalationKind::measure_overdue:
    case domain::EscalationKind::milestone_overdue:
      return "✖";
  }
  return "?";
}

std::string status_word(domain::EscalationKind kind, Language language) {
  const bool de = language == Language::de;
  switch (kind) {
    case domain::EscalationKind::measure_demanded:
      return de ? "Maßnahme gefordert" : "measure demanded";
    case domain::EscalationKind::measure_overdue:
      return de ? "Maßnahme überfällig" : "measure overdue";
    case domain::EscalationKind::milestone_overdue:
      return de ? "Meilenstein überfällig" : "milestone overdue";
  }
  return de ? "unbekannt" : "unknown";
}

std::string status_label(domain::EscalationKind kind, Language language) {
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
    case rules::Carrier::zkt:
      return "zkT";
    case rules::Carrier::land:
      return "Land";
    case rules::Carrier::bmas:
      return "BMAS";
  }
  return "";
}

std::string responsibility_name(const rules::Responsibility& responsibility, Language language) {
  // The agreement's own labels; only the municipal one has an English word.
  if (responsibility == "kommunal" && language == Language::en) return "municipal";
  return responsibility;
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

}  // namespace zielwerk::locale
