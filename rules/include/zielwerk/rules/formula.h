// The formula language of derived metrics, e.g.
//   100 * rolling_sum(integrationen_frauen, 12) / rolling_mean(elb_frauen, 12)
//
// A Formula is parsed once from the rule file and evaluated at a reporting
// month M. It is immutable and cheap to copy (copies share the parsed tree).
// Evaluation is pure: every value it reads comes through the MetricLookup.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "zielwerk/common/calendar.h"

namespace zielwerk::rules {

// A metric's value at one month, or why there is none ("elb_frauen 2025-03 is
// missing", "division by zero in ..."), which `--explain` and test failures show.
struct MonthValue {
  std::optional<double> number;
  std::string why_missing;

  static MonthValue of(double value) { return {value, {}}; }
  static MonthValue missing(std::string why) { return {std::nullopt, std::move(why)}; }
};

// Resolves a metric id at a month: base series from the observations, derived
// metrics by evaluating their formula.
using MetricLookup = std::function<MonthValue(std::string_view metric_id, YearMonth month)>;

// A syntax error: `offset` is the byte offset into the formula text.
struct FormulaError {
  std::size_t offset = 0;
  std::string message;
};

// A metric id as written in the formula, with its byte offset.
struct MetricReference {
  std::string id;
  std::size_t offset = 0;
};

// Limits that keep a hostile formula from exhausting the stack.
inline constexpr std::size_t kMaxFormulaLength = 2000;
inline constexpr int kMaxFormulaDepth = 32;
inline constexpr int kMaxWindowMonths = 120;

class Formula {
 public:
  // Parses `text`. Reports the first syntax error: unknown function (with a
  // did-you-mean), wrong argument count, a window that is not a whole-number
  // literal in range, unbalanced parentheses, a stray character. Whether the
  // referenced metrics exist is the rule loader's check, not the parser's.
  static std::variant<Formula, FormulaError> parse(std::string_view text);

  const std::string& text() const { return text_; }
  // Every metric id the formula reads, in order of appearance (with repeats).
  const std::vector<MetricReference>& references() const { return references_; }

  // The value at reporting month `month`. Missing when any month it reads is
  // missing or a division by zero occurs; `why_missing` then names the first cause.
  MonthValue evaluate(YearMonth month, const MetricLookup& lookup) const;

  // Implementation detail, public only so the parser in formula.cpp can build it.
  struct Expression;

 private:
  std::string text_;
  std::vector<MetricReference> references_;
  std::shared_ptr<const Expression> root_;
};

// The function names the formula language knows, for documentation and messages.
const std::vector<std::string>& formula_functions();

}  // namespace zielwerk::rules
