// Unit tests for rule files (`zielwerk test FILE`), in the spirit of
// `promtool test rules`: a test case gives input series in a compact notation
// and the goal statuses it expects for one reporting month.
//
//   tests:
//     - name: iq-frauen is met with steady figures
//       period: 2025-06
//       series:
//         integrationen_frauen: "2024-07: 130x12"
//         elb_frauen: "2024-07: 10000+10x12"
//       expect:
//         iq-frauen: met
//         iq-maenner: {status: at_risk, actual: 12.4, soll: 12.9}
//         lzb-frauen: {status: no_data}
//
// Loading validates the file against the rule set (metrics, goals and
// milestones must exist); running evaluates each case with the pure Evaluator.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::rules {

// One metric's input: values from `start` on; nullopt is a missing month.
struct SeriesInput {
  std::string metric;
  YearMonth start;
  std::vector<std::optional<double>> values;
  SourceLocation location;
};

struct Expectation {
  std::string goal;
  GoalStatus status = GoalStatus::no_data;
  std::optional<double> actual;  // compared within kActualTolerance
  std::optional<double> soll;    // target goals: the Soll at the period, likewise
  SourceLocation location;
};

inline constexpr double kActualTolerance = 0.005;

struct RuleTestCase {
  std::string name;
  YearMonth period;
  std::chrono::year_month_day as_of;  // default: the last day of `period`
  std::vector<SeriesInput> series;
  MilestoneProgress milestones;
  std::vector<Expectation> expectations;
  SourceLocation location;
};

struct RuleTestFile {
  std::string display_name;
  std::vector<RuleTestCase> cases;
};

// Parses the series notation "START: v v ...", where a value is a number, `_`
// (missing), `vxN` (N times v), `a+bxN` / `a-bxN` (N values rising or falling
// by b) or `_xN` (N missing). Returns the error message (no location) on failure.
struct SeriesParse {
  std::optional<YearMonth> start;
  std::vector<std::optional<double>> values;
  std::string error;  // empty on success
  std::size_t error_offset = 0;
};
SeriesParse parse_series_notation(std::string_view text);

// Reads a rule-test file and checks it against `rules`: series must name base
// series, expectations existing goals and statuses their kind can have,
// milestones existing milestones. Returns nullopt when there are errors.
std::optional<RuleTestFile> load_rule_test_file(const FileReference& file, const RuleSet& rules,
                                                Diagnostics& diagnostics,
                                                const YamlLimits& limits = {});
// The same from a text in memory, for tests.
std::optional<RuleTestFile> load_rule_test_source(const std::string& display_name,
                                                  std::string source, const RuleSet& rules,
                                                  Diagnostics& diagnostics,
                                                  const YamlLimits& limits = {});

struct CaseOutcome {
  const RuleTestCase* test_case = nullptr;
  // One line per unmet expectation, e.g.
  //   "tests/goals.test.yaml:14:7: iq-frauen: expected met, got at_risk (actual 15.2)".
  std::vector<std::string> failures;

  bool passed() const { return failures.empty(); }
};

std::vector<CaseOutcome> run_rule_tests(const RuleTestFile& file, const RuleSet& rules);

// Keys per JSON Schema $defs name (testFile, testCase), for the schema sync test.
std::map<std::string, std::vector<std::string>> rule_test_file_keys();

}  // namespace zielwerk::rules
