// The corpus of broken files under tests/corpus/: each file states, in
// `# expect:` comment lines, exactly the diagnostics zielwerk must print for it
// (line:col: severity: message; the file name is prefixed by the test). Rule
// files are loaded together with the valid rule set in tests/corpus/base/;
// workflow and rule-test files are checked against that rule set.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "corpus_support.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/rules/rule_testing.h"

namespace zielwerk::rules {
namespace {

namespace fs = std::filesystem;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;

fs::path corpus_dir() {
  return source_dir() / "tests" / "corpus";
}

std::vector<std::string> case_files(const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(corpus_dir() / kind)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::pair<std::string, std::string>> base_sources() {
  return zielwerk::testing::base_rule_sources();
}

// "# expect: 3:7: error: ..." -> "<display>:3:7: error: ..."
std::vector<std::string> expected_lines(const std::string& content, const std::string& display) {
  std::vector<std::string> expected;
  std::istringstream in(content);
  const std::string marker = "# expect: ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(marker, 0) == 0) expected.push_back(display + ":" + line.substr(marker.size()));
  }
  return expected;
}

using zielwerk::testing::base_rule_set;

class RuleFileCorpus : public ::testing::TestWithParam<std::string> {};
class RuleTestFileCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFileCorpus, ReportsExactlyTheExpectedDiagnostics) {
  const std::string display = "rules/" + GetParam();
  const std::string content = read_file(corpus_dir() / display);
  const auto expected = expected_lines(content, display);
  ASSERT_FALSE(expected.empty()) << display << " has no '# expect:' line";

  auto sources = base_sources();
  sources.emplace_back(display, content);
  Diagnostics diagnostics;
  const auto rules = load_rule_set_from_sources(sources, diagnostics);
  diagnostics.sort();
  EXPECT_EQ(zielwerk::testing::lines(diagnostics), expected);
  EXPECT_EQ(rules.has_value(), !diagnostics.has_errors());
}

TEST_P(RuleTestFileCorpus, ReportsExactlyTheExpectedDiagnostics) {
  const std::string display = "rule-tests/" + GetParam();
  const std::string content = read_file(corpus_dir() / display);
  const auto expected = expected_lines(content, display);
  ASSERT_FALSE(expected.empty()) << display << " has no '# expect:' line";

  const RuleSet rules = base_rule_set();
  Diagnostics diagnostics;
  const auto file = load_rule_test_source(display, content, rules, diagnostics);
  diagnostics.sort();
  EXPECT_EQ(zielwerk::testing::lines(diagnostics), expected);
  EXPECT_FALSE(file.has_value());
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);  // without ".yaml"
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, RuleFileCorpus, ::testing::ValuesIn(case_files("rules")),
                         test_name);
INSTANTIATE_TEST_SUITE_P(Corpus, RuleTestFileCorpus, ::testing::ValuesIn(case_files("rule-tests")),
                         test_name);

TEST(Corpus, HoldsAtLeastThirtyBrokenRuleFiles) {
  EXPECT_GE(case_files("rules").size(), 30u);
}

TEST(Corpus, BaseRuleSetIsValid) {
  const RuleSet rules = base_rule_set();
  EXPECT_EQ(rules.goals.size(), 4u);
}

}  // namespace
}  // namespace zielwerk::rules
