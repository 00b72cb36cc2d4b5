// The formula language of derived metrics, e.g. the Jahresfortschrittswert
// (JFW) of the integration quota:
//   100 * sum(integrationen_frauen, Jan..M) / mean(elb_frauen, Dec(Y-1)..M-1)
//
// A window names its months relative to the reporting month M: `M`, `M-k`,
// `Jan` (January of M's year), `Dec(Y-1)` (December of the year before), each
// with an optional offset in months (`Jan+2`, `Dec(Y-1)-1`). A window ends
// with M or a month before it (`..M`, `..M-1`), never after: the figures of
// later months are not known when M is reviewed. The numerator and the
// denominator of a quota each have their own window.
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
// `provisional` says that a figure it was computed from is still within its
// release lag (not final yet, see evaluation.h); formulas pass it on.
struct MonthValue {
  std::optional<double> number;
  std::string why_missing;
  bool provisional = false;

  static MonthValue of(double value, bool provisional = false) { return {value, {}, provisional}; }
  static MonthValue missing(std::string why) { return {std::nullopt, std::move(why), false}; }
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
  // did-you-mean), wrong argument count, a number of months that is not a
  // whole-number literal in range, a window that reads months after M, starts
  // after it ends or spans more than kMaxWindowMonths, unbalanced
  // parentheses, a stray character. Whether the referenced metrics exist is
  // the rule loader's check, not the parser's.
  static std::variant<Formula, FormulaError> parse(std::string_view text);

  const std::string& text() const { return text_; }
  // Every metric id the formula reads, in order of appearance (with repeats).
  const std::vector<MetricReference>& references() const { return references_; }

  // The value at reporting month `month`. Missing when any month it reads is
  // missing, a window holds no month at `month` (Jan..M-1 in January) or a
  // division by zero occurs; `why_missing` then names the first cause.
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
