#include "zielwerk/rules/evaluation.h"

#include <gtest/gtest.h>

#include "corpus_support.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::rules {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

TargetSpec target(Comparison op, double value, double tolerance) {
  TargetSpec spec;
  spec.op = op;
  spec.target = value;
  spec.tolerance = tolerance;
  return spec;
}

TEST(JudgeTargetTest, FloorWithToleranceBand) {
  const TargetSpec floor = target(Comparison::at_least, 15.5, 0.5);
  EXPECT_EQ(judge_target(floor, 15.5), GoalStatus::met);
  EXPECT_EQ(judge_target(floor, 16.0), GoalStatus::met);
  EXPECT_EQ(judge_target(floor, 15.2), GoalStatus::at_risk);
  EXPECT_EQ(judge_target(floor, 15.0), GoalStatus::at_risk);  // the band includes its edge
  EXPECT_EQ(judge_target(floor, 14.99), GoalStatus::missed);
  EXPECT_EQ(judge_target(floor, std::nullopt), GoalStatus::no_data);
}

TEST(JudgeTargetTest, CeilingWithToleranceBand) {
  const TargetSpec ceiling = target(Comparison::at_most, 10154, 100);
  EXPECT_EQ(judge_target(ceiling, 10154), GoalStatus::met);
  EXPECT_EQ(judge_target(ceiling, 9000), GoalStatus::met);
  EXPECT_EQ(judge_target(ceiling, 10254), GoalStatus::at_risk);
  EXPECT_EQ(judge_target(ceiling, 10254.5), GoalStatus::missed);
}

TEST(JudgeTargetTest, StrictComparisonsAndNoTolerance) {
  const TargetSpec more_than = target(Comparison::more_than, 60, 0);
  EXPECT_EQ(judge_target(more_than, 60.0), GoalStatus::missed);  // "more than 60 %"
  EXPECT_EQ(judge_target(more_than, 60.01), GoalStatus::met);
  const TargetSpec less_than = target(Comparison::less_than, 100, 5);
  EXPECT_EQ(judge_target(less_than, 100), GoalStatus::at_risk);
  EXPECT_EQ(judge_target(less_than, 99.9), GoalStatus::met);
}

TEST(JudgeTargetTest, FloatNoiseDoesNotFlipAStatus) {
  // 100 * 0.6 / 1.0 computed through floating point is not exactly 60.
  const double computed = 100.0 * (0.1 + 0.2 + 0.3) / 1.0;
  ASSERT_NE(computed, 60.0);
  EXPECT_EQ(judge_target(target(Comparison::at_least, 60, 0), computed), GoalStatus::met);
  EXPECT_EQ(judge_target(target(Comparison::more_than, 60, 0), computed), GoalStatus::missed);
}

MilestoneSpec two_milestones(bool ordered) {
  MilestoneSpec spec;
  spec.ordered = ordered;
  spec.milestones.push_back({"richtlinie", "Richtlinie", year(2025) / 6 / 30, {}});
  spec.milestones.push_back({"termin", "Termin", year(2025) / 9 / 30, {}});
  return spec;
}

TEST(JudgeMilestonesTest, OpenOverdueDone) {
  const MilestoneSpec spec = two_milestones(true);
  std::map<std::string, year_month_day, std::less<>> done;
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 6 / 30), GoalStatus::open);  // due today
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 7 / 1), GoalStatus::overdue);
  done["richtlinie"] = year(2025) / 6 / 20;
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 7 / 1), GoalStatus::open);
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 10 / 1), GoalStatus::overdue);
  done["termin"] = year(2025) / 9 / 15;
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 10 / 1), GoalStatus::done);
  // As of a date before it was done, the milestone was not done yet.
  EXPECT_EQ(judge_milestones(spec, done, year(2025) / 9 / 1), GoalStatus::open);
}

TEST(GoalStatusTest, NamesRoundTrip) {
  for (const auto& name : goal_status_names()) {
    const auto status = parse_goal_status(name);
    ASSERT_TRUE(status.has_value()) << name;
    EXPECT_EQ(to_string(*status), name);
  }
  EXPECT_EQ(goal_status_names().size(), 8u);
  EXPECT_FALSE(parse_goal_status("ok").has_value());
}

class EvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override { rules = zielwerk::testing::base_rule_set(); }

  // Every base series constant over 2023-07..2025-12, except what a test overrides.
  MetricLookup lookup() {
    return [this](std::string_view metric, YearMonth m) {
      ++lookups;
      if (m < YearMonth(2023, 7) || m > YearMonth(2025, 12)) {
        return MonthValue::missing(std::string(metric) + " " + m.to_string() + " is missing");
      }
      if (metric == "integrationen") return MonthValue::of(200);
      if (metric == "elb") return MonthValue::of(12000);
      if (metric == "lzb") return MonthValue::of(m.year() == 2025 ? 9900.0 : 10500.0);
      if (metric == "llu") return MonthValue::of(m.year() == 2025 ? 1'100'000.0 : 1'000'000.0);
      return MonthValue::missing("unexpected metric");
    };
  }

  RuleSet rules;
  int lookups = 0;
};

TEST_F(EvaluatorTest, EvaluatesEveryKindOfGoal) {
  Evaluator evaluator(rules, lookup());
  MilestoneProgress progress;
  progress["but"]["richtlinie"] = year(2025) / 6 / 20;
  const auto results = evaluator.evaluate_all(YearMonth(2025, 6), year(2025) / 7 / 15, progress);
  ASSERT_EQ(results.size(), 4u);

  // iq = 100 * 12 * 200 / 12000 = 20 %, target >= 20.
  EXPECT_EQ(results[0].goal->id, "iq-gesamt");
  EXPECT_EQ(results[0].status, GoalStatus::met);
  EXPECT_DOUBLE_EQ(*results[0].actual, 20.0);

  // lzb mean over 2024-07..2025-06: (6 * 10500 + 6 * 9900) / 12 = 10200 > 10000 + 100.
  EXPECT_EQ(results[1].status, GoalStatus::missed);
  EXPECT_DOUBLE_EQ(*results[1].actual, 10200.0);

  // llu June 2025 against June 2024: +10 %.
  EXPECT_EQ(results[2].status, GoalStatus::observed);
  EXPECT_DOUBLE_EQ(*results[2].actual, 1'100'000.0);
  EXPECT_DOUBLE_EQ(*results[2].previous, 1'000'000.0);
  EXPECT_NEAR(*results[2].change_pct, 10.0, 1e-9);

  // The first milestone is done, the second due in September.
  EXPECT_EQ(results[3].status, GoalStatus::open);
  EXPECT_FALSE(results[3].actual.has_value());
}

TEST_F(EvaluatorTest, MissingMonthsGiveNoDataWithTheReason) {
  Evaluator evaluator(rules, lookup());
  // 2024-06 needs 2023-07..2024-06: complete. 2024-05 needs 2023-06: missing.
  const GoalResult ok =
      evaluator.evaluate(rules.goals[0], YearMonth(2024, 6), year(2024) / 6 / 30, {});
  EXPECT_EQ(ok.status, GoalStatus::met);
  const GoalResult missing =
      evaluator.evaluate(rules.goals[0], YearMonth(2024, 5), year(2024) / 5 / 31, {});
  EXPECT_EQ(missing.status, GoalStatus::no_data);
  EXPECT_FALSE(missing.actual.has_value());
  EXPECT_EQ(missing.why_missing, "integrationen 2023-06 is missing");
  // Monitoring needs the month a year earlier.
  const GoalResult monitoring =
      evaluator.evaluate(rules.goals[2], YearMonth(2024, 6), year(2024) / 6 / 30, {});
  EXPECT_EQ(monitoring.status, GoalStatus::no_data);
  EXPECT_EQ(monitoring.why_missing, "llu 2023-06 is missing");
}

TEST_F(EvaluatorTest, DerivedValuesAreComputedOnce) {
  Evaluator evaluator(rules, lookup());
  (void)evaluator.value("iq", YearMonth(2025, 6));
  const int first = lookups;
  EXPECT_EQ(first, 24);  // 12 months of integrationen and of elb
  (void)evaluator.value("iq", YearMonth(2025, 6));
  EXPECT_EQ(lookups, first);
}

TEST_F(EvaluatorTest, UnknownMetricHasNoValue) {
  Evaluator evaluator(rules, lookup());
  const MonthValue value = evaluator.value("nope", YearMonth(2025, 6));
  EXPECT_FALSE(value.number.has_value());
  EXPECT_EQ(value.why_missing, "unknown metric 'nope'");
}

}  // namespace
}  // namespace zielwerk::rules
