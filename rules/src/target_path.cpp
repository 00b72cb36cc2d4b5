#include "zielwerk/rules/target_path.h"

#include <cmath>

namespace zielwerk::rules {
namespace {

std::string month_of(int year, int month) {
  return YearMonth(year, month).to_string();
}

}  // namespace

Derived resolve_target(const TargetSpec& spec, const YearCourse& previous_year) {
  if (spec.target) return {spec.target, {}};
  const MonthValue& base = previous_year.at(12);
  if (!base.number) {
    return {std::nullopt, "the target is a change against the previous year, whose value at " +
                              month_of(previous_year.year, 12) +
                              " cannot be computed: " + base.why_missing};
  }
  const double change = spec.target_change_pct.value_or(0);
  return {*base.number * (1 + change / 100), {}};
}

Derived soll_at(const TargetSpec& spec, double target, YearMonth month, int year,
                const YearCourse& previous_year, const MetricLookup& plan) {
  if (month.year() != year) {
    return {std::nullopt, "the Soll path covers the agreement year " + std::to_string(year)};
  }
  if (month.month() == 12) return {target, {}};
  const SollPathSpec& path = spec.soll_path;
  switch (path.source) {
    case SollPathSpec::Source::flat:
      return {target, {}};
    case SollPathSpec::Source::declared:
      if (path.values.size() != 12) return {std::nullopt, "the declared path is incomplete"};
      return {path.values[static_cast<std::size_t>(month.month() - 1)], {}};
    case SollPathSpec::Source::plan: {
      const MonthValue planned = plan(path.series, month);
      if (!planned.number) return {std::nullopt, planned.why_missing};
      return {planned.number, {}};
    }
    case SollPathSpec::Source::previous_year:
      break;
  }
  const MonthValue& then = previous_year.at(month.month());
  const MonthValue& december = previous_year.at(12);
  const std::string why = "the Soll follows the previous year's course, which is incomplete: ";
  if (!then.number) return {std::nullopt, why + then.why_missing};
  if (!december.number) return {std::nullopt, why + december.why_missing};
  if (*december.number == 0) {
    return {std::nullopt, "the Soll follows the previous year's course, whose value at " +
                              month_of(previous_year.year, 12) + " is 0"};
  }
  return {target * *then.number / *december.number, {}};
}

double tolerance_at(const TargetSpec& spec, double target, double reference) {
  if (target == 0) return spec.tolerance;
  return spec.tolerance * std::fabs(reference) / std::fabs(target);
}

}  // namespace zielwerk::rules
