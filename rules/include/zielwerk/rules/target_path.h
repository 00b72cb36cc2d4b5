// A target goal through its agreement year: the yearly target (declared, or a
// change against the previous year's value) and the Soll path that leads to
// it month by month. Pure functions; the previous year's values come in as a
// YearCourse, so they can be taken from this project's own figures (what the
// Evaluator does) or, later, from the evaluation of another agreement year.
//
// Definitions (docs/evaluation.md, "The Soll path"):
// - relative target: value(December of Y−1) × (1 + change_pct ÷ 100);
// - Soll(M), M in the agreement year Y, by the goal's soll_path:
//     previous_year  target × value(M of Y−1) ÷ value(December of Y−1), the goal's own
//                    formula (so the same windows) a year earlier;
//     flat           the target;
//     declared       the declared value of M's month;
//     plan           the plan series at M;
//   in December the Soll is the target itself, whatever the path says;
// - the tolerance at a Soll: tolerance × |Soll| ÷ |target| (the same share of the
//   Soll as the tolerance is of the target; the tolerance itself for a target of 0).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "zielwerk/common/calendar.h"
#include "zielwerk/rules/formula.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::rules {

// A goal's value at each month of one calendar year, or why there is none.
struct YearCourse {
  int year = 0;
  std::array<MonthValue, 12> months{};  // January..December

  const MonthValue& at(int month) const { return months.at(static_cast<std::size_t>(month - 1)); }
};

// A number that could be computed, or why not.
struct Derived {
  std::optional<double> value;
  std::string why_missing;
};

// The yearly target: the declared one, or the previous year's December value
// changed by target_change_pct. Missing (with the reason) when that value is.
Derived resolve_target(const TargetSpec& spec, const YearCourse& previous_year);

// The Soll at `month` for a goal whose agreement year is `year` and whose
// yearly target is `target`. Missing outside the agreement year, and when the
// path cannot be computed (a month of the previous year or of the plan series
// is missing, the previous December is 0); `plan` answers plan series.
Derived soll_at(const TargetSpec& spec, double target, YearMonth month, int year,
                const YearCourse& previous_year, const MetricLookup& plan);

// The tolerance band around `reference` (a Soll or the target).
double tolerance_at(const TargetSpec& spec, double target, double reference);

}  // namespace zielwerk::rules
