#include "zielwerk/rules/rule_testing.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "zielwerk/common/text.h"
#include "zielwerk/rules/object_reader.h"

namespace zielwerk::rules {
namespace {

const std::vector<std::string> kTestFileKeys = {"tests"};
const std::vector<std::string> kTestCaseKeys = {"name",   "period",     "as_of",
                                                "series", "milestones", "expect"};
const std::vector<std::string> kExpectationKeys = {"status", "actual", "soll"};

// A test case may give at most this many months per series (100 years): the
// notation `1x999999999` must not allocate gigabytes.
constexpr std::size_t kMaxSeriesValues = 1200;

std::string format_value(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

std::string format_location(const SourceLocation& location) {
  return location.file + ":" + std::to_string(location.line) + ":" +
         std::to_string(location.column);
}

// The statuses a goal of each kind can have.
std::vector<std::string> statuses_for(GoalKind kind) {
  switch (kind) {
    case GoalKind::target:
      return {"met", "at_risk", "missed", "no_data"};
    case GoalKind::monitoring:
      return {"observed", "no_data"};
    case GoalKind::milestone:
      return {"done", "open", "overdue"};
  }
  return {};
}

// One token of the series notation: NUMBER ([+-]NUMBER)? (xCOUNT)? or _ (xCOUNT)?
bool parse_series_token(std::string_view token, std::vector<std::optional<double>>& values,
                        std::string& error) {
  std::size_t count = 1;
  std::string_view head = token;
  if (const auto x = token.rfind('x'); x != std::string_view::npos) {
    head = token.substr(0, x);
    const auto count_text = token.substr(x + 1);
    const auto parsed = parse_number(count_text);
    if (!parsed || *parsed < 1 || std::floor(*parsed) != *parsed || count_text.empty()) {
      error = "'" + std::string(token) + "': the count after 'x' must be a whole number from 1";
      return false;
    }
    if (*parsed > static_cast<double>(kMaxSeriesValues)) {
      error = "'" + std::string(token) + "': a series holds at most " +
              std::to_string(kMaxSeriesValues) + " months";
      return false;
    }
    count = static_cast<std::size_t>(*parsed);
  }
  if (head == "_") {
    values.insert(values.end(), count, std::nullopt);
    return true;
  }
  // A step needs a sign after the first character (which may itself be a sign).
  std::string_view first_text = head;
  std::optional<double> step;
  for (std::size_t i = 1; i < head.size(); ++i) {
    if ((head[i] == '+' || head[i] == '-') && head[i - 1] != 'e' && head[i - 1] != 'E') {
      first_text = head.substr(0, i);
      const auto step_text = head.substr(i + 1);
      step = parse_number(step_text);
      if (!step) {
        error = "'" + std::string(token) + "': expected a step after '" + head[i] + "'";
        return false;
      }
      if (head[i] == '-') *step = -*step;
      if (token.rfind('x') == std::string_view::npos) {
        error = "'" + std::string(token) + "': a step needs a count, e.g. '" + std::string(head) +
                "x12'";
        return false;
      }
      break;
    }
  }
  const auto first = parse_number(first_text);
  if (!first) {
    error = "'" + std::string(token) + "' is not a value (a number, '_', 'vxN' or 'a+bxN')";
    return false;
  }
  for (std::size_t i = 0; i < count; ++i) {
    values.emplace_back(*first + static_cast<double>(i) * step.value_or(0));
  }
  return true;
}

class TestFileDecoder {
 public:
  TestFileDecoder(const RuleSet& rules, Diagnostics& diagnostics)
      : rules_(rules), diagnostics_(diagnostics) {}

  RuleTestFile decode(const Document& document) {
    RuleTestFile file;
    file.display_name = document.file();
    ObjectReader root(document.root(), "", kTestFileKeys, diagnostics_);
    if (!root.is_map()) return file;
    const Node* tests = root.list("tests", true);
    if (tests == nullptr) return file;
    if (tests->items().empty()) root.error("tests", "the list must not be empty");
    std::set<std::string> names;
    for (std::size_t i = 0; i < tests->items().size(); ++i) {
      auto test_case = decode_case(*tests->items()[i], root.child_path("tests", i));
      if (!test_case) continue;
      if (!names.insert(test_case->name).second) {
        diagnostics_.error(
            test_case->location,
            root.child_path("tests", i) + ": a second test named '" + test_case->name + "'");
      }
      file.cases.push_back(std::move(*test_case));
    }
    return file;
  }

 private:
  std::optional<RuleTestCase> decode_case(const Node& node, const std::string& path) {
    ObjectReader reader(node, path, kTestCaseKeys, diagnostics_);
    if (!reader.is_map()) return std::nullopt;
    RuleTestCase test_case;
    test_case.location = node.location();
    const auto name = reader.text("name", true);
    const auto period = reader.period("period", true);
    const auto as_of = reader.date("as_of", false);
    if (name) test_case.name = *name;
    if (period) test_case.period = *period;
    if (as_of) {
      test_case.as_of = *as_of;
    } else if (period) {
      test_case.as_of = period->last_day();
    }
    decode_series(reader, test_case);
    decode_milestones(reader, test_case);
    decode_expectations(reader, test_case);
    if (!name || !period) return std::nullopt;
    return test_case;
  }

  void decode_series(ObjectReader& reader, RuleTestCase& test_case) {
    const Node* series = reader.get("series");
    if (series == nullptr) return;
    if (!series->is_map()) {
      reader.error("series", "expected a map of metric ids to series, got " + series->describe());
      return;
    }
    for (const auto& entry : series->entries()) {
      const std::string where = reader.child_path("series") + "." + entry.key;
      const Metric* metric = rules_.find_metric(entry.key);
      if (metric == nullptr) {
        diagnostics_.error(entry.key_location, where + ": unknown metric '" + entry.key + "'" +
                                                   did_you_mean(entry.key, rules_.metric_ids()));
        continue;
      }
      if (!metric->is_base_series()) {
        diagnostics_.error(
            entry.key_location,
            where + ": '" + entry.key + "' is derived by a formula; give the base series it reads");
        continue;
      }
      const Node& value = *entry.value;
      if (!value.is_scalar()) {
        diagnostics_.error(
            value.location(),
            where + ": expected a series like \"2024-07: 130x12\", got " + value.describe());
        continue;
      }
      SeriesParse parsed = parse_series_notation(value.text());
      if (!parsed.error.empty()) {
        diagnostics_.error(value.location_of_offset(parsed.error_offset),
                           where + ": " + parsed.error);
        continue;
      }
      test_case.series.push_back(
          {entry.key, *parsed.start, std::move(parsed.values), value.location()});
    }
  }

  void decode_milestones(ObjectReader& reader, RuleTestCase& test_case) {
    const Node* milestones = reader.get("milestones");
    if (milestones == nullptr) return;
    if (!milestones->is_map()) {
      reader.error("milestones",
                   "expected a map of goal ids to done milestones, got " + milestones->describe());
      return;
    }
    for (const auto& goal_entry : milestones->entries()) {
      const std::string path = reader.child_path("milestones") + "." + goal_entry.key;
      const Goal* goal = find_goal(goal_entry.key, goal_entry.key_location, path);
      if (goal == nullptr) continue;
      const auto* spec = std::get_if<MilestoneSpec>(&goal->spec);
      if (spec == nullptr) {
        diagnostics_.error(goal_entry.key_location, path + ": '" + goal->id + "' is a " +
                                                        to_string(goal->kind()) +
                                                        " goal, not a milestone goal");
        continue;
      }
      const Node& done = *goal_entry.value;
      if (!done.is_map()) {
        diagnostics_.error(
            done.location(),
            path + ": expected a map of milestone ids to dates, got " + done.describe());
        continue;
      }
      auto& progress = test_case.milestones[goal->id];
      for (const auto& entry : done.entries()) {
        const std::string where = path + "." + entry.key;
        if (spec->find(entry.key) == nullptr) {
          std::vector<std::string> ids;
          for (const auto& m : spec->milestones)
            ids.push_back(m.id);
          diagnostics_.error(entry.key_location, where + ": unknown milestone '" + entry.key +
                                                     "' of goal '" + goal->id + "'" +
                                                     did_you_mean(entry.key, ids));
          continue;
        }
        const auto date = entry.value->is_scalar() ? parse_date(entry.value->text()) : std::nullopt;
        if (!date) {
          diagnostics_.error(entry.value->location(),
                             where +
                                 ": expected a date YYYY-MM-DD that exists in the calendar, got " +
                                 entry.value->describe());
          continue;
        }
        progress[entry.key] = *date;
      }
      if (spec->ordered) check_order(*spec, progress, done, path);
    }
  }

  // In an ordered goal a milestone is done only after the one before it.
  void check_order(const MilestoneSpec& spec,
                   const std::map<std::string, std::chrono::year_month_day, std::less<>>& progress,
                   const Node& node, const std::string& path) {
    for (std::size_t i = 1; i < spec.milestones.size(); ++i) {
      const auto it = progress.find(spec.milestones[i].id);
      if (it == progress.end()) continue;
      const auto before = progress.find(spec.milestones[i - 1].id);
      if (before == progress.end() || before->second > it->second) {
        const MapEntry* entry = node.find(spec.milestones[i].id);
        diagnostics_.error(entry->key_location,
                           path + "." + spec.milestones[i].id + ": the goal is ordered; '" +
                               spec.milestones[i].id + "' cannot be done before '" +
                               spec.milestones[i - 1].id + "'");
      }
    }
  }

  void decode_expectations(ObjectReader& reader, RuleTestCase& test_case) {
    const Node* expect = reader.get("expect");
    if (expect == nullptr) {
      reader.error_at(reader.node().location(), "missing required key 'expect'");
      return;
    }
    if (!expect->is_map() || expect->entries().empty()) {
      reader.error("expect", "expected a map of goal ids to statuses, got " + expect->describe());
      return;
    }
    for (const auto& entry : expect->entries()) {
      const std::string path = reader.child_path("expect") + "." + entry.key;
      const Goal* goal = find_goal(entry.key, entry.key_location, path);
      if (goal == nullptr) continue;
      Expectation expectation;
      expectation.goal = goal->id;
      expectation.location = entry.key_location;
      const Node* status_node = entry.value;
      if (entry.value->is_map()) {
        ObjectReader detail(*entry.value, path, kExpectationKeys, diagnostics_);
        status_node = detail.get("status");
        if (status_node == nullptr) {
          detail.error_at(entry.value->location(), "missing required key 'status'");
          continue;
        }
        if (detail.has("actual")) {
          if (goal->kind() == GoalKind::milestone) {
            detail.error("actual", "a milestone goal has no actual value");
            continue;
          }
          expectation.actual = detail.number("actual", true);
          if (!expectation.actual) continue;
        }
        if (detail.has("soll")) {
          if (goal->kind() != GoalKind::target) {
            detail.error("soll", "only a target goal has a Soll");
            continue;
          }
          expectation.soll = detail.number("soll", true);
          if (!expectation.soll) continue;
        }
      }
      const auto allowed = statuses_for(goal->kind());
      const std::string word = status_node->is_scalar() ? status_node->text() : "";
      if (std::find(allowed.begin(), allowed.end(), word) == allowed.end()) {
        diagnostics_.error(status_node->location(),
                           path + ": a " + to_string(goal->kind()) + " goal's status is one of " +
                               join(allowed, ", ") + ", got " + status_node->describe() +
                               did_you_mean(word, allowed));
        continue;
      }
      expectation.status = *parse_goal_status(word);
      test_case.expectations.push_back(std::move(expectation));
    }
  }

  const Goal* find_goal(const std::string& id, const SourceLocation& where,
                        const std::string& path) {
    const Goal* goal = rules_.find_goal(id);
    if (goal == nullptr) {
      diagnostics_.error(
          where, path + ": unknown goal '" + id + "'" + did_you_mean(id, rules_.goal_ids()));
    }
    return goal;
  }

  const RuleSet& rules_;
  Diagnostics& diagnostics_;
};

std::optional<RuleTestFile> decode_document(std::optional<Document> document, const RuleSet& rules,
                                            Diagnostics& diagnostics, std::size_t errors_before) {
  if (!document) return std::nullopt;
  TestFileDecoder decoder(rules, diagnostics);
  RuleTestFile file = decoder.decode(*document);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return file;
}

}  // namespace

SeriesParse parse_series_notation(std::string_view text) {
  SeriesParse result;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    result.error = "expected 'START: values', e.g. \"2024-07: 130x12\"";
    return result;
  }
  std::string_view start_text = text.substr(0, colon);
  while (!start_text.empty() && start_text.back() == ' ')
    start_text.remove_suffix(1);
  std::size_t start_offset = 0;
  while (start_offset < start_text.size() && start_text[start_offset] == ' ')
    ++start_offset;
  result.start = YearMonth::parse(start_text.substr(start_offset));
  if (!result.start) {
    result.error = "the series must start with a month YYYY-MM, got '" +
                   std::string(start_text.substr(start_offset)) + "'";
    result.error_offset = start_offset;
    return result;
  }
  std::size_t pos = colon + 1;
  while (pos < text.size()) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t')
      ++end;
    if (!parse_series_token(text.substr(pos, end - pos), result.values, result.error)) {
      result.error_offset = pos;
      return result;
    }
    if (result.values.size() > kMaxSeriesValues) {
      result.error = "a series holds at most " + std::to_string(kMaxSeriesValues) + " months";
      result.error_offset = pos;
      return result;
    }
    pos = end;
  }
  if (result.values.empty()) {
    result.error = "the series has no values after the start month";
    result.error_offset = colon;
  }
  return result;
}

std::optional<RuleTestFile> load_rule_test_file(const FileReference& file, const RuleSet& rules,
                                                Diagnostics& diagnostics,
                                                const YamlLimits& limits) {
  const std::size_t errors_before = diagnostics.error_count();
  return decode_document(load_yaml_file(file.path, file.display_name, diagnostics, limits), rules,
                         diagnostics, errors_before);
}

std::optional<RuleTestFile> load_rule_test_source(const std::string& display_name,
                                                  std::string source, const RuleSet& rules,
                                                  Diagnostics& diagnostics,
                                                  const YamlLimits& limits) {
  const std::size_t errors_before = diagnostics.error_count();
  return decode_document(parse_yaml(std::move(source), display_name, diagnostics, limits), rules,
                         diagnostics, errors_before);
}

std::vector<CaseOutcome> run_rule_tests(const RuleTestFile& file, const RuleSet& rules) {
  std::vector<CaseOutcome> outcomes;
  for (const auto& test_case : file.cases) {
    const MetricLookup series = [&test_case](std::string_view metric, YearMonth month) {
      for (const auto& input : test_case.series) {
        if (input.metric != metric) continue;
        const int index = month.months_since(input.start);
        if (index < 0 || index >= static_cast<int>(input.values.size())) break;
        const auto& value = input.values[static_cast<std::size_t>(index)];
        if (value) return MonthValue::of(*value);
        return MonthValue::missing(std::string(metric) + " " + month.to_string() +
                                   " is missing ('_')");
      }
      return MonthValue::missing(std::string(metric) + " " + month.to_string() + " is not given");
    };
    Evaluator evaluator(rules, series);
    CaseOutcome outcome;
    outcome.test_case = &test_case;
    for (const auto& expectation : test_case.expectations) {
      const Goal& goal = *rules.find_goal(expectation.goal);
      const GoalResult result =
          evaluator.evaluate(goal, test_case.period, test_case.as_of, test_case.milestones);
      std::string problem;
      if (result.status != expectation.status) {
        problem = "expected " + to_string(expectation.status) + ", got " + to_string(result.status);
      }
      if (expectation.actual &&
          (!result.actual || std::fabs(*result.actual - *expectation.actual) > kActualTolerance)) {
        if (!problem.empty()) problem += "; ";
        problem += "expected actual " + format_value(*expectation.actual) + " (±" +
                   format_value(kActualTolerance) + "), got " +
                   (result.actual ? format_value(*result.actual) : std::string("no value"));
      }
      if (expectation.soll &&
          (!result.soll || std::fabs(*result.soll - *expectation.soll) > kActualTolerance)) {
        if (!problem.empty()) problem += "; ";
        problem +=
            "expected soll " + format_value(*expectation.soll) + " (±" +
            format_value(kActualTolerance) + "), got " +
            (result.soll ? format_value(*result.soll) : "none (" + result.soll_why_missing + ")");
      }
      if (problem.empty()) continue;
      if (result.actual && problem.find("actual") == std::string::npos) {
        problem += " (actual " + format_value(*result.actual) + ")";
      }
      if (!result.actual && !result.why_missing.empty()) {
        problem += " (" + result.why_missing + ")";
      }
      outcome.failures.push_back(format_location(expectation.location) + ": " + goal.id + ": " +
                                 problem);
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

std::map<std::string, std::vector<std::string>> rule_test_file_keys() {
  return {{"testFile", kTestFileKeys}, {"testCase", kTestCaseKeys}};
}

}  // namespace zielwerk::rules
