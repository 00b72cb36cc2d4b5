#include "zielwerk/rules/forecast.h"

#include <algorithm>
#include <functional>
#include <map>

namespace zielwerk::rules {
namespace {

constexpr int kTrendMonths = 3;
constexpr int kRatioMonths = 12;

struct SeriesCourse {
  double trend = 1;  // last three months over the same months a year earlier
  double lowest_ratio = 1;
  double highest_ratio = 1;
};

std::optional<double> ratio(const MetricLookup& observed, const std::string& series,
                            YearMonth month, int months) {
  double recent = 0;
  double earlier = 0;
  for (int k = 0; k < months; ++k) {
    const auto now = observed(series, month.plus_months(-k)).number;
    const auto before = observed(series, month.plus_months(-k - 12)).number;
    if (!now || !before) return std::nullopt;
    recent += *now;
    earlier += *before;
  }
  if (earlier == 0) return std::nullopt;
  return recent / earlier;
}

SeriesCourse course_of(const MetricLookup& observed, const std::string& series, YearMonth period) {
  SeriesCourse course;
  course.trend = ratio(observed, series, period, kTrendMonths).value_or(1.0);
  course.lowest_ratio = course.highest_ratio = course.trend;
  for (int k = 0; k < kRatioMonths; ++k) {
    if (const auto r = ratio(observed, series, period.plus_months(-k), 1)) {
      course.lowest_ratio = std::min(course.lowest_ratio, *r);
      course.highest_ratio = std::max(course.highest_ratio, *r);
    }
  }
  return course;
}

// The goal's metric at `year_end` with base series completed by `factor`.
MonthValue scenario_value(const RuleSet& rules, const std::string& metric, YearMonth period,
                          YearMonth year_end, const MetricLookup& observed,
                          const std::map<std::string, double, std::less<>>& factors) {
  std::function<MonthValue(std::string_view, YearMonth)> completed =
      [&](std::string_view id, YearMonth month) -> MonthValue {
    if (month <= period) return observed(id, month);
    const auto factor = factors.find(id);
    MonthValue year_before = completed(id, month.plus_months(-12));
    if (!year_before.number) return year_before;
    return MonthValue::of(*year_before.number * (factor == factors.end() ? 1.0 : factor->second));
  };
  Evaluator evaluator(rules, completed);
  return evaluator.value(metric, year_end);
}

bool better(Comparison op, double a, double b) {
  return is_floor(op) ? a > b : a < b;
}

}  // namespace

YearEndForecast forecast_year_end(const RuleSet& rules, const Goal& goal, YearMonth period,
                                  const MetricLookup& observed,
                                  std::optional<double> target_value) {
  YearEndForecast forecast;
  const auto* target = std::get_if<TargetSpec>(&goal.spec);
  forecast.year_end = YearMonth(rules.agreement.year, 12);
  if (target == nullptr) return forecast;
  // Judged at year end against the yearly target itself (the Soll of December).
  const auto judge_year_end = [&](std::optional<double> value) {
    if (!target_value) return GoalStatus::no_data;
    return judge(target->op, *target_value, target->tolerance, value);
  };

  if (period >= forecast.year_end) {
    // The year is over: the forecast is what happened.
    Evaluator evaluator(rules, observed);
    const MonthValue actual = evaluator.value(target->metric, forecast.year_end);
    forecast.value = forecast.best_case = actual.number;
    forecast.why_missing = actual.why_missing;
    forecast.status = judge_year_end(actual.number);
    forecast.reachable = forecast.status == GoalStatus::met;
    return forecast;
  }

  std::vector<std::string> series;  // the base series the goal's value reads
  for (const Metric* metric : rules.metrics_read_by(target->metric)) {
    if (metric->is_base_series()) series.push_back(metric->id);
  }
  std::map<std::string, SeriesCourse, std::less<>> courses;
  std::map<std::string, double, std::less<>> trend;
  for (const auto& id : series) {
    courses[id] = course_of(observed, id, period);
    trend[id] = courses[id].trend;
  }

  const MonthValue expected =
      scenario_value(rules, target->metric, period, forecast.year_end, observed, trend);
  forecast.value = expected.number;
  forecast.why_missing = expected.why_missing;
  forecast.status = judge_year_end(expected.number);
  if (!expected.number) return forecast;

  // The optimistic scenario: each series at whichever extreme helps this goal.
  std::map<std::string, double, std::less<>> optimistic = trend;
  for (const auto& id : series) {
    auto with = [&](double factor) {
      auto factors = trend;
      factors[id] = factor;
      return scenario_value(rules, target->metric, period, forecast.year_end, observed, factors)
          .number;
    };
    const auto low = with(courses[id].lowest_ratio);
    const auto high = with(courses[id].highest_ratio);
    if (low && high) {
      optimistic[id] =
          better(target->op, *high, *low) ? courses[id].highest_ratio : courses[id].lowest_ratio;
    }
  }
  forecast.best_case =
      scenario_value(rules, target->metric, period, forecast.year_end, observed, optimistic).number;
  forecast.reachable =
      forecast.status == GoalStatus::met || judge_year_end(forecast.best_case) == GoalStatus::met;
  return forecast;
}

}  // namespace zielwerk::rules
