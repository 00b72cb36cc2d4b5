// Numbers, dates and the names of statuses in German (the default) and
// English, for every output people read: the meeting documents, the
// dashboard, the command line and e-mail. Pure functions, independent of the
// process locale. Phrases and facts in words are in catalogue.h.
//
// Numbers: German `10.154`, `15,5 %`, `14.676.528 €`; English `10,154`,
// `15.5 %`, `14,676,528 EUR`. Counts and EUR are shown whole, percentages with
// one decimal. The command line prints English numbers with these functions
// too. A value shown next to its target is never rounded into looking equal
// to it while the rules judge them different: more decimals are shown until they differ (up to 6,
// the rules' comparison precision of 1e-6). Values the rules judge equal (59.99999999999 against
// 60) are shown equal.
//
// Minus: German output writes negative numbers with the minus sign U+2212
// ("−0,3 Pp.") everywhere (values, gaps, changes, chart ticks); English output
// with the ASCII hyphen-minus ("-0.3 pp"), as the CLI does. A signed quantity
// that is zero at its shown precision is written "±0".
//
// Dates: German `13.03.2025`; English `13 Mar 2025` (day, abbreviated month,
// year: unambiguous for readers on both sides of the Atlantic). Months:
// `Juni 2025` / `June 2025`, short `Jun 2025` / `Jun 2025`.
//
// A value that is not finite (NaN, infinity) is written as kNoValue.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::locale {

enum class Language { de, en };

// "de" or "en"; nullopt for anything else.
std::optional<Language> parse_language(std::string_view text);
std::string to_string(Language language);  // "de", "en" (for `<html lang>`)

// What a table cell shows for a value that does not exist (an en dash).
inline constexpr std::string_view kNoValue = "–";

// --- numbers ---------------------------------------------------------------

// Fixed notation with `decimals` (0..6) and the language's separators,
// without unit: "10.154", "−1.234,5" / "10,154", "-1,234.5".
std::string format_number(double value, int decimals, Language language);

// A value in its unit: "15,5 %", "10.154", "14.676.528 €". With `compare_with`
// (usually the target) more decimals are shown when the two would look equal
// at the normal precision while the rules judge them different.
std::string format_quantity(double value, rules::Unit unit, Language language,
                            std::optional<double> compare_with = std::nullopt);

// A value judged against several edges (the Soll or target it was judged
// against, the edge of the tolerance band there, the yearly target): as many
// decimals as it takes to tell it apart from every edge the rules tell it
// apart from, so that 92.59 next to an edge of 92.6 is never shown as "92.6".
std::string format_quantity(double value, rules::Unit unit, Language language,
                            const std::vector<double>& edges);

// The target with its comparison: "≥ 15,5 %", "≤ 1.200" (same precision rule).
std::string format_target(rules::Comparison op, double target, rules::Unit unit, Language language,
                          std::optional<double> compare_with = std::nullopt);

// A signed difference in the goal's unit (actual − target); percentages in
// percentage points: "−0,3 Pp.", "+12", "+1.500 €" / "-0.3 pp", "+12",
// "+1,500 EUR", "±0,0 Pp.". A gap the rules judge non-zero is never shown as zero.
std::string format_gap(double gap, rules::Unit unit, Language language);

// A signed change in percent: "+3,0 %", "−0,4 %", "±0,0 %" / "+3.0 %", "-0.4 %".
std::string format_change_pct(double value, Language language);

// --- dates and months --------------------------------------------------------

std::string format_date(std::chrono::year_month_day date, Language language);  // 13. März 2025
std::string format_month(YearMonth month, Language language);        // Juni 2025 / June 2025
std::string format_month_short(YearMonth month, Language language);  // Jun 2025
std::string month_abbreviation(int month, Language language);        // 1..12: Jan, Feb, Mär …

// A point in time as local date and time in `time_zone`: "13.03.2025, 10:00 Uhr" /
// "13 Mar 2025, 10:00". An empty or unknown zone shows UTC, saying so ("… UTC").
std::string format_date_time(Timestamp time, const std::string& time_zone, Language language);
// Only the local date of `time` (UTC when the zone is empty or unknown).
std::string format_local_date(Timestamp time, const std::string& time_zone, Language language);
// Only the local time of day: "10:00 Uhr" / "10:00" ("… UTC" as above).
std::string format_time_of_day(Timestamp time, const std::string& time_zone, Language language);

// --- statuses ---------------------------------------------------------------
// Each status has a symbol (the same in both languages) so that a document
// printed without colour still shows it at a glance, and a word. The label is
// "symbol word": "✔ erreicht", "▲ gefährdet", "✖ verfehlt".

std::string_view status_symbol(rules::GoalStatus status);
std::string status_word(rules::GoalStatus status, Language language);
std::string status_label(rules::GoalStatus status, Language language);

std::string_view status_symbol(domain::MeasureStatus status);
std::string status_word(domain::MeasureStatus status, Language language);
std::string status_label(domain::MeasureStatus status, Language language);

std::string_view status_symbol(domain::EscalationKind kind);
std::string status_word(domain::EscalationKind kind, Language language);
std::string status_label(domain::EscalationKind kind, Language language);

// The flag of a measure still open after its due day: "✖ überfällig" / "✖ overdue".
std::string overdue_label(Language language);

// --- names of the rule language ----------------------------------------------

std::string carrier_name(rules::Carrier carrier, Language language);  // BA, kommunal, gE, zkT, …
std::string responsibility_name(const rules::Responsibility& responsibility,
                                Language language);                    // BA, kommunal / municipal
std::string goal_kind_name(rules::GoalKind kind, Language language);   // Zielwert, Beobachtung, …
std::string_view comparison_symbol(rules::Comparison op);              // ≥ > ≤ <
std::string comparison_word(rules::Comparison op, Language language);  // mindestens / at least
std::string yes_no(bool value, Language language);                     // ja / nein, yes / no

}  // namespace zielwerk::locale
