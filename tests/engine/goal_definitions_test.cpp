// Goal definitions as canonical JSON and their differences: the example's 12 goals,
// what a definition holds (and that it holds nothing about where it was written),
// and the diff after textual edits of a copy of the example's rule files.
#include "zielwerk/engine/goal_definitions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/engine/project.h"

namespace zielwerk::engine {
namespace {

using zielwerk::testing::example;

using nlohmann::json;
using zielwerk::testing::lines;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

using zielwerk::testing::example_files::kExample;

std::optional<Project> load(const std::filesystem::path& directory) {
  Diagnostics diagnostics;
  auto project = load_project(directory, diagnostics);
  EXPECT_TRUE(project.has_value()) << ::testing::PrintToString(lines(diagnostics));
  return project;
}

// Replaces the one occurrence of `from` in `text`; fails the test when there is none or more.
void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "not found: " << from;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << "more than once: " << from;
  text.replace(at, from.size(), to);
}

// Removes the text from `first` (inclusive) to `next` (exclusive), each occurring once.
void remove_between(std::string& text, const std::string& first, const std::string& next) {
  const auto begin = text.find(first);
  ASSERT_NE(begin, std::string::npos) << "not found: " << first;
  const auto end = text.find(next, begin);
  ASSERT_NE(end, std::string::npos) << "not found: " << next;
  text.erase(begin, end - begin);
}

// A copy of the example in a temporary directory whose files the test edits.
class ExampleCopy {
 public:
  ExampleCopy() {
    std::filesystem::copy(kExample, dir_.path(), std::filesystem::copy_options::recursive);
  }
  std::filesystem::path path() const { return dir_.path(); }
  std::string read(const char* file) const { return read_file(dir_.path() / file); }
  void write(const char* file, const std::string& content) const {
    write_file(dir_.path() / file, content);
  }

 private:
  TempDir dir_;
};

TEST(GoalDefinitions, ContainAllGoalsOfTheExampleCanonically) {
  const std::string text = goal_definitions_json(example().rules);
  const json parsed = json::parse(text);
  ASSERT_TRUE(parsed.is_object());
  EXPECT_EQ(parsed.size(), 12u);
  for (const auto& id : example().rules.goal_ids())
    EXPECT_TRUE(parsed.contains(id)) << id;
  // Canonical: parsing and dumping again gives the same text (sorted keys, no whitespace).
  EXPECT_EQ(parsed.dump(), text);
  EXPECT_EQ(goal_definitions_json(example().rules), text);
}

TEST(GoalDefinitions, HoldWhatIsAgreedAndNothingAboutWhereItWasWritten) {
  const std::string text = goal_definitions_json(example().rules);
  for (const char* where : {"goals.yaml", "rules/", ".yaml", "goal_groups", "line", "column",
                            "location", "object_path", "file"}) {
    EXPECT_EQ(text.find(where), std::string::npos) << where;
  }
  const json goals = json::parse(text);

  EXPECT_EQ(goals["fbw-absolventenmanagement"], json::parse(R"({
              "title": "Qualifizierung zur nachhaltigen Sicherung von Beschäftigungsfähigkeit",
              "description": "Das Absolventenmanagement bei FbW wird zum Jahresende im JFW auf Soll (80 %) liegen.",
              "section": "III", "responsibility": "BA", "binding": true, "kind": "target",
              "target": {"metric": "fbw_absolventenmanagement_quote", "comparison": ">=",
                         "value": 80, "unit": "percent", "tolerance": 0.5,
                         "planned_change_pct": null, "soll_path": {"source": "flat"}}})"));
  // The default path (from the previous year) is not written, so definitions stored
  // before Soll paths existed compare equal; a declared path is, with its values.
  EXPECT_FALSE(goals["iq-frauen"]["target"].contains("soll_path"));
  EXPECT_FALSE(goals["iq-frauen"]["target"].contains("change_pct"));
  EXPECT_EQ(goals["kdu-kostensenkung"]["target"]["soll_path"]["source"], "declared");
  ASSERT_EQ(goals["kdu-kostensenkung"]["target"]["soll_path"]["values"].size(), 12u);
  EXPECT_EQ(goals["kdu-kostensenkung"]["target"]["soll_path"]["values"][11], 50);
  // Numbers are JSON numbers, the planned change when the agreement names one.
  EXPECT_EQ(goals["lzb-frauen"]["target"]["planned_change_pct"], json(6.5));
  EXPECT_EQ(goals["lzb-frauen"]["target"]["comparison"], "<=");
  EXPECT_EQ(goals["iq-gesamt"]["binding"], false);
  EXPECT_EQ(goals["persoenliche-beratungen"]["target"]["comparison"], ">");

  const json& llu = goals["llu-monitoring"];
  EXPECT_EQ(llu["kind"], "monitoring");
  EXPECT_EQ(llu["monitoring"], json::parse(R"({"metric": "llu_summe", "unit": "eur"})"));
  EXPECT_FALSE(llu.contains("target"));

  const json& schulungen = goals["kommunale-eingliederung-schulungen"];
  EXPECT_EQ(schulungen["kind"], "milestone");
  EXPECT_EQ(schulungen["responsibility"], "kommunal");
  EXPECT_EQ(schulungen["section"], "IV");
  EXPECT_EQ(schulungen["ordered"], true);
  EXPECT_EQ(
      schulungen["milestones"]["erste-schulung"],
      json::parse(
          R"({"title": "Erste förderspezifische Schulung zu den Leistungen nach § 16a SGB II durchgeführt",
                            "due": "2025-06-30", "position": 2})"));
  EXPECT_EQ(schulungen["milestones"]["schulungsplan"]["position"], 1);
  EXPECT_EQ(schulungen["milestones"]["schulungen-abgeschlossen"]["due"], "2025-11-30");

  // Exactly these keys per kind.
  const auto keys = [](const json& object) {
    std::vector<std::string> result;
    for (const auto& [key, value] : object.items())
      result.push_back(key);
    return result;
  };
  const std::vector<std::string> common = {"binding",        "description", "kind",
                                           "responsibility", "section",     "title"};
  auto with = [&](std::vector<std::string> extra) {
    auto all = common;
    all.insert(all.end(), extra.begin(), extra.end());
    std::sort(all.begin(), all.end());
    return all;
  };
  EXPECT_EQ(keys(goals["iq-frauen"]), with({"target"}));
  EXPECT_EQ(keys(llu), with({"monitoring"}));
  EXPECT_EQ(keys(schulungen), with({"milestones", "ordered"}));
}

TEST(GoalDefinitions, DoNotDependOnTheFileAGoalIsWrittenIn) {
  ExampleCopy copy;
  // Move section IV into a rule file of its own.
  std::string goals = copy.read("rules/goals.yaml");
  const std::string marker = "  # Section IV is municipal";
  const auto at = goals.find(marker);
  ASSERT_NE(at, std::string::npos);
  copy.write("rules/goals-kommunal.yaml", "goal_groups:\n" + goals.substr(at));
  copy.write("rules/goals.yaml", goals.substr(0, at));
  std::string config = copy.read("zielwerk.yaml");
  replace_once(config, "  - rules/goals.yaml\n",
               "  - rules/goals-kommunal.yaml\n  - rules/goals.yaml\n");
  copy.write("zielwerk.yaml", config);

  const auto moved = load(copy.path());
  ASSERT_TRUE(moved);
  EXPECT_NE(moved->rules.version, example().rules.version);
  EXPECT_EQ(goal_definitions_json(moved->rules), goal_definitions_json(example().rules));
}

TEST(GoalDefinitions, DiffListsExactlyTheEditsOfTheRuleFiles) {
  ExampleCopy copy;
  std::string goals = copy.read("rules/goals.yaml");
  // The FbW target value.
  replace_once(goals,
               "metric: fbw_absolventenmanagement_quote\n        op: \">=\"\n        target: 80\n",
               "metric: fbw_absolventenmanagement_quote\n        op: \">=\"\n        target: 85\n");
  // A milestone's title.
  replace_once(goals,
               "title: Erste förderspezifische Schulung zu den Leistungen nach § 16a SGB II "
               "durchgeführt",
               "title: Erste Schulung zu § 16a SGB II durchgeführt");
  // The LLU monitoring goal removed, a monitoring goal on the LZB stock added in its place.
  remove_between(goals, "      - id: llu-monitoring\n", "\n  - title: III) Weitere lokale Ziele");
  replace_once(goals, "      kind: monitoring\n    goals:\n",
               "      kind: monitoring\n    goals:\n"
               "      - id: lzb-monitoring\n"
               "        title: Bestand an Langzeitleistungsbeziehenden\n"
               "        description: Beobachtung des Bestands im JFW.\n"
               "        metric: lzb_gesamt_jfw\n"
               "        unit: count\n"
               "        compare: previous_year\n");
  copy.write("rules/goals.yaml", goals);
  // The rule tests of the removed goal go with it.
  std::string tests = copy.read("tests/goals.test.yaml");
  remove_between(tests, "  # period 2025-06; monitoring reads only M",
                 "  # period 2025-12 (year end)");
  copy.write("tests/goals.test.yaml", tests);

  const auto edited = load(copy.path());
  ASSERT_TRUE(edited);
  const auto changes = diff_goal_definitions(goal_definitions_json(example().rules),
                                             goal_definitions_json(edited->rules));

  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].goal, "fbw-absolventenmanagement");
  EXPECT_EQ(changes[0].kind, GoalChangeKind::changed);
  ASSERT_EQ(changes[0].fields.size(), 1u);
  EXPECT_EQ(changes[0].fields[0].field, "target.value");
  EXPECT_EQ(changes[0].fields[0].before, "80.0");  // a double, as nlohmann writes it
  EXPECT_EQ(changes[0].fields[0].after, "85.0");

  EXPECT_EQ(changes[1].goal, "kommunale-eingliederung-schulungen");
  EXPECT_EQ(changes[1].kind, GoalChangeKind::changed);
  ASSERT_EQ(changes[1].fields.size(), 1u);
  EXPECT_EQ(changes[1].fields[0].field, "milestones.erste-schulung.title");
  EXPECT_EQ(changes[1].fields[0].before,
            "\"Erste förderspezifische Schulung zu den Leistungen nach § 16a SGB II "
            "durchgeführt\"");
  EXPECT_EQ(changes[1].fields[0].after, "\"Erste Schulung zu § 16a SGB II durchgeführt\"");

  EXPECT_EQ(changes[2].goal, "llu-monitoring");
  EXPECT_EQ(changes[2].kind, GoalChangeKind::removed);
  EXPECT_TRUE(changes[2].fields.empty());
  EXPECT_EQ(changes[3].goal, "lzb-monitoring");
  EXPECT_EQ(changes[3].kind, GoalChangeKind::added);
  EXPECT_TRUE(changes[3].fields.empty());

  // The same as audit details: before/after are JSON values.
  EXPECT_EQ(json::parse(goal_changes_json(changes)), json::parse(R"([
    {"goal": "fbw-absolventenmanagement", "change": "changed",
     "fields": [{"field": "target.value", "before": 80.0, "after": 85.0}]},
    {"goal": "kommunale-eingliederung-schulungen", "change": "changed",
     "fields": [{"field": "milestones.erste-schulung.title",
                 "before": "Erste förderspezifische Schulung zu den Leistungen nach § 16a SGB II durchgeführt",
                 "after": "Erste Schulung zu § 16a SGB II durchgeführt"}]},
    {"goal": "llu-monitoring", "change": "removed", "fields": []},
    {"goal": "lzb-monitoring", "change": "added", "fields": []}])"));
}

TEST(GoalDefinitions, IdenticalRuleSetsGiveAnEmptyDiff) {
  const std::string text = goal_definitions_json(example().rules);
  EXPECT_TRUE(diff_goal_definitions(text, text).empty());
  EXPECT_EQ(goal_changes_json({}), "[]");
}

TEST(GoalDefinitions, ACommentOnlyChangeIsANewVersionButNoDiff) {
  ExampleCopy copy;
  std::string goals = copy.read("rules/goals.yaml");
  replace_once(goals, "      # Ziel: Verbesserung der Integration in Erwerbstätigkeit.",
               "      # Ziel: Verbesserung der Integration in Erwerbstätigkeit (Kommentar "
               "geändert).");
  copy.write("rules/goals.yaml", goals + "# Ein Kommentar am Ende.\n");

  const auto commented = load(copy.path());
  ASSERT_TRUE(commented);
  EXPECT_NE(commented->rules.version, example().rules.version);
  const std::string after = goal_definitions_json(commented->rules);
  EXPECT_EQ(after, goal_definitions_json(example().rules));
  EXPECT_TRUE(diff_goal_definitions(goal_definitions_json(example().rules), after).empty());
}

TEST(GoalDefinitions, WithoutAnEarlierVersionEveryGoalIsAdded) {
  const auto changes = diff_goal_definitions("", goal_definitions_json(example().rules));
  ASSERT_EQ(changes.size(), 12u);
  auto ids = example().rules.goal_ids();
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].goal, ids[i]);
    EXPECT_EQ(changes[i].kind, GoalChangeKind::added);
    EXPECT_TRUE(changes[i].fields.empty());
  }
  // And the reverse: an empty `after` removes every goal.
  const auto removed = diff_goal_definitions(goal_definitions_json(example().rules), "");
  ASSERT_EQ(removed.size(), 12u);
  EXPECT_EQ(removed.front().kind, GoalChangeKind::removed);
}

TEST(GoalDefinitions, InvalidJsonIsInvalidArgument) {
  const std::string valid = goal_definitions_json(example().rules);
  EXPECT_THROW(diff_goal_definitions("{", valid), std::invalid_argument);
  EXPECT_THROW(diff_goal_definitions(valid, "{\"a\": }"), std::invalid_argument);
  EXPECT_THROW(diff_goal_definitions("not json", ""), std::invalid_argument);
  // JSON, but not an object of goal definitions.
  EXPECT_THROW(diff_goal_definitions("[1, 2]", valid), std::invalid_argument);
  EXPECT_THROW(diff_goal_definitions(R"({"g": 1})", valid), std::invalid_argument);
  EXPECT_THROW(goal_changes_json({{"g", GoalChangeKind::changed, {{"title", "{", "null"}}}}),
               std::invalid_argument);
}

TEST(GoalDefinitions, DiffFlattensObjectsAndComparesArraysWhole) {
  const auto changes = diff_goal_definitions(
      R"({"a": {"title": "A", "target": {"value": 80, "planned_change_pct": null},
                "list": [1, 2], "milestones": {"m1": {"title": "M", "position": 1}}},
          "b": {"title": "B"}})",
      R"({"a": {"title": "A", "target": {"value": 80.0},
                "list": [2, 1], "milestones": {"m2": {"title": "M", "position": 1}},
                "ordered": false},
          "b": {"title": "B"}})");
  ASSERT_EQ(changes.size(), 1u);  // "b" is unchanged and not listed
  EXPECT_EQ(changes[0].goal, "a");
  EXPECT_EQ(changes[0].kind, GoalChangeKind::changed);
  // 80 and 80.0 are the same number; null and absent are the same; a renamed milestone is one
  // removed and one added, field by field; the array compares as a whole.
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> expected = {
      {"list", {"[1,2]", "[2,1]"}},
      {"milestones.m1.position", {"1", "null"}},
      {"milestones.m1.title", {"\"M\"", "null"}},
      {"milestones.m2.position", {"null", "1"}},
      {"milestones.m2.title", {"null", "\"M\""}},
      {"ordered", {"null", "false"}},
  };
  ASSERT_EQ(changes[0].fields.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(changes[0].fields[i].field, expected[i].first);
    EXPECT_EQ(changes[0].fields[i].before, expected[i].second.first);
    EXPECT_EQ(changes[0].fields[i].after, expected[i].second.second);
  }
  EXPECT_EQ(to_string(GoalChangeKind::added), "added");
  EXPECT_EQ(to_string(GoalChangeKind::removed), "removed");
  EXPECT_EQ(to_string(GoalChangeKind::changed), "changed");
}

}  // namespace
}  // namespace zielwerk::engine
