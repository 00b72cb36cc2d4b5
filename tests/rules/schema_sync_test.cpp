// The JSON Schemas under docs/schema/ are what editors validate rule files
// with. They must accept exactly the keys zielwerk accepts, or users get
// red squiggles on valid files (or none on typos): this test keeps them in step.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "zielwerk/rules/project_config.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/rules/rule_testing.h"

namespace zielwerk::rules {
namespace {

using Keys = std::map<std::string, std::vector<std::string>>;

nlohmann::json load_schema(const std::string& name) {
  return nlohmann::json::parse(
      zielwerk::testing::read_file(zielwerk::testing::source_dir() / "docs/schema" / name));
}

std::vector<std::string> sorted_unique(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void expect_schema_matches(const std::string& file, const Keys& code_keys) {
  const nlohmann::json schema = load_schema(file);
  ASSERT_TRUE(schema.contains("$defs")) << file;
  for (const auto& [definition, keys] : code_keys) {
    SCOPED_TRACE(file + " $defs/" + definition);
    ASSERT_TRUE(schema["$defs"].contains(definition));
    const auto& def = schema["$defs"][definition];
    EXPECT_EQ(def.value("additionalProperties", true), false);
    std::vector<std::string> schema_keys;
    for (const auto& [key, value] : def["properties"].items())
      schema_keys.push_back(key);
    EXPECT_EQ(sorted_unique(schema_keys), sorted_unique(keys));
  }
}

TEST(SchemaSyncTest, RuleFileSchemaMatchesTheLoader) {
  expect_schema_matches("rules.schema.json", rule_file_keys());
}

TEST(SchemaSyncTest, ProjectFileSchemaMatchesTheLoader) {
  expect_schema_matches("zielwerk.schema.json", project_file_keys());
}

TEST(SchemaSyncTest, RuleTestSchemaMatchesTheLoader) {
  expect_schema_matches("rule-test.schema.json", rule_test_file_keys());
}

}  // namespace
}  // namespace zielwerk::rules
