// The year-end forecast of a target goal and whether its target is still
// reachable. Pure: observations come in through a MetricLookup.
//
// Method (docs/evaluation.md explains it for users): the goal's value at
// December of the agreement year is computed by its own formula on a
// completed course of its base series. A month after the reporting month M is
// filled with the value of the same month a year earlier times the series'
// current year-on-year trend, the ratio of its last three months to the same
// three months a year before. So the forecast follows last year's seasonal
// course at this year's level, which a straight line through the last months
// cannot do for seasonal figures like integrations.
//
// Reachable: the target is met in an optimistic scenario in which every base
// series runs for the rest of the year at the most favourable year-on-year
// ratio it showed in any of the last twelve months (favourable for this goal:
// checked by evaluating both extremes). A goal already at year end is
// reachable when it is met.
#pragma once

#include <optional>
#include <string>

#include "zielwerk/common/calendar.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/formula.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::rules {

struct YearEndForecast {
  YearMonth year_end;                       // December of the agreement year
  std::optional<double> value;              // the forecast value at year_end
  GoalStatus status = GoalStatus::no_data;  // the forecast judged against the target
  std::optional<double> best_case;          // the optimistic scenario's value
  bool reachable = false;
  std::string why_missing;  // for no forecast: the first missing input
};

// `observed` answers base series; only months up to `period` are used (later
// months are not known at a review of `period`). Only for target goals.
// `target` is the goal's yearly target (GoalResult::target: declared, or
// computed from the previous year); without one the forecast is not judged.
YearEndForecast forecast_year_end(const RuleSet& rules, const Goal& goal, YearMonth period,
                                  const MetricLookup& observed, std::optional<double> target);

}  // namespace zielwerk::rules
