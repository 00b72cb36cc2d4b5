// The valid rule set under tests/corpus/base/, which the corpus cases and
// several module tests build on.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_support.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::testing {

// (display name, content) of the base rule files; names are `prefix` + file name.
inline std::vector<std::pair<std::string, std::string>> base_rule_sources(
    const std::string& prefix = "base/") {
  std::vector<std::pair<std::string, std::string>> sources;
  for (const char* name : {"agreement.yaml", "metrics.yaml", "goals.yaml"}) {
    sources.emplace_back(prefix + name, read_file(source_dir() / "tests/corpus/base" / name));
  }
  return sources;
}

// The base rule set, loaded; a test fails if it does not load cleanly.
inline rules::RuleSet base_rule_set() {
  Diagnostics diagnostics;
  auto rules = rules::load_rule_set_from_sources(base_rule_sources(), diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << ::testing::PrintToString(lines(diagnostics));
  return rules ? std::move(*rules) : rules::RuleSet{};
}

}  // namespace zielwerk::testing
