#include "zielwerk/engine/project.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::lines;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

using zielwerk::testing::example_files::kExample;

TEST(ExampleProjectTest, IsValid) {
  Diagnostics diagnostics;
  const auto project = load_project(kExample, diagnostics);
  ASSERT_TRUE(project.has_value()) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_FALSE(diagnostics.has_errors());
  EXPECT_EQ(project->rules.agreement.id, "me-aktiv-2025");
  EXPECT_EQ(project->rules.agreement.year, 2025);
  EXPECT_EQ(project->config.time_zone, "Europe/Berlin");
  EXPECT_FALSE(project->workflows.empty());
  EXPECT_FALSE(project->tests.empty());
}

// The goal ids, sections and kinds the contracts promise for the example.
TEST(ExampleProjectTest, EncodesTheTwelveGoalsOfTheContract) {
  Diagnostics diagnostics;
  const auto project = load_project(kExample, diagnostics);
  ASSERT_TRUE(project.has_value()) << ::testing::PrintToString(lines(diagnostics));
  using rules::Comparison;
  using rules::GoalKind;
  using rules::Responsibility;
  struct Expected {
    const char* id;
    const char* section;
    GoalKind kind;
    Responsibility responsibility;
    bool binding;
  };
  const Expected expected[] = {
      {"iq-gesamt", "I", GoalKind::target, std::string("BA"), false},
      {"iq-frauen", "I", GoalKind::target, std::string("BA"), true},
      {"iq-maenner", "I", GoalKind::target, std::string("BA"), true},
      {"lzb-gesamt", "I", GoalKind::target, std::string("BA"), false},
      {"lzb-frauen", "I", GoalKind::target, std::string("BA"), true},
      {"lzb-maenner", "I", GoalKind::target, std::string("BA"), true},
      {"llu-monitoring", "II", GoalKind::monitoring, std::string("BA"), true},
      {"fbw-absolventenmanagement", "III", GoalKind::target, std::string("BA"), true},
      {"persoenliche-beratungen", "III", GoalKind::target, std::string("BA"), true},
      {"kdu-kostensenkung", "IV", GoalKind::target, std::string("kommunal"), true},
      {"kommunale-eingliederung-schulungen", "IV", GoalKind::milestone, std::string("kommunal"),
       true},
      {"but-lernfoerderung", "IV", GoalKind::milestone, std::string("kommunal"), true},
  };
  EXPECT_EQ(project->rules.goals.size(), std::size(expected));
  for (const auto& e : expected) {
    SCOPED_TRACE(e.id);
    const rules::Goal* goal = project->rules.find_goal(e.id);
    ASSERT_NE(goal, nullptr);
    EXPECT_EQ(goal->section, e.section);
    EXPECT_EQ(goal->kind(), e.kind);
    EXPECT_EQ(goal->responsibility, e.responsibility);
    EXPECT_EQ(goal->binding, e.binding);
  }
  const auto op = [&](const char* id) {
    return std::get<rules::TargetSpec>(project->rules.find_goal(id)->spec).op;
  };
  EXPECT_EQ(op("iq-frauen"), Comparison::at_least);
  EXPECT_EQ(op("lzb-frauen"), Comparison::at_most);
  EXPECT_EQ(op("persoenliche-beratungen"), Comparison::more_than);
  EXPECT_EQ(op("kdu-kostensenkung"), Comparison::at_least);
  // The BuT information meeting can only follow the guideline being sent out.
  EXPECT_TRUE(
      std::get<rules::MilestoneSpec>(project->rules.find_goal("but-lernfoerderung")->spec).ordered);
  // Every base series of the contract can be imported.
  for (const char* series :
       {"integrationen_frauen", "integrationen_maenner", "elb_frauen", "elb_maenner", "lzb_frauen",
        "lzb_maenner", "llu_summe", "fbw_absolventen", "fbw_absolventen_betreut",
        "beratungen_gesamt", "beratungen_persoenlich", "kdu_faelle_karenzende",
        "kdu_verfahren_abgearbeitet"}) {
    const rules::Metric* metric = project->rules.find_metric(series);
    ASSERT_NE(metric, nullptr) << series;
    EXPECT_TRUE(metric->is_base_series()) << series;
  }
}

TEST(ExampleProjectTest, ItsRuleTestsPass) {
  Diagnostics diagnostics;
  const auto project = load_project(kExample, diagnostics);
  ASSERT_TRUE(project.has_value());
  std::size_t cases = 0;
  for (const auto& file : project->tests) {
    for (const auto& outcome : rules::run_rule_tests(file, project->rules)) {
      ++cases;
      EXPECT_TRUE(outcome.passed())
          << outcome.test_case->name << ": " << ::testing::PrintToString(outcome.failures);
    }
  }
  EXPECT_GE(cases, 8u);
}

TEST(ExampleProjectTest, SummaryNamesTheAgreementAndTheRuleSetVersion) {
  Diagnostics diagnostics;
  const auto project = load_project(kExample, diagnostics);
  ASSERT_TRUE(project.has_value());
  const std::string summary = summarize(*project);
  EXPECT_EQ(summary.rfind("me-aktiv-2025: 12 goals, ", 0), 0u) << summary;
  EXPECT_NE(summary.find("valid (rule set " + project->rules.version.substr(0, 12) + ")"),
            std::string::npos)
      << summary;
}

TEST(ExampleProjectTest, TheRuleSetVersionDoesNotDependOnHowTheProjectIsNamed) {
  Diagnostics diagnostics;
  const auto absolute = load_project(kExample, diagnostics);
  const auto relative = load_project(std::filesystem::relative(kExample), diagnostics);
  const auto trailing = load_project(kExample.string() + "/", diagnostics);
  ASSERT_TRUE(absolute && relative && trailing);
  EXPECT_EQ(absolute->rules.version, relative->rules.version);
  EXPECT_EQ(absolute->rules.version, trailing->rules.version);
}

// A small project with a valid rule set and problems in the files that depend on it.
class BrokenProjectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"agreement.yaml", "metrics.yaml", "goals.yaml"}) {
      write_file(dir.path() / "rules" / name,
                 zielwerk::testing::read_file(source_dir() / "tests/corpus/base" / name));
    }
  }
  std::string name(const char* file) const {
    return (dir.path() / file).lexically_normal().generic_string();
  }
  TempDir dir;
};

TEST_F(BrokenProjectTest, ReportsProblemsAcrossFilesSortedByFile) {
  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 1
time_zone: Europe/Bonn
rules: [rules/agreement.yaml, rules/metrics.yaml, rules/goals.yaml]
workflows: [workflows/review.yaml]
tests: [tests/t.yaml]
actors:
  - {id: controlling, name: Controlling, party: jobcentre, roles: [coordinator]}
)");
  write_file(dir.path() / "workflows/review.yaml", R"(workflow:
  id: review
  title: Review
  participants: [agentur, jobcenter]
  scope: {goals: [iq-gesamtt]}
  meetings: {frequency: monthly, weekday: tuesday, week: 2, time: "10:00"}
)");
  write_file(dir.path() / "tests/t.yaml",
             "tests:\n  - {name: a, period: 2025-06, expect: {x: met}}\n");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_project(dir.path(), diagnostics).has_value());
  const std::vector<std::string> expected = {
      name("tests/t.yaml") + ":2:41: error: tests[0].expect.x: unknown goal 'x'",
      name("workflows/review.yaml") +
          ":5:19: error: workflow \"review\".scope: goals: unknown goal 'iq-gesamtt' (did you mean "
          "'iq-gesamt'?)",
      name("zielwerk.yaml") +
          ":2:12: error: time_zone: unknown time zone 'Europe/Bonn' (an IANA name such as "
          "Europe/Berlin)",
      name("zielwerk.yaml") +
          ":7:49: error: actors[0] \"controlling\".party: unknown party 'jobcentre' (did you mean "
          "'jobcenter'?)",
  };
  EXPECT_EQ(lines(diagnostics), expected);
}

TEST_F(BrokenProjectTest, AnUnknownHolidayRegionOrRegionalDayIsACheckError) {
  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 1
holiday_region: DE-BX
rules: [rules/agreement.yaml, rules/metrics.yaml, rules/goals.yaml]
)");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_project(dir.path(), diagnostics).has_value());
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{
                name("zielwerk.yaml") +
                ":2:17: error: holiday_region: unknown region 'DE-BX' (did you mean 'DE-BW'?); a "
                "Land by its ISO 3166-2 code: DE-BW, DE-BY, DE-BE, DE-BB, DE-HB, DE-HH, DE-HE, "
                "DE-MV, DE-NI, DE-NW, DE-RP, DE-SL, DE-SN, DE-ST, DE-SH, DE-TH"});

  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 1
holiday_region: DE-BY
regional_holidays: [mariae-himmelfahrt, fronleichnam]
rules: [rules/agreement.yaml, rules/metrics.yaml, rules/goals.yaml]
)");
  Diagnostics regional;
  EXPECT_FALSE(load_project(dir.path(), regional).has_value());
  EXPECT_EQ(
      lines(regional),
      std::vector<std::string>{
          name("zielwerk.yaml") +
          ":3:41: error: regional_holidays: 'fronleichnam' is not a regional holiday of DE-BY "
          "(Bayern); it has mariae-himmelfahrt, augsburger-friedensfest"});

  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 1
holiday_region: DE-SN
regional_holidays: [fronleichnam]
rules: [rules/agreement.yaml, rules/metrics.yaml, rules/goals.yaml]
)");
  Diagnostics valid;
  const auto project = load_project(dir.path(), valid);
  ASSERT_TRUE(project.has_value()) << ::testing::PrintToString(lines(valid));
  EXPECT_EQ(calendar_of(*project).holidays.regional, std::vector<std::string>{"fronleichnam"});
}

TEST_F(BrokenProjectTest, AnInvalidRuleSetIsReportedWithoutFollowUpErrors) {
  write_file(dir.path() / "rules/goals.yaml", "goals: [{id: x, title: X, section: I}]\n");
  write_file(dir.path() / "zielwerk.yaml",
             "zielwerk: 1\nrules: [rules/agreement.yaml, rules/metrics.yaml, rules/goals.yaml]\n");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_project(dir.path(), diagnostics).has_value());
  for (const auto& line : lines(diagnostics)) {
    EXPECT_NE(line.find("rules/"), std::string::npos) << line;
  }
  EXPECT_TRUE(diagnostics.has_errors());
}

TEST(WorkflowSchemaTest, MatchesTheLoader) {
  const auto schema = nlohmann::json::parse(
      zielwerk::testing::read_file(source_dir() / "docs/schema/workflow.schema.json"));
  for (const auto& [definition, keys] : workflows::workflow_file_keys()) {
    SCOPED_TRACE(definition);
    ASSERT_TRUE(schema["$defs"].contains(definition));
    std::vector<std::string> schema_keys;
    for (const auto& [key, value] : schema["$defs"][definition]["properties"].items()) {
      schema_keys.push_back(key);
    }
    std::vector<std::string> code_keys = keys;
    std::sort(schema_keys.begin(), schema_keys.end());
    std::sort(code_keys.begin(), code_keys.end());
    EXPECT_EQ(schema_keys, code_keys);
  }
}

}  // namespace
}  // namespace zielwerk::engine
