#include "zielwerk/rules/rule_testing.h"

#include <gtest/gtest.h>

#include "corpus_support.h"

namespace zielwerk::rules {
namespace {

using Values = std::vector<std::optional<double>>;

TEST(SeriesNotationTest, ExpandsRepeatsStepsAndGaps) {
  const SeriesParse parsed = parse_series_notation("2024-11: 5 7x2 10+5x3 _ 1-1x2 _x2");
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(*parsed.start, YearMonth(2024, 11));
  const Values expected = {5, 7, 7, 10, 15, 20, std::nullopt, 1, 0, std::nullopt, std::nullopt};
  EXPECT_EQ(parsed.values, expected);
}

TEST(SeriesNotationTest, AcceptsNegativeAndDecimalValues) {
  const SeriesParse parsed = parse_series_notation("2025-01: -2.5 0.25x2");
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.values, (Values{-2.5, 0.25, 0.25}));
}

TEST(SeriesNotationTest, ReportsTheBrokenTokenAndItsOffset) {
  struct Case {
    const char* text;
    std::size_t offset;
    const char* error;
  };
  const Case cases[] = {
      {"130x12", 0, "expected 'START: values', e.g. \"2024-07: 130x12\""},
      {"2024-13: 1", 0, "the series must start with a month YYYY-MM, got '2024-13'"},
      {"2024-07:", 7, "the series has no values after the start month"},
      {"2024-07: 1 x", 11, "'x': the count after 'x' must be a whole number from 1"},
      {"2024-07: 1x2.5", 9, "'1x2.5': the count after 'x' must be a whole number from 1"},
      {"2024-07: 1+2", 9, "'1+2': a step needs a count, e.g. '1+2x12'"},
      {"2024-07: 1+ax3", 9, "'1+ax3': expected a step after '+'"},
      {"2024-07: 1x5000", 9, "'1x5000': a series holds at most 1200 months"},
      {"2024-07: 1x1000 2x1000", 16, "a series holds at most 1200 months"},
  };
  for (const auto& c : cases) {
    const SeriesParse parsed = parse_series_notation(c.text);
    EXPECT_EQ(parsed.error, c.error) << c.text;
    EXPECT_EQ(parsed.error_offset, c.offset) << c.text;
  }
}

class RuleTestRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { rules = zielwerk::testing::base_rule_set(); }

  std::vector<CaseOutcome> run(const std::string& text, RuleTestFile& file) {
    Diagnostics diagnostics;
    auto loaded = load_rule_test_source("goals.test.yaml", text, rules, diagnostics);
    EXPECT_TRUE(loaded.has_value())
        << ::testing::PrintToString(zielwerk::testing::lines(diagnostics));
    if (!loaded) return {};
    file = std::move(*loaded);
    return run_rule_tests(file, rules);
  }

  RuleSet rules;
};

TEST_F(RuleTestRunnerTest, PassingCases) {
  RuleTestFile file;
  const auto outcomes = run(R"(tests:
  - name: quota met, stock missed, llu observed
    period: 2025-06
    series:
      integrationen: "2024-07: 200x12"
      elb: "2024-07: 12000x12"
      lzb: "2024-07: 10500x6 9900x6"
      llu: "2024-06: 1000 0x11 1100"
    expect:
      iq-gesamt: {status: met, actual: 20}
      lzb-gesamt: {status: missed, actual: 10200}
      llu-monitoring: {status: observed, actual: 1100}
  - name: a gap gives no data
    period: 2025-06
    series:
      integrationen: "2024-07: 200x5 _ 200x6"
      elb: "2024-07: 12000x12"
    expect:
      iq-gesamt: no_data
  - name: milestones as of a date
    period: 2025-06
    as_of: 2025-07-01
    milestones:
      but: {richtlinie: 2025-06-20}
    expect:
      but: open
)",
                            file);
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& outcome : outcomes) {
    EXPECT_TRUE(outcome.passed()) << outcome.test_case->name << ": "
                                  << ::testing::PrintToString(outcome.failures);
  }
  EXPECT_EQ(file.cases[2].as_of, std::chrono::year{2025} / 7 / 1);
  EXPECT_EQ(file.cases[0].as_of, std::chrono::year{2025} / 6 / 30);  // last day of the period
}

TEST_F(RuleTestRunnerTest, FailuresNameTheGoalTheExpectationAndTheActualValue) {
  RuleTestFile file;
  const auto outcomes = run(R"(tests:
  - name: wrong expectations
    period: 2025-06
    series:
      integrationen: "2024-07: 190x12"
      elb: "2024-07: 12000x12"
    expect:
      iq-gesamt: met
      lzb-gesamt: {status: met, actual: 10000}
      but: done
)",
                            file);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed());
  const std::vector<std::string> expected = {
      "goals.test.yaml:8:7: iq-gesamt: expected met, got missed (actual 19)",
      "goals.test.yaml:9:7: lzb-gesamt: expected met, got no_data; expected actual 10000 (±0.005), "
      "got no value (lzb 2024-07 is not given)",
      "goals.test.yaml:10:7: but: expected done, got open",
  };
  EXPECT_EQ(outcomes[0].failures, expected);
}

TEST_F(RuleTestRunnerTest, ActualIsComparedWithinTolerance) {
  RuleTestFile file;
  const auto outcomes = run(R"(tests:
  - name: close enough
    period: 2025-06
    series:
      integrationen: "2024-07: 200x12"
      elb: "2024-07: 12000x12"
    expect:
      iq-gesamt: {status: met, actual: 20.004}
  - name: too far
    period: 2025-06
    series:
      integrationen: "2024-07: 200x12"
      elb: "2024-07: 12000x12"
    expect:
      iq-gesamt: {status: met, actual: 20.006}
)",
                            file);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].passed());
  EXPECT_FALSE(outcomes[1].passed());
}

}  // namespace
}  // namespace zielwerk::rules
