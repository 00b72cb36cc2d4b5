#include "zielwerk/rules/target_path.h"

#include <gtest/gtest.h>

#include <map>

#include "corpus_support.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::rules {
namespace {

using std::chrono::year;

// A course of the previous year from twelve numbers (nullopt: missing).
YearCourse course_of(int y, const std::vector<std::optional<double>>& values) {
  YearCourse course;
  course.year = y;
  for (std::size_t i = 0; i < 12; ++i) {
    const std::optional<double> value = i < values.size() ? values[i] : std::nullopt;
    course.months.at(i) =
        value ? MonthValue::of(*value)
              : MonthValue::missing("x " + YearMonth(y, static_cast<int>(i) + 1).to_string() +
                                    " is missing");
  }
  return course;
}

TargetSpec floor_of(double target, double tolerance) {
  TargetSpec spec;
  spec.op = Comparison::at_least;
  spec.target = target;
  spec.tolerance = tolerance;
  spec.unit = Unit::percent;
  return spec;
}

const MetricLookup kNoPlan = [](std::string_view id, YearMonth month) {
  return MonthValue::missing(std::string(id) + " " + month.to_string() + " is missing");
};

// The JFW of 2024 grows from 1 in January to 12 in December.
const YearCourse kRising =
    course_of(2024, {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0});

TEST(TargetPathTest, TheDerivedPathFollowsThePreviousYearsCourseToTheTarget) {
  const TargetSpec spec = floor_of(15.5, 0.5);
  // Soll(M) = target × value(M of 2024) ÷ value(December 2024).
  EXPECT_DOUBLE_EQ(*soll_at(spec, 15.5, YearMonth(2025, 6), 2025, kRising, kNoPlan).value,
                   15.5 * 6 / 12);
  EXPECT_DOUBLE_EQ(*soll_at(spec, 15.5, YearMonth(2025, 1), 2025, kRising, kNoPlan).value,
                   15.5 / 12);
  // December is the target itself.
  EXPECT_DOUBLE_EQ(*soll_at(spec, 15.5, YearMonth(2025, 12), 2025, kRising, kNoPlan).value, 15.5);
  // The band is the same share of the Soll as the tolerance is of the target.
  EXPECT_DOUBLE_EQ(tolerance_at(spec, 15.5, 7.75), 0.25);
  EXPECT_DOUBLE_EQ(tolerance_at(spec, 15.5, 15.5), 0.5);
  // A target of 0 (a change of 0 %): the tolerance itself.
  EXPECT_DOUBLE_EQ(tolerance_at(spec, 0, 3), 0.5);
}

TEST(TargetPathTest, WithoutThePreviousYearThereIsNoSollAndTheReasonSaysWhy) {
  const TargetSpec spec = floor_of(15.5, 0.5);
  const YearCourse gaps = course_of(
      2024, {1.0, 2.0, std::nullopt, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, std::nullopt});
  const Derived march = soll_at(spec, 15.5, YearMonth(2025, 3), 2025, gaps, kNoPlan);
  EXPECT_FALSE(march.value.has_value());
  EXPECT_EQ(march.why_missing,
            "the Soll follows the previous year's course, which is incomplete: x 2024-03 is "
            "missing");
  // December 2024 missing: no month of the path can be computed, except December itself.
  EXPECT_EQ(soll_at(spec, 15.5, YearMonth(2025, 6), 2025, gaps, kNoPlan).why_missing,
            "the Soll follows the previous year's course, which is incomplete: x 2024-12 is "
            "missing");
  EXPECT_DOUBLE_EQ(*soll_at(spec, 15.5, YearMonth(2025, 12), 2025, gaps, kNoPlan).value, 15.5);
  const YearCourse zero =
      course_of(2024, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0});
  EXPECT_EQ(soll_at(spec, 15.5, YearMonth(2025, 6), 2025, zero, kNoPlan).why_missing,
            "the Soll follows the previous year's course, whose value at 2024-12 is 0");
  // Outside the agreement year there is no path.
  EXPECT_EQ(soll_at(spec, 15.5, YearMonth(2024, 6), 2025, kRising, kNoPlan).why_missing,
            "the Soll path covers the agreement year 2025");
}

TEST(TargetPathTest, FlatDeclaredAndPlanPaths) {
  TargetSpec flat = floor_of(80, 0.5);
  flat.soll_path.source = SollPathSpec::Source::flat;
  EXPECT_DOUBLE_EQ(*soll_at(flat, 80, YearMonth(2025, 3), 2025, kRising, kNoPlan).value, 80);

  TargetSpec declared = floor_of(50, 0.5);
  declared.soll_path.source = SollPathSpec::Source::declared;
  for (int m = 1; m <= 12; ++m)
    declared.soll_path.values.push_back(50.0 * m / 12);
  EXPECT_DOUBLE_EQ(*soll_at(declared, 50, YearMonth(2025, 3), 2025, kRising, kNoPlan).value, 12.5);

  TargetSpec plan = floor_of(20, 0.5);
  plan.soll_path.source = SollPathSpec::Source::plan;
  plan.soll_path.series = "iq_plan";
  const MetricLookup plans = [](std::string_view id, YearMonth month) {
    if (id == "iq_plan" && month.month() <= 6) return MonthValue::of(1.5 * month.month());
    return MonthValue::missing(std::string(id) + " " + month.to_string() + " is missing");
  };
  EXPECT_DOUBLE_EQ(*soll_at(plan, 20, YearMonth(2025, 4), 2025, kRising, plans).value, 6.0);
  const Derived july = soll_at(plan, 20, YearMonth(2025, 7), 2025, kRising, plans);
  EXPECT_FALSE(july.value.has_value());
  EXPECT_EQ(july.why_missing, "iq_plan 2025-07 is missing");
}

TEST(TargetPathTest, ARelativeTargetIsThePreviousYearsValueChanged) {
  TargetSpec spec;
  spec.op = Comparison::at_most;
  spec.target_change_pct = 14;
  const YearCourse lzb = course_of(
      2024, {std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
             std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 16000.0});
  EXPECT_DOUBLE_EQ(*resolve_target(spec, lzb).value, 16000 * 1.14);
  spec.target_change_pct = -6.9;
  EXPECT_DOUBLE_EQ(*resolve_target(spec, lzb).value, 16000 * (1 - 0.069));
  const Derived none = resolve_target(spec, course_of(2024, {}));
  EXPECT_FALSE(none.value.has_value());
  EXPECT_EQ(none.why_missing,
            "the target is a change against the previous year, whose value at 2024-12 cannot "
            "be computed: x 2024-12 is missing");
}

// A rule set with the targets agreements write: a relative LZB ceiling, a count
// of integrations in the year, a quota's Soll path from a plan series.
RuleSet agreement_targets() {
  auto sources = zielwerk::testing::base_rule_sources();
  sources.emplace_back("targets.yaml", R"yaml(metrics:
  - {id: lzb_mittel, title: LZB Jahresdurchschnitt, unit: count, formula: "mean(lzb, Jan..M)"}
  - {id: integrationen_jahr, title: Integrationen im Jahr, unit: count, formula: "sum(integrationen, Jan..M)"}
  - {id: iq_plan, title: IQ-Planwerte, unit: percent, kind: plan}
goals:
  - {id: lzb-relativ, title: LZB höchstens +14 %, section: I, responsibility: BA, metric: lzb_mittel, op: "<=", target: {change_pct: 14}, unit: count, tolerance: 100}
  - {id: integrationen-4200, title: mindestens 4.200 Integrationen, section: I, responsibility: BA, metric: integrationen_jahr, op: ">=", target: 4200, unit: count, tolerance: 60}
  - {id: iq-plan, title: IQ nach Plan, section: I, responsibility: BA, metric: iq, op: ">=", target: 20, unit: percent, soll_path: {series: iq_plan}}
)yaml");
  Diagnostics diagnostics;
  auto rules = load_rule_set_from_sources(sources, diagnostics);
  EXPECT_TRUE(diagnostics.empty())
      << ::testing::PrintToString(zielwerk::testing::lines(diagnostics));
  return rules ? std::move(*rules) : RuleSet{};
}

TEST(AgreementTargetsTest, RelativeCountAndPlanTargetsAreEvaluatedAgainstTheirSoll) {
  const RuleSet rules = agreement_targets();
  // 2024: LZB 10000 every month, 300 integrations a month; 2025: LZB 11500, 360 a month.
  const MetricLookup figures = [](std::string_view metric, YearMonth m) {
    if (m < YearMonth(2023, 12) || m > YearMonth(2025, 12)) {
      return MonthValue::missing(std::string(metric) + " " + m.to_string() + " is missing");
    }
    if (metric == "lzb") return MonthValue::of(m.year() == 2025 ? 11500.0 : 10000.0);
    if (metric == "integrationen") return MonthValue::of(m.year() == 2025 ? 360.0 : 300.0);
    if (metric == "elb") return MonthValue::of(12000);
    if (metric == "iq_plan") return MonthValue::of(0.5 * m.month());
    return MonthValue::missing(std::string(metric) + " " + m.to_string() + " is missing");
  };
  Evaluator evaluator(rules, figures);
  const YearMonth june(2025, 6);

  // The previous year's mean 10000 may rise by at most 14 %: 11400; 2024 was flat, so the
  // Soll of June is 11400 too; 11500 lies within the band of 100 above it.
  const GoalResult lzb =
      evaluator.evaluate(*rules.find_goal("lzb-relativ"), june, june.last_day(), {});
  EXPECT_DOUBLE_EQ(*lzb.previous_year, 10000);
  EXPECT_NEAR(*lzb.target, 11400, 1e-9);
  EXPECT_NEAR(*lzb.soll, 11400, 1e-9);
  EXPECT_NEAR(*lzb.soll_gap(), 100, 1e-9);
  EXPECT_EQ(lzb.judged_against, Reference::soll);
  EXPECT_EQ(lzb.status, GoalStatus::at_risk);
  EXPECT_NEAR(*lzb.change_pct, 15.0, 1e-9);

  // 4200 in the year: by June 2024's course (1800 of 3600) the Soll is 2100; 2160 > 2100.
  const GoalResult count =
      evaluator.evaluate(*rules.find_goal("integrationen-4200"), june, june.last_day(), {});
  EXPECT_DOUBLE_EQ(*count.actual, 2160);
  EXPECT_DOUBLE_EQ(*count.soll, 2100);
  EXPECT_DOUBLE_EQ(count.band, 30);
  EXPECT_EQ(count.status, GoalStatus::met);
  // The same goal in December is judged against the yearly target itself: 4320 >= 4200.
  const GoalResult december =
      evaluator.evaluate(*rules.find_goal("integrationen-4200"), YearMonth(2025, 12),
                         YearMonth(2025, 12).last_day(), {});
  EXPECT_DOUBLE_EQ(*december.soll, 4200);
  EXPECT_EQ(december.status, GoalStatus::met);

  // The plan series says 3.0 for June; the JFW is 100 × 2160 / 12000 = 18.0.
  const GoalResult plan =
      evaluator.evaluate(*rules.find_goal("iq-plan"), june, june.last_day(), {});
  EXPECT_DOUBLE_EQ(*plan.soll, 3.0);
  EXPECT_EQ(plan.status, GoalStatus::met);
}

TEST(AgreementTargetsTest, ARelativeTargetWithoutThePreviousYearIsNoDataWithTheReason) {
  const RuleSet rules = agreement_targets();
  const MetricLookup only_2025 = [](std::string_view metric, YearMonth m) {
    if (m.year() == 2025 && metric == "lzb") return MonthValue::of(11500);
    return MonthValue::missing(std::string(metric) + " " + m.to_string() + " is missing");
  };
  Evaluator evaluator(rules, only_2025);
  const YearMonth june(2025, 6);
  const GoalResult lzb =
      evaluator.evaluate(*rules.find_goal("lzb-relativ"), june, june.last_day(), {});
  EXPECT_DOUBLE_EQ(*lzb.actual, 11500);
  EXPECT_FALSE(lzb.target.has_value());
  EXPECT_EQ(lzb.status, GoalStatus::no_data);
  EXPECT_EQ(lzb.why_missing,
            "the target is a change against the previous year, whose value at 2024-12 cannot be "
            "computed: lzb 2024-01 is missing");
  // A declared target without the previous year is judged against the target itself.
  const GoalResult count =
      evaluator.evaluate(*rules.find_goal("integrationen-4200"), june, june.last_day(), {});
  EXPECT_EQ(count.judged_against, Reference::target);
  EXPECT_FALSE(count.soll.has_value());
}

TEST(AgreementTargetsTest, TheStatusUsesTheUnroundedValue) {
  // 92.59 against an edge of 92.6 is below it, however it is rounded for display.
  EXPECT_EQ(judge(Comparison::at_least, 92.6, 0, 92.59), GoalStatus::missed);
  EXPECT_EQ(judge(Comparison::at_least, 92.6, 0.5, 92.59), GoalStatus::at_risk);
  EXPECT_EQ(judge(Comparison::at_least, 92.6, 0, 92.6 - 1e-7), GoalStatus::met);  // noise
  EXPECT_EQ(judge(Comparison::at_most, 11400, 100, 11500), GoalStatus::at_risk);
  EXPECT_EQ(judge(Comparison::at_most, 11400, 100, 11500.01), GoalStatus::missed);
}

}  // namespace
}  // namespace zielwerk::rules
