#include "zielwerk/locale/format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "test_support.h"

namespace zielwerk::locale {
namespace {

using namespace std::chrono;
using rules::Unit;

using enum Language;  // de, en

TEST(Language, ParsesDeAndEnOnly) {
  EXPECT_EQ(parse_language("de"), Language::de);
  EXPECT_EQ(parse_language("en"), Language::en);
  EXPECT_EQ(parse_language("DE"), std::nullopt);
  EXPECT_EQ(parse_language("fr"), std::nullopt);
  EXPECT_EQ(parse_language(""), std::nullopt);
  EXPECT_EQ(to_string(Language::de), "de");
  EXPECT_EQ(to_string(Language::en), "en");
}

TEST(Quantity, GermanSeparatorsAndUnits) {
  EXPECT_EQ(format_quantity(10154, Unit::count, de), "10.154");
  EXPECT_EQ(format_quantity(15.5, Unit::percent, de), "15,5 %");
  EXPECT_EQ(format_quantity(14676528, Unit::eur, de), "14.676.528 €");
  EXPECT_EQ(format_quantity(999, Unit::count, de), "999");
  EXPECT_EQ(format_quantity(1000, Unit::count, de), "1.000");
  EXPECT_EQ(format_quantity(0, Unit::percent, de), "0,0 %");
}

TEST(Quantity, EnglishSeparatorsAndUnits) {
  EXPECT_EQ(format_quantity(10154, Unit::count, en), "10,154");
  EXPECT_EQ(format_quantity(15.5, Unit::percent, en), "15.5 %");
  EXPECT_EQ(format_quantity(14676528, Unit::eur, en), "14,676,528 EUR");
}

TEST(Quantity, CountsAndEurAreWholePercentagesOneDecimal) {
  EXPECT_EQ(format_quantity(10154.4, Unit::count, de), "10.154");
  EXPECT_EQ(format_quantity(10154.6, Unit::count, de), "10.155");
  EXPECT_EQ(format_quantity(15.26, Unit::percent, de), "15,3 %");
}

TEST(Quantity, NeverHidesADifferenceFromTheTarget) {
  // 15.499999 % is judged below 15.5 % by the rules: it must not read as 15,5 %.
  const std::string value = format_quantity(15.499999, Unit::percent, de, 15.5);
  const std::string target = format_quantity(15.5, Unit::percent, de, 15.499999);
  EXPECT_NE(value, target);
  EXPECT_NE(value, "15,5 %");
  EXPECT_EQ(value, "15,499999 %");
  EXPECT_EQ(target, "15,500000 %");
  EXPECT_EQ(format_quantity(15.46, Unit::percent, de, 15.5), "15,46 %");
  EXPECT_EQ(format_quantity(15.46, Unit::percent, en, 15.5), "15.46 %");
  EXPECT_EQ(format_quantity(15.54, Unit::percent, de, 15.5), "15,54 %");
  EXPECT_EQ(format_quantity(10154.4, Unit::count, de, 10154), "10.154,4");
  EXPECT_EQ(format_quantity(1199.7, Unit::eur, en, 1200), "1,199.7 EUR");
}

TEST(Quantity, TellsTheValueApartFromEveryEdgeOfItsStatus) {
  // 92.59 judged against a Soll of 92.6 (missed) is never shown as "92,6".
  EXPECT_EQ(format_quantity(92.59, Unit::percent, de, std::vector<double>{92.6, 92.1, 95.0}),
            "92,59 %");
  // Against the edge of the band below the Soll: 92.09 next to 92.1.
  EXPECT_EQ(format_quantity(92.09, Unit::percent, de, std::vector<double>{92.6, 92.1, 95.0}),
            "92,09 %");
  // Far from every edge: the unit's usual precision.
  EXPECT_EQ(format_quantity(80.04, Unit::percent, en, std::vector<double>{92.6, 92.1}), "80.0 %");
  EXPECT_EQ(format_quantity(19428.0, Unit::count, de, std::vector<double>{18591.1, 19006}),
            "19.428");
  EXPECT_EQ(format_quantity(18591.4, Unit::count, de, std::vector<double>{18591.1}), "18.591,4");
  EXPECT_EQ(format_quantity(7.5, Unit::percent, de, std::vector<double>{}), "7,5 %");
}

TEST(Quantity, ShowsEqualWhatTheRulesJudgeEqual) {
  EXPECT_EQ(format_quantity(59.99999999999, Unit::percent, de, 60), "60,0 %");
  EXPECT_EQ(format_quantity(15.5, Unit::percent, de, 15.5), "15,5 %");
  EXPECT_EQ(format_quantity(15.2, Unit::percent, de, 15.5), "15,2 %");  // already different
}

TEST(Quantity, NegativeNumbersUseTheGermanMinusSign) {
  EXPECT_EQ(format_quantity(-1234.6, Unit::count, de), "−1.235");
  EXPECT_EQ(format_number(-1234.5, 1, de), "−1.234,5");
  EXPECT_EQ(format_number(-1234.5, 1, en), "-1,234.5");
  EXPECT_EQ(format_quantity(-2.5, Unit::percent, de), "−2,5 %");
  EXPECT_EQ(format_quantity(-2.5, Unit::percent, en), "-2.5 %");
  // A value rounding to zero is zero, not "−0".
  EXPECT_EQ(format_number(-0.04, 1, de), "0,0");
  EXPECT_EQ(format_number(-0.0, 0, en), "0");
}

TEST(Quantity, HugeAndNonFiniteValues) {
  EXPECT_EQ(format_quantity(1e20, Unit::count, de), "100.000.000.000.000.000.000");
  EXPECT_EQ(format_quantity(-1e18, Unit::count, en), "-1,000,000,000,000,000,000");
  EXPECT_EQ(format_quantity(std::numeric_limits<double>::quiet_NaN(), Unit::count, de), "–");
  EXPECT_EQ(format_quantity(std::numeric_limits<double>::infinity(), Unit::eur, en), "–");
  const std::string max = format_quantity(std::numeric_limits<double>::max(), Unit::count, de);
  EXPECT_GT(max.size(), 300u);
  EXPECT_EQ(max.find("inf"), std::string::npos);
}

TEST(Target, ComparisonSymbolAndPrecision) {
  EXPECT_EQ(format_target(rules::Comparison::at_least, 15.5, Unit::percent, de), "≥ 15,5 %");
  EXPECT_EQ(format_target(rules::Comparison::at_most, 1200, Unit::count, de), "≤ 1.200");
  EXPECT_EQ(format_target(rules::Comparison::less_than, 1200, Unit::eur, en), "< 1,200 EUR");
  EXPECT_EQ(format_target(rules::Comparison::more_than, 15.5, Unit::percent, de, 15.46),
            "> 15,50 %");
}

TEST(Gap, SignedInPercentagePoints) {
  EXPECT_EQ(format_gap(-0.3, Unit::percent, de), "−0,3 Pp.");
  EXPECT_EQ(format_gap(-0.3, Unit::percent, en), "-0.3 pp");
  EXPECT_EQ(format_gap(0.3, Unit::percent, de), "+0,3 Pp.");
  EXPECT_EQ(format_gap(15.2 - 15.5, Unit::percent, de), "−0,3 Pp.");  // float noise
  EXPECT_EQ(format_gap(12, Unit::count, de), "+12");
  EXPECT_EQ(format_gap(-1500, Unit::count, de), "−1.500");
  EXPECT_EQ(format_gap(1500, Unit::eur, de), "+1.500 €");
  EXPECT_EQ(format_gap(1500, Unit::eur, en), "+1,500 EUR");
}

TEST(Gap, ZeroOnlyWhenTheRulesSeeNone) {
  EXPECT_EQ(format_gap(0, Unit::percent, de), "±0,0 Pp.");
  EXPECT_EQ(format_gap(0, Unit::count, en), "±0");
  EXPECT_EQ(format_gap(1e-12, Unit::percent, de), "±0,0 Pp.");
  EXPECT_EQ(format_gap(-0.04, Unit::percent, de), "−0,04 Pp.");
  EXPECT_EQ(format_gap(15.499999 - 15.5, Unit::percent, de), "−0,000001 Pp.");
  EXPECT_EQ(format_gap(-0.4, Unit::count, en), "-0.4");
  EXPECT_EQ(format_gap(std::nan(""), Unit::count, en), "–");
}

TEST(Change, SignedPercent) {
  EXPECT_EQ(format_change_pct(3.0, de), "+3,0 %");
  EXPECT_EQ(format_change_pct(-0.4, de), "−0,4 %");
  EXPECT_EQ(format_change_pct(-0.4, en), "-0.4 %");
  EXPECT_EQ(format_change_pct(12.345, en), "+12.3 %");
  EXPECT_EQ(format_change_pct(0.01, de), "±0,0 %");
  EXPECT_EQ(format_change_pct(1234.5, de), "+1.234,5 %");
}

TEST(Dates, GermanAndEnglish) {
  const year_month_day date = 2025y / March / 13d;
  EXPECT_EQ(format_date(date, de), "13. März 2025");
  EXPECT_EQ(format_date(date, en), "13 Mar 2025");
  EXPECT_EQ(format_date(2025y / December / 1d, de), "1. Dezember 2025");
  EXPECT_EQ(format_date(2025y / December / 1d, en), "1 Dec 2025");
}

TEST(Months, FullAndShort) {
  EXPECT_EQ(format_month(YearMonth(2025, 6), de), "Juni 2025");
  EXPECT_EQ(format_month(YearMonth(2025, 6), en), "June 2025");
  EXPECT_EQ(format_month(YearMonth(2025, 3), de), "März 2025");
  EXPECT_EQ(format_month(YearMonth(2024, 12), de), "Dezember 2024");
  EXPECT_EQ(format_month_short(YearMonth(2025, 3), de), "Mär 2025");
  EXPECT_EQ(format_month_short(YearMonth(2025, 10), de), "Okt 2025");
  EXPECT_EQ(format_month_short(YearMonth(2025, 10), en), "Oct 2025");
  EXPECT_EQ(month_abbreviation(5, de), "Mai");
  EXPECT_EQ(month_abbreviation(5, en), "May");
}

using zielwerk::testing::at;

TEST(DateTime, LocalTimeInTheProjectZone) {
  // Winter (CET, UTC+1) and summer (CEST, UTC+2).
  EXPECT_EQ(format_date_time(at("2025-03-13T09:00:00Z"), "Europe/Berlin", de),
            "13. März 2025, 10:00 Uhr");
  EXPECT_EQ(format_date_time(at("2025-07-03T08:15:00Z"), "Europe/Berlin", en), "3 Jul 2025, 10:15");
  // The day the clocks go forward: before and after the change.
  EXPECT_EQ(format_time_of_day(at("2025-03-30T00:30:00Z"), "Europe/Berlin", de), "01:30 Uhr");
  EXPECT_EQ(format_time_of_day(at("2025-03-30T08:00:00Z"), "Europe/Berlin", de), "10:00 Uhr");
  // Late in the UTC day is the next local day.
  EXPECT_EQ(format_local_date(at("2025-06-30T22:30:00Z"), "Europe/Berlin", de), "1. Juli 2025");
}

TEST(DateTime, UnknownZoneShowsUtc) {
  EXPECT_EQ(format_date_time(at("2025-03-13T09:05:00Z"), "", de), "13. März 2025, 09:05 UTC");
  EXPECT_EQ(format_date_time(at("2025-03-13T09:05:00Z"), "Mars/Olympus", en),
            "13 Mar 2025, 09:05 UTC");
}

const std::vector<rules::GoalStatus> kGoalStatuses = {
    rules::GoalStatus::met,     rules::GoalStatus::at_risk,  rules::GoalStatus::missed,
    rules::GoalStatus::no_data, rules::GoalStatus::observed, rules::GoalStatus::done,
    rules::GoalStatus::open,    rules::GoalStatus::overdue};

TEST(Status, GoalLabelsAreSymbolAndWord) {
  EXPECT_EQ(status_label(rules::GoalStatus::met, de), "✔ erreicht");
  EXPECT_EQ(status_label(rules::GoalStatus::at_risk, de), "▲ gefährdet");
  EXPECT_EQ(status_label(rules::GoalStatus::missed, de), "✖ verfehlt");
  EXPECT_EQ(status_label(rules::GoalStatus::no_data, de), "? keine Daten");
  EXPECT_EQ(status_label(rules::GoalStatus::observed, de), "● beobachtet");
  EXPECT_EQ(status_label(rules::GoalStatus::done, de), "✔ erledigt");
  EXPECT_EQ(status_label(rules::GoalStatus::open, de), "○ offen");
  EXPECT_EQ(status_label(rules::GoalStatus::overdue, de), "✖ überfällig");
  EXPECT_EQ(status_label(rules::GoalStatus::met, en), "✔ met");
  EXPECT_EQ(status_label(rules::GoalStatus::at_risk, en), "▲ at risk");
  EXPECT_EQ(status_label(rules::GoalStatus::missed, en), "✖ missed");
  EXPECT_EQ(status_label(rules::GoalStatus::no_data, en), "? no data");
  EXPECT_EQ(status_label(rules::GoalStatus::observed, en), "● observed");
  EXPECT_EQ(status_label(rules::GoalStatus::done, en), "✔ done");
  EXPECT_EQ(status_label(rules::GoalStatus::open, en), "○ open");
  EXPECT_EQ(status_label(rules::GoalStatus::overdue, en), "✖ overdue");
}

TEST(Status, EveryGoalStatusHasADistinctWordInBothLanguages) {
  for (const Language language : {de, en}) {
    std::set<std::string> words;
    for (const auto status : kGoalStatuses) {
      EXPECT_FALSE(status_symbol(status).empty());
      words.insert(status_word(status, language));
    }
    EXPECT_EQ(words.size(), kGoalStatuses.size());
  }
}

TEST(Status, MeasureStatuses) {
  EXPECT_EQ(status_label(domain::MeasureStatus::agreed, de), "○ vereinbart");
  EXPECT_EQ(status_label(domain::MeasureStatus::in_progress, de), "◐ in Arbeit");
  EXPECT_EQ(status_label(domain::MeasureStatus::done, de), "✔ erledigt");
  EXPECT_EQ(status_label(domain::MeasureStatus::dropped, de), "✕ verworfen");
  EXPECT_EQ(status_label(domain::MeasureStatus::agreed, en), "○ agreed");
  EXPECT_EQ(status_label(domain::MeasureStatus::in_progress, en), "◐ in progress");
  EXPECT_EQ(status_label(domain::MeasureStatus::done, en), "✔ done");
  EXPECT_EQ(status_label(domain::MeasureStatus::dropped, en), "✕ dropped");
  EXPECT_EQ(overdue_label(de), "✖ überfällig");
  EXPECT_EQ(overdue_label(en), "✖ overdue");
}

TEST(Status, EscalationKinds) {
  EXPECT_EQ(status_label(domain::EscalationKind::measure_demanded, de), "▲ Maßnahme gefordert");
  EXPECT_EQ(status_label(domain::EscalationKind::measure_overdue, de), "✖ Maßnahme überfällig");
  EXPECT_EQ(status_label(domain::EscalationKind::milestone_overdue, de),
            "✖ Meilenstein überfällig");
  EXPECT_EQ(status_label(domain::EscalationKind::measure_demanded, en), "▲ measure demanded");
  EXPECT_EQ(status_label(domain::EscalationKind::measure_overdue, en), "✖ measure overdue");
  EXPECT_EQ(status_label(domain::EscalationKind::milestone_overdue, en), "✖ milestone overdue");
}

TEST(Names, CarriersAndResponsibility) {
  EXPECT_EQ(carrier_name(rules::Carrier::ba, de), "BA");
  EXPECT_EQ(carrier_name(rules::Carrier::kommunal, de), "kommunal");
  EXPECT_EQ(carrier_name(rules::Carrier::joint_institution, de), "gE");
  EXPECT_EQ(carrier_name(rules::Carrier::kommunal, en), "municipal");
  EXPECT_EQ(carrier_name(rules::Carrier::joint_institution, en), "gE");
  EXPECT_EQ(responsibility_name(std::string("BA"), en), "BA");
  EXPECT_EQ(responsibility_name(std::string("kommunal"), de), "kommunal");
  EXPECT_EQ(comparison_word(rules::Comparison::at_least, de), "mindestens");
  EXPECT_EQ(comparison_word(rules::Comparison::less_than, en), "less than");
  EXPECT_EQ(yes_no(false, de), "nein");
}

}  // namespace
}  // namespace zielwerk::locale
