#include "zielwerk/rules/rule_loader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "corpus_support.h"
#include "zielwerk/rules/limits.h"

namespace zielwerk::rules {
namespace {

using zielwerk::testing::lines;

std::vector<std::pair<std::string, std::string>> base_sources() {
  return zielwerk::testing::base_rule_sources();
}

RuleSet load_ok(const std::vector<std::pair<std::string, std::string>>& sources) {
  Diagnostics diagnostics;
  auto rules = load_rule_set_from_sources(sources, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << ::testing::PrintToString(lines(diagnostics));
  return rules ? std::move(*rules) : RuleSet{};
}

TEST(RuleLoaderTest, DecodesTheAgreement) {
  const RuleSet rules = load_ok(base_sources());
  const Agreement& agreement = rules.agreement;
  EXPECT_EQ(agreement.id, "corpus-2025");
  EXPECT_EQ(agreement.year, 2025);
  ASSERT_EQ(agreement.parties.size(), 3u);
  EXPECT_EQ(agreement.parties[1].carrier, Carrier::kommunal);
  EXPECT_EQ(agreement.parties[2].carrier, Carrier::joint_institution);
  ASSERT_EQ(agreement.signatures.size(), 2u);
  EXPECT_EQ(agreement.in_force_from(), std::chrono::year{2025} / 3 / 10);  // the last signature
  EXPECT_EQ(agreement.find_party("kreis")->name, "Kreis");
  EXPECT_EQ(agreement.find_party("nobody"), nullptr);
}

TEST(RuleLoaderTest, DecodesMetricsAndGoalsWithGroupDefaults) {
  const RuleSet rules = load_ok(base_sources());
  EXPECT_TRUE(rules.find_metric("elb")->is_base_series());
  const Metric& iq = *rules.find_metric("iq");
  ASSERT_TRUE(iq.formula.has_value());
  EXPECT_EQ(iq.unit, Unit::percent);
  EXPECT_EQ(iq.reference_locations.size(), 2u);

  ASSERT_EQ(rules.goal_ids(),
            (std::vector<std::string>{"iq-gesamt", "lzb-gesamt", "llu-monitoring", "but"}));
  const Goal& iq_goal = *rules.find_goal("iq-gesamt");
  EXPECT_EQ(iq_goal.section, "I");                       // from the group's defaults
  EXPECT_EQ(iq_goal.responsibility, std::string("BA"));  // from the group's defaults
  EXPECT_TRUE(iq_goal.binding);
  const auto& spec = std::get<TargetSpec>(iq_goal.spec);
  EXPECT_EQ(spec.metric, "iq");
  EXPECT_EQ(spec.op, Comparison::at_least);
  EXPECT_EQ(spec.target, 20.0);
  EXPECT_FALSE(spec.is_relative());
  EXPECT_EQ(spec.soll_path.source, SollPathSpec::Source::previous_year);  // the default
  EXPECT_DOUBLE_EQ(spec.tolerance, 0.5);
  EXPECT_EQ(iq_goal.location_of("section").file, "base/goals.yaml");
  EXPECT_EQ(iq_goal.location_of("section").line, 3);  // written in the defaults

  const Goal& monitoring = *rules.find_goal("llu-monitoring");
  EXPECT_EQ(monitoring.kind(), GoalKind::monitoring);
  EXPECT_EQ(monitoring.section, "II");  // the goal overrides the default
  EXPECT_EQ(monitoring.metric(), "llu");

  const Goal& milestones = *rules.find_goal("but");
  EXPECT_EQ(milestones.kind(), GoalKind::milestone);
  EXPECT_EQ(milestones.responsibility, std::string("kommunal"));
  const auto& ms = std::get<MilestoneSpec>(milestones.spec);
  EXPECT_TRUE(ms.ordered);
  ASSERT_EQ(ms.milestones.size(), 2u);
  EXPECT_EQ(ms.milestones[1].due, std::chrono::year{2025} / 9 / 30);
}

TEST(RuleLoaderTest, TheVersionIsAHashOfNamesAndContents) {
  const RuleSet a = load_ok(base_sources());
  const RuleSet b = load_ok(base_sources());
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.version.size(), 64u);
  auto changed = base_sources();
  changed[1].second += "\n# a comment changes the version: the files are what was agreed\n";
  EXPECT_NE(load_ok(changed).version, a.version);
}

TEST(RuleLoaderTest, AProjectNeedsAnAgreement) {
  auto sources = base_sources();
  sources.erase(sources.begin());
  Diagnostics diagnostics;
  EXPECT_FALSE(load_rule_set_from_sources(sources, diagnostics).has_value());
  ASSERT_TRUE(diagnostics.has_errors());
  EXPECT_NE(lines(diagnostics).front().find("agreement"), std::string::npos)
      << lines(diagnostics).front();
}

TEST(RuleLoaderTest, ReadsFilesAndReportsUnreadableOnes) {
  zielwerk::testing::TempDir dir;
  std::vector<FileReference> files;
  for (const auto& [name, text] : base_sources()) {
    const auto path = dir.path() / name;
    zielwerk::testing::write_file(path, text);
    files.push_back({path, name, {}, name});
  }
  Diagnostics diagnostics;
  EXPECT_TRUE(load_rule_set(files, diagnostics).has_value());
  files.push_back({dir.path() / "gone.yaml", "gone.yaml", {}, "gone.yaml"});
  EXPECT_FALSE(load_rule_set(files, diagnostics).has_value());
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{"gone.yaml: error: cannot read the file: it does not exist"});
}

TEST(RuleLoaderTest, KeysArePublishedForTheSchema) {
  const auto keys = rule_file_keys();
  for (const char* name : {"ruleFile", "agreement", "party", "signature", "metric", "goalGroup",
                           "goalDefaults", "goal", "milestone"}) {
    EXPECT_EQ(keys.count(name), 1u) << name;
  }
}

// A rule file with `metrics` base metrics m0.. and `goals` target goals g0..,
// goal i on metric i, or with `from_last` on the i-th metric from the end, in
// flow style (one line each) so the line of an entry is known.
std::string generated_rules(std::size_t metrics, std::size_t goals, bool from_last = false) {
  std::string text = "metrics:\n";
  for (std::size_t i = 0; i < metrics; ++i) {
    text += "  - {id: m" + std::to_string(i) + ", title: M, unit: count}\n";
  }
  text += "goals:\n";
  for (std::size_t i = 0; i < goals; ++i) {
    text += "  - {id: g" + std::to_string(i) +
            ", title: G, section: I, responsibility: BA, metric: m" +
            std::to_string(from_last ? metrics - 1 - i % metrics : i % metrics) +
            ", op: \">=\", target: 1, unit: count}\n";
  }
  return text;
}

std::vector<std::string> errors_of(
    const std::vector<std::pair<std::string, std::string>>& sources) {
  Diagnostics diagnostics;
  const bool loaded = load_rule_set_from_sources(sources, diagnostics).has_value();
  EXPECT_EQ(loaded, !diagnostics.has_errors());
  std::vector<std::string> errors;
  for (const auto& line : lines(diagnostics)) {
    if (line.find(": error: ") != std::string::npos) errors.push_back(line);
  }
  return errors;
}

TEST(RuleLoaderTest, GoalsAndMetricsUpToTheirBoundsLoad) {
  auto sources = base_sources();
  const RuleSet base = load_ok(sources);
  sources.emplace_back("gen.yaml", generated_rules(kMaxMetrics - base.metrics.size(),
                                                   kMaxGoals - base.goals.size()));
  Diagnostics diagnostics;
  const auto rules = load_rule_set_from_sources(sources, diagnostics);
  ASSERT_TRUE(rules.has_value()) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_EQ(rules->goals.size(), kMaxGoals);
  EXPECT_EQ(rules->metrics.size(), kMaxMetrics);
}

TEST(RuleLoaderTest, MoreGoalsOrMetricsThanTheBoundsAreOneErrorEach) {
  auto sources = base_sources();
  const RuleSet base = load_ok(sources);
  const std::size_t metrics = kMaxMetrics - base.metrics.size() + 1;
  const std::size_t goals = kMaxGoals - base.goals.size() + 1;
  // The first goals read the last metrics, which are beyond the bound: the
  // bound is still one error, not one more for every goal on a dropped metric.
  sources.emplace_back("gen.yaml", generated_rules(metrics, goals, true));
  // The first metric and goal beyond the bounds are named, with their line.
  const std::size_t metric = metrics - 1;
  const std::size_t goal = goals - 1;
  const std::string metric_line = std::to_string(2 + metric);
  const std::string goal_line = std::to_string(3 + metrics + goal);
  EXPECT_EQ(
      errors_of(sources),
      (std::vector<std::string>{
          "gen.yaml:" + metric_line + ":5: error: metrics[" + std::to_string(metric) + "] \"m" +
              std::to_string(metric) + "\": the rule files declare " +
              std::to_string(kMaxMetrics + 1) + " metrics; at most " + std::to_string(kMaxMetrics) +
              " are allowed",
          "gen.yaml:" + goal_line + ":5: error: goals[" + std::to_string(goal) + "] \"g" +
              std::to_string(goal) + "\": the rule files declare " + std::to_string(kMaxGoals + 1) +
              " goals; at most " + std::to_string(kMaxGoals) + " are allowed",
      }));
}

TEST(RuleLoaderTest, AGoalWithMoreMilestonesThanTheBoundIsAnError) {
  std::string goal =
      "goals:\n  - id: viele\n    title: Viele\n    section: IV\n    responsibility: "
      "kommunal\n    kind: milestone\n    milestones:\n";
  for (std::size_t i = 0; i <= kMaxMilestonesPerGoal; ++i) {
    goal += "      - {id: m" + std::to_string(i) + ", title: M, due: 2025-06-30}\n";
  }
  auto sources = base_sources();
  sources.emplace_back("many.yaml", goal);
  EXPECT_EQ(errors_of(sources),
            (std::vector<std::string>{"many.yaml:8:7: error: goals[0] \"viele\".milestones: has " +
                                      std::to_string(kMaxMilestonesPerGoal + 1) +
                                      " milestones; at most " +
                                      std::to_string(kMaxMilestonesPerGoal) + " are allowed"}));
}

}  // namespace
}  // namespace zielwerk::rules

namespace zielwerk::rules {
namespace {

// A zkT agreement: the Land ministry and the zkT, no BA party; the goals are
// the zkT's.
constexpr const char* kZktAgreement = R"(agreement:
  id: zkt-2026
  title: Zielvereinbarung 2026 (zkT)
  year: 2026
  parties:
    - {id: ministerium, name: Ministerium, carrier: Land}
    - {id: jobcenter, name: Kommunales Jobcenter, carrier: zkT}
    - {id: aufsicht, name: Aufsicht, carrier: Land, acts_on: [zkT, Land]}
metrics:
  - {id: iq, title: IQ, unit: percent}
goals:
  - {id: iq, title: IQ, section: I, responsibility: zkT, metric: iq, op: ">=", target: 20, unit: percent}
)";

TEST(RuleLoaderTest, PartiesActOnTheirCarriersSidesOrTheDeclaredOnes) {
  Diagnostics diagnostics;
  const auto rules = load_rule_set_from_sources({{"a.yaml", kZktAgreement}}, diagnostics);
  ASSERT_TRUE(rules.has_value()) << ::testing::PrintToString(lines(diagnostics));
  const Agreement& agreement = rules->agreement;
  EXPECT_EQ(agreement.parties[0].carrier, Carrier::land);
  EXPECT_EQ(agreement.parties[0].acts_on, std::vector<std::string>{"Land"});
  EXPECT_EQ(agreement.parties[1].carrier, Carrier::zkt);
  EXPECT_EQ(agreement.parties[1].acts_on, std::vector<std::string>{"zkT"});
  EXPECT_EQ(agreement.parties[2].acts_on, (std::vector<std::string>{"zkT", "Land"}));
  EXPECT_EQ(agreement.sides(), (std::vector<std::string>{"Land", "zkT"}));
  EXPECT_EQ(rules->goals.front().responsibility, "zkT");
  // The joint institution acts on both carriers' sides by default.
  const RuleSet base = load_ok(base_sources());
  EXPECT_EQ(base.agreement.find_party("jobcenter")->acts_on,
            (std::vector<std::string>{"BA", "kommunal"}));
}

TEST(RuleLoaderTest, ActsOnListsSideLabelsEachOnce) {
  std::string text = kZktAgreement;
  const std::string declared = "acts_on: [zkT, Land]";
  text.replace(text.find(declared), declared.size(), "acts_on: [zkT, zkT, \"a b\", [x]]");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_rule_set_from_sources({{"a.yaml", text}}, diagnostics).has_value());
  const auto errors = lines(diagnostics);
  ASSERT_EQ(errors.size(), 3u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("agreement.parties[2] \"aufsicht\".acts_on[1]: 'zkT' is listed twice"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("acts_on[2]: expected a side label such as BA, kommunal or zkT"),
            std::string::npos)
      << errors[1];
  EXPECT_NE(errors[2].find("acts_on[3]: expected a side label"), std::string::npos) << errors[2];
}

TEST(RuleLoaderTest, AGoalOfASideNoPartyActsOnIsAnError) {
  std::string text = kZktAgreement;
  const std::string side = "responsibility: zkT";
  text.replace(text.find(side), side.size(), "responsibility: BA");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_rule_set_from_sources({{"a.yaml", text}}, diagnostics).has_value());
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{
                "a.yaml:12:53: error: goals[0] \"iq\".responsibility: no party of the agreement "
                "acts on 'BA' goals (sides of the parties: Land, zkT)"});
}

}  // namespace
}  // namespace zielwerk::rules
