#include "zielwerk/rules/formula.h"

#include <gtest/gtest.h>

#include <map>

namespace zielwerk::rules {
namespace {

Formula parse_ok(std::string_view text) {
  auto parsed = Formula::parse(text);
  if (auto* error = std::get_if<FormulaError>(&parsed)) {
    ADD_FAILURE() << "'" << text << "' failed at " << error->offset << ": " << error->message;
    return std::get<Formula>(Formula::parse("0"));
  }
  return std::get<Formula>(std::move(parsed));
}

FormulaError parse_error(std::string_view text) {
  auto parsed = Formula::parse(text);
  if (auto* error = std::get_if<FormulaError>(&parsed)) return *error;
  ADD_FAILURE() << "'" << text << "' parsed, expected an error";
  return {};
}

// Series given as metric -> (month -> value); months not listed are missing.
struct Series {
  std::map<std::string, std::map<YearMonth, double>, std::less<>> values;

  void fill(const std::string& metric, YearMonth from, std::vector<double> numbers) {
    for (double v : numbers) {
      values[metric][from] = v;
      from = from.plus_months(1);
    }
  }
  MetricLookup lookup() const {
    return [this](std::string_view metric, YearMonth month) {
      const auto series = values.find(metric);
      if (series != values.end()) {
        const auto value = series->second.find(month);
        if (value != series->second.end()) return MonthValue::of(value->second);
      }
      return MonthValue::missing(std::string(metric) + " " + month.to_string() + " is missing");
    };
  }
};

double value_of(std::string_view text, YearMonth month, const Series& series) {
  const MonthValue value = parse_ok(text).evaluate(month, series.lookup());
  EXPECT_TRUE(value.number.has_value()) << text << ": " << value.why_missing;
  return value.number.value_or(-1);
}

TEST(FormulaTest, ArithmeticFollowsPrecedence) {
  Series none;
  const YearMonth m(2025, 6);
  EXPECT_DOUBLE_EQ(value_of("1 + 2 * 3", m, none), 7);
  EXPECT_DOUBLE_EQ(value_of("(1 + 2) * 3", m, none), 9);
  EXPECT_DOUBLE_EQ(value_of("10 - 4 - 3", m, none), 3);  // left-associative
  EXPECT_DOUBLE_EQ(value_of("12 / 3 / 2", m, none), 2);
  EXPECT_DOUBLE_EQ(value_of("-2 * -3", m, none), 6);
  EXPECT_DOUBLE_EQ(value_of("0.5 * 4", m, none), 2);
}

TEST(FormulaTest, RollingWindowsEndWithTheMonthAndCrossYearBoundaries) {
  Series s;
  // 2024-07 .. 2025-06: 1, 2, ..., 12
  s.fill("x", YearMonth(2024, 7), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const YearMonth june(2025, 6);
  EXPECT_DOUBLE_EQ(value_of("rolling_sum(x, 12)", june, s), 78);
  EXPECT_DOUBLE_EQ(value_of("rolling_mean(x, 12)", june, s), 6.5);
  EXPECT_DOUBLE_EQ(value_of("rolling_sum(x, 3)", june, s), 10 + 11 + 12);
  EXPECT_DOUBLE_EQ(value_of("rolling_sum(x, 1)", june, s), 12);
}

// BIAJ's worked example of the two figures (docs/evaluation.md, "Windows"):
// JFW March 2015 = integrations Jan..Mar 2015 over the mean stock Dec 2014..Feb 2015;
// K2 March 2015 = integrations Apr 2014..Mar 2015 over the mean stock Mar 2014..Feb 2015.
TEST(FormulaTest, WindowsNameTheirMonthsRelativeToTheReportingMonth) {
  Series s;
  // Integrations 2014-01..2015-12: 10, 11, 12, ...; stock 2013-12..2015-12: 1000, 1010, ...
  std::vector<double> integrations;
  std::vector<double> stock;
  for (int i = 0; i < 24; ++i)
    integrations.push_back(10 + i);
  for (int i = 0; i < 25; ++i)
    stock.push_back(1000 + 10 * i);
  s.fill("i", YearMonth(2014, 1), integrations);
  s.fill("e", YearMonth(2013, 12), stock);
  const std::string jfw = "100 * sum(i, Jan..M) / mean(e, Dec(Y-1)..M-1)";
  const std::string k2 = "100 * sum(i, M-11..M) / mean(e, M-12..M-1)";
  const YearMonth march(2015, 3);
  // Jan..Mar 2015: 22 + 23 + 24; Dec 2014..Feb 2015: 1120, 1130, 1140.
  EXPECT_DOUBLE_EQ(value_of(jfw, march, s), 100.0 * (22 + 23 + 24) / 1130);
  // Apr 2014..Mar 2015: 13..24 (sum 222); Mar 2014..Feb 2015: 1030..1140 (mean 1085).
  EXPECT_DOUBLE_EQ(value_of(k2, march, s), 100.0 * 222 / 1085);
  // In December both read the same months: the December JFW is the December K2.
  const YearMonth december(2015, 12);
  EXPECT_DOUBLE_EQ(value_of(jfw, december, s), value_of(k2, december, s));
  // In January the year-to-date window holds one month, and the stock window too.
  EXPECT_DOUBLE_EQ(value_of(jfw, YearMonth(2015, 1), s), 100.0 * 22 / 1120);
  // Offsets on every anchor.
  EXPECT_DOUBLE_EQ(value_of("sum(i, Jan+1..M-1)", march, s), 23);
  EXPECT_DOUBLE_EQ(value_of("mean(e, Dec(Y-1)-1..M-3)", march, s), 1115);  // Nov..Dec 2014
}

TEST(FormulaTest, AnEmptyWindowOrAMissingMonthInItHasNoValueAndSaysWhy) {
  Series s;
  s.fill("i", YearMonth(2025, 1), {5, 6, 7});
  // Jan..M-1 holds no month in January.
  const MonthValue january = parse_ok("sum(i, Jan..M-1)").evaluate(YearMonth(2025, 1), s.lookup());
  EXPECT_FALSE(january.number.has_value());
  EXPECT_EQ(january.why_missing, "the window Jan..M-1 holds no month at 2025-01");
  const MonthValue april = parse_ok("mean(i, Jan..M)").evaluate(YearMonth(2025, 4), s.lookup());
  EXPECT_FALSE(april.number.has_value());
  EXPECT_EQ(april.why_missing, "i 2025-04 is missing");
}

TEST(FormulaTest, ProvisionalFiguresMakeTheValueProvisional) {
  const MetricLookup lookup = [](std::string_view metric, YearMonth month) {
    return MonthValue::of(metric == "a" ? 2.0 : 4.0, metric == "b" && month == YearMonth(2025, 3));
  };
  EXPECT_FALSE(parse_ok("sum(a, Jan..M) / sum(b, Jan..M-1)")
                   .evaluate(YearMonth(2025, 3), lookup)
                   .provisional);
  EXPECT_TRUE(
      parse_ok("sum(a, Jan..M) / sum(b, Jan..M)").evaluate(YearMonth(2025, 3), lookup).provisional);
  EXPECT_TRUE(parse_ok("1 + b").evaluate(YearMonth(2025, 3), lookup).provisional);
}

TEST(FormulaTest, RollingWindowWithAMissingMonthHasNoValue) {
  Series s;
  s.fill("x", YearMonth(2024, 7), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  s.values["x"].erase(YearMonth(2024, 12));
  const MonthValue value = parse_ok("rolling_sum(x, 12)").evaluate(YearMonth(2025, 6), s.lookup());
  EXPECT_FALSE(value.number.has_value());
  EXPECT_EQ(value.why_missing, "x 2024-12 is missing");
  // A window that ends before the gap is complete.
  EXPECT_DOUBLE_EQ(value_of("rolling_sum(x, 2)", YearMonth(2024, 11), s), 4 + 5);
}

TEST(FormulaTest, YearToDateStartsInJanuaryOfTheMonthsYear) {
  Series s;
  s.fill("done", YearMonth(2024, 11), {100, 100, 5, 7, 9});  // 2024-11 .. 2025-03
  EXPECT_DOUBLE_EQ(value_of("ytd_sum(done)", YearMonth(2025, 3), s), 21);
  EXPECT_DOUBLE_EQ(value_of("ytd_sum(done)", YearMonth(2025, 1), s), 5);
  // December 2024 needs all of 2024, which the series does not have.
  const MonthValue december = parse_ok("ytd_sum(done)").evaluate(YearMonth(2024, 12), s.lookup());
  EXPECT_FALSE(december.number.has_value());
  EXPECT_EQ(december.why_missing, "done 2024-01 is missing");
}

TEST(FormulaTest, LagAndPreviousDecember) {
  Series s;
  s.fill("base", YearMonth(2024, 6), {1, 2, 3, 4, 5, 6, 70, 8, 9});  // 2024-12 = 70
  EXPECT_DOUBLE_EQ(value_of("previous_december(base)", YearMonth(2025, 2), s), 70);
  EXPECT_DOUBLE_EQ(value_of("lag(base, 2)", YearMonth(2025, 2), s), 70);
  EXPECT_DOUBLE_EQ(value_of("lag(base, 3)", YearMonth(2025, 2), s), 6);
  EXPECT_DOUBLE_EQ(value_of("lag(base, 0)", YearMonth(2025, 2), s), 9);
}

TEST(FormulaTest, FunctionsTakeExpressions) {
  Series s;
  s.fill("a", YearMonth(2025, 1), {1, 2, 3});
  s.fill("b", YearMonth(2025, 1), {10, 20, 30});
  EXPECT_DOUBLE_EQ(value_of("rolling_sum(a + b, 3)", YearMonth(2025, 3), s), 66);
  EXPECT_DOUBLE_EQ(value_of("100 * rolling_sum(a, 3) / rolling_sum(b, 3)", YearMonth(2025, 3), s),
                   10);
}

TEST(FormulaTest, DivisionByZeroHasNoValue) {
  Series s;
  s.fill("a", YearMonth(2025, 1), {5});
  s.fill("zero", YearMonth(2025, 1), {0});
  const MonthValue value = parse_ok("a / zero").evaluate(YearMonth(2025, 1), s.lookup());
  EXPECT_FALSE(value.number.has_value());
  EXPECT_EQ(value.why_missing, "division by zero at 2025-01");
}

TEST(FormulaTest, ReferencesListEveryMetricWithItsOffset) {
  const Formula f = parse_ok("100 * rolling_sum(integrationen, 12) / rolling_mean(elb, 12)");
  ASSERT_EQ(f.references().size(), 2u);
  EXPECT_EQ(f.references()[0].id, "integrationen");
  EXPECT_EQ(f.references()[0].offset, 18u);
  EXPECT_EQ(f.references()[1].id, "elb");
  EXPECT_EQ(f.references()[1].offset, 52u);
  EXPECT_EQ(f.text(), "100 * rolling_sum(integrationen, 12) / rolling_mean(elb, 12)");
}

TEST(FormulaTest, SyntaxErrorsNameTheOffsetAndTheProblem) {
  struct Case {
    const char* text;
    std::size_t offset;
    const char* message;
  };
  const Case cases[] = {
      {"", 0, "the formula is empty"},
      {"a +", 3, "unexpected end of formula, expected a number, a metric or '('"},
      {"(a + b", 6,
       "expected ')' to close the '(' at column 1 of the formula, found end of formula"},
      {"a b", 2, "unexpected 'b' after a complete expression"},
      {"a $ b", 2, "unexpected '$' after a complete expression"},
      {"a * $", 4, "unexpected '$', expected a number, a metric or '('"},
      {"Elb", 0, "metric ids and functions are lower case, found 'Elb'"},
      {"1.", 2, "expected a digit after the decimal point"},
      {"12abc", 2, "unexpected 'abc' in a number"},
      {"rolling_summ(a, 12)", 0,
       "unknown function 'rolling_summ' (did you mean 'rolling_sum'?); functions are "
       "sum, mean, rolling_sum, rolling_mean, ytd_sum, lag, previous_december"},
      {"rolling_sum(a)", 13,
       "rolling_sum(x, months) needs its second argument, the number of months"},
      {"rolling_sum()", 12, "rolling_sum needs an argument: rolling_sum(x, months)"},
      {"ytd_sum(a, 3)", 9, "too many arguments: ytd_sum(x)"},
      {"rolling_sum(a, 0)", 15, "the months of rolling_sum must be a whole number from 1 to 120"},
      {"rolling_sum(a, 121)", 15, "the months of rolling_sum must be a whole number from 1 to 120"},
      {"rolling_sum(a, 1.5)", 15, "the months of rolling_sum must be a whole number from 1 to 120"},
      {"lag(a, b)", 7, "the months of lag must be a whole number written out, found 'b'"},
      {"sum(a)", 5,
       "sum(x, window) needs its second argument, the window of months, e.g. Jan..M, "
       "Dec(Y-1)..M-1 or M-11..M"},
      {"sum(a, Feb..M)", 7,
       "expected a month of the window (M, M-1, Jan or Dec(Y-1)), found 'Feb'"},
      {"mean(a, Jan.M)", 11,
       "expected '..' between the first and the last month of the window, found '.'"},
      {"sum(a, Jan..M+1)", 12,
       "a window ends with the reporting month M or a month before it (M-1, M-2, ...): later "
       "months are not known when M is reviewed"},
      {"sum(a, M-11..Dec(Y-1))", 13,
       "a window ends with the reporting month M or a month before it (M-1, M-2, ...): later "
       "months are not known when M is reviewed"},
      {"sum(a, M+1..M)", 7, "the window starts after the reporting month M"},
      {"sum(a, M-1..M-3)", 7, "the window M-1..M-3 starts after it ends"},
      {"sum(a, Jan+12..M)", 7, "the window Jan+12..M holds no month in any month of the year"},
      {"sum(a, Dec(Y-1)..M-13)", 7,
       "the window Dec(Y-1)..M-13 holds no month in any month of the year"},
      {"sum(a, M-121..M)", 9, "a window reaches at most 120 months from its anchor"},
      {"sum(a, Dec(Y-1)-110..M)", 7, "the window spans up to 123 months; at most 120 are allowed"},
      {"sum(a, M-)", 9, "expected a whole number of months after the sign"},
  };
  for (const auto& c : cases) {
    const FormulaError error = parse_error(c.text);
    EXPECT_EQ(error.offset, c.offset) << c.text;
    EXPECT_EQ(error.message, c.message) << c.text;
  }
}

TEST(FormulaTest, HostileFormulasAreRejectedNotOverflowed) {
  const std::string deep = std::string(200, '(') + "1" + std::string(200, ')');
  EXPECT_EQ(parse_error(deep).message, "the formula nests deeper than 32 levels");
  const std::string negations = std::string(500, '-') + "1";
  EXPECT_EQ(parse_error(negations).message, "the formula nests deeper than 32 levels");
  const std::string long_text(kMaxFormulaLength + 1, 'a');
  EXPECT_EQ(parse_error(long_text).message, "the formula is longer than 2000 characters");
}

TEST(FormulaTest, CopiesShareTheParsedTreeAndEvaluateAlike) {
  Series s;
  s.fill("a", YearMonth(2025, 1), {4});
  const Formula original = parse_ok("a * 2");
  const Formula copy = original;  // NOLINT: testing the copy
  EXPECT_DOUBLE_EQ(*copy.evaluate(YearMonth(2025, 1), s.lookup()).number, 8);
}

}  // namespace
}  // namespace zielwerk::rules
