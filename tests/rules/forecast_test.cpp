// The year-end forecast on hand-computed series (docs/evaluation.md states the method).
#include "zielwerk/rules/forecast.h"

#include <gtest/gtest.h>

#include <map>

#include "corpus_support.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::rules {
namespace {

// One base series `x` and its 12-month sum, with one goal on it.
RuleSet rules_with_goal(const std::string& op, double target, double tolerance) {
  auto sources = testing::base_rule_sources();
  sources.erase(sources.begin() + 1, sources.end());  // keep the agreement (year 2025)
  sources.emplace_back("metrics.yaml", R"yaml(metrics:
  - {id: x, title: X, unit: count}
  - {id: x_jfw, title: X over 12 months, unit: count, formula: "rolling_sum(x, 12)"}
)yaml");
  sources.emplace_back("goals.yaml",
                       "goals:\n  - {id: g, title: G, section: I, responsibility: "
                       "BA, metric: x_jfw, op: \"" +
                           op + "\", target: " + std::to_string(target) +
                           ", unit: count, tolerance: " + std::to_string(tolerance) + "}\n");
  Diagnostics diagnostics;
  auto rules = load_rule_set_from_sources(sources, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << ::testing::PrintToString(testing::lines(diagnostics));
  return rules ? std::move(*rules) : RuleSet{};
}

// The goal's declared target, which the evaluation hands to the forecast.
std::optional<double> target_of(const RuleSet& rules) {
  return std::get<TargetSpec>(rules.find_goal("g")->spec).target;
}

using Series = std::map<YearMonth, double>;

MetricLookup lookup(const Series& series) {
  return [&series](std::string_view id, YearMonth month) {
    const auto it = series.find(month);
    if (id != "x" || it == series.end()) return MonthValue::missing("x " + month.to_string());
    return MonthValue::of(it->second);
  };
}

// 2024: `values_2024` for every month; 2025 January..: `values_2025`.
Series series(const std::vector<double>& values_2024, const std::vector<double>& values_2025) {
  Series result;
  for (int m = 1; m <= 12; ++m) {
    result[YearMonth(2024, m)] = values_2024[static_cast<std::size_t>(m - 1)];
  }
  for (std::size_t i = 0; i < values_2025.size(); ++i) {
    result[YearMonth(2025, static_cast<int>(i) + 1)] = values_2025[i];
  }
  return result;
}

TEST(ForecastTest, FollowsLastYearsSeasonalCourseAtThisYearsLevel) {
  // 2024: 110, 120, ..., 220 (a seasonal rise); 2025 runs 20 % above 2024.
  std::vector<double> last_year;
  for (int m = 1; m <= 12; ++m)
    last_year.push_back(100 + 10 * m);
  std::vector<double> this_year;
  for (int m = 1; m <= 6; ++m)
    this_year.push_back(1.2 * (100 + 10 * m));
  const Series data = series(last_year, this_year);
  const RuleSet rules = rules_with_goal(">=", 2300, 0);
  const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                          lookup(data), target_of(rules));
  EXPECT_EQ(forecast.year_end, YearMonth(2025, 12));
  // Trend = (156+168+192... ) / same months 2024 = 1.2; December = 1.2 * (sum of 2024) = 1.2 *
  // 1980.
  ASSERT_TRUE(forecast.value.has_value()) << forecast.why_missing;
  EXPECT_NEAR(*forecast.value, 2376.0, 1e-9);
  EXPECT_EQ(forecast.status, GoalStatus::met);
  EXPECT_TRUE(forecast.reachable);
}

TEST(ForecastTest, UsesTheRecentTrendAndJudgesReachabilityOnTheBestRatio) {
  // 2024: 100 every month. 2025: 100, 100, 100, 120, 120, 120 -> trend (Apr-Jun) 1.2,
  // lowest monthly ratio 1.0.
  const Series data = series(std::vector<double>(12, 100), {100, 100, 100, 120, 120, 120});
  {
    // Ceiling 1250: forecast 660 + 6*120 = 1380 (missed); best case 660 + 600 = 1260 > 1250.
    const RuleSet rules = rules_with_goal("<=", 1250, 0);
    const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                            lookup(data), target_of(rules));
    ASSERT_TRUE(forecast.value.has_value());
    EXPECT_NEAR(*forecast.value, 1380.0, 1e-9);
    EXPECT_EQ(forecast.status, GoalStatus::missed);
    ASSERT_TRUE(forecast.best_case.has_value());
    EXPECT_NEAR(*forecast.best_case, 1260.0, 1e-9);
    EXPECT_FALSE(forecast.reachable);
  }
  {
    // Ceiling 1260: the best case meets it exactly, so it is still reachable.
    const RuleSet rules = rules_with_goal("<=", 1260, 0);
    const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                            lookup(data), target_of(rules));
    EXPECT_EQ(forecast.status, GoalStatus::missed);
    EXPECT_TRUE(forecast.reachable);
  }
  {
    // A floor prefers the highest ratio: best case 660 + 6*120 = 1380.
    const RuleSet rules = rules_with_goal(">=", 1400, 0);
    const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                            lookup(data), target_of(rules));
    EXPECT_NEAR(*forecast.best_case, 1380.0, 1e-9);
    EXPECT_FALSE(forecast.reachable);
  }
}

TEST(ForecastTest, LaterMonthsInTheDataAreNotUsed) {
  // A review of June does not know July: a huge July value must not change the forecast.
  Series data = series(std::vector<double>(12, 100), {100, 100, 100, 100, 100, 100});
  const RuleSet rules = rules_with_goal(">=", 1000, 0);
  const auto before = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                        lookup(data), target_of(rules));
  data[YearMonth(2025, 7)] = 100000;
  const auto after = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                       lookup(data), target_of(rules));
  ASSERT_TRUE(before.value && after.value);
  EXPECT_NEAR(*before.value, 1200.0, 1e-9);
  EXPECT_EQ(*before.value, *after.value);
}

TEST(ForecastTest, AtYearEndTheForecastIsTheActualValue) {
  const Series data = series(std::vector<double>(12, 100), std::vector<double>(12, 90));
  const RuleSet rules = rules_with_goal(">=", 1100, 0);
  const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 12),
                                          lookup(data), target_of(rules));
  ASSERT_TRUE(forecast.value.has_value());
  EXPECT_NEAR(*forecast.value, 1080.0, 1e-9);
  EXPECT_EQ(forecast.status, GoalStatus::missed);
  EXPECT_FALSE(forecast.reachable);
}

TEST(ForecastTest, WithoutLastYearsCourseThereIsNoForecast) {
  Series data;
  for (int m = 1; m <= 6; ++m)
    data[YearMonth(2025, m)] = 100;
  const RuleSet rules = rules_with_goal(">=", 1000, 0);
  const auto forecast = forecast_year_end(rules, *rules.find_goal("g"), YearMonth(2025, 6),
                                          lookup(data), target_of(rules));
  EXPECT_FALSE(forecast.value.has_value());
  EXPECT_EQ(forecast.status, GoalStatus::no_data);
  EXPECT_FALSE(forecast.reachable);
  EXPECT_FALSE(forecast.why_missing.empty());
}

}  // namespace
}  // namespace zielwerk::rules
