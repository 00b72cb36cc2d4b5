#include "zielwerk/rules/project_config.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "zielwerk/rules/limits.h"

namespace zielwerk::rules {
namespace {

using zielwerk::testing::lines;
using zielwerk::testing::TempDir;
using zielwerk::testing::write_file;

TEST(ProjectConfigTest, ReadsSettingsAndResolvesPaths) {
  TempDir dir;
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "workflows/w.yaml", "workflow: {}\n");
  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 1
database: data/z.db
rules: [rules/a.yaml]
workflows: [workflows/w.yaml]
actors:
  - {id: controlling, name: Controlling, party: jobcenter, roles: [coordinator, reviewer]}
)");
  Diagnostics diagnostics;
  const auto config = load_project_config(dir.path(), diagnostics);
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(diagnostics.empty()) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_EQ(config->database, dir.path() / "data/z.db");
  EXPECT_EQ(config->time_zone, "Europe/Berlin");  // default
  EXPECT_EQ(config->holiday_region, "DE-NW");     // default
  ASSERT_EQ(config->rule_files.size(), 1u);
  EXPECT_EQ(config->rule_files[0].path, dir.path() / "rules/a.yaml");
  EXPECT_EQ(config->rule_files[0].referenced_at.line, 3);
  ASSERT_EQ(config->actors.size(), 1u);
  EXPECT_EQ(config->find_actor("controlling")->roles,
            (std::vector<Role>{Role::coordinator, Role::reviewer}));
  EXPECT_EQ(config->find_actor("nobody"), nullptr);
}

TEST(ProjectConfigTest, AServerDatabaseIsKeptAsItsUri) {
  TempDir dir;
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "zielwerk.yaml",
             "zielwerk: 1\ndatabase: postgresql://jc_me_aktiv@db.region.example/zielwerk\n"
             "rules: [rules/a.yaml]\n");
  Diagnostics diagnostics;
  const auto config = load_project_config(dir.path(), diagnostics);
  ASSERT_TRUE(config.has_value()) << ::testing::PrintToString(lines(diagnostics));
  EXPECT_EQ(config->database.string(), "postgresql://jc_me_aktiv@db.region.example/zielwerk");
}

TEST(ProjectConfigTest, ReportsEveryProblem) {
  TempDir dir;
  write_file(dir.path() / "zielwerk.yaml", R"(zielwerk: 2
holiday_region: DE-BY     # a Land: valid here; engine::load_project checks the code
rules: [missing.yaml]
actor: []
actors:
  - {id: a, name: A, party: jobcenter, roles: [boss]}
  - {id: a, name: A2, party: jobcenter, roles: [auditor]}
)");
  Diagnostics diagnostics;
  const auto config = load_project_config(dir.path(), diagnostics);
  ASSERT_TRUE(config.has_value());  // what could be read, so `check` goes on
  diagnostics.sort();
  const std::string file = (dir.path() / "zielwerk.yaml").lexically_normal().generic_string();
  const std::vector<std::string> expected = {
      file + ":1:11: error: zielwerk: this zielwerk reads project files of format version 1, got 2",
      file + ":3:9: error: rules[0]: cannot read 'missing.yaml': no such file",
      file + ":4:1: error: unknown key 'actor' (did you mean 'actors'?)",
      file +
          ":6:48: error: actors[0] \"a\": roles: 'boss' is not one of coordinator, reviewer, "
          "auditor, system",
      file + ":7:10: error: actors[1] \"a\".id: duplicate actor id 'a' (first at line 6)",
  };
  EXPECT_EQ(lines(diagnostics), expected);
}

TEST(ProjectConfigTest, ADirectoryWithoutProjectFileIsNamed) {
  TempDir dir;
  Diagnostics diagnostics;
  EXPECT_FALSE(load_project_config(dir.path(), diagnostics).has_value());
  ASSERT_EQ(diagnostics.items().size(), 1u);
  EXPECT_NE(diagnostics.items()[0].message.find("no project file here"), std::string::npos);
  Diagnostics missing_dir;
  EXPECT_FALSE(load_project_config(dir.path() / "nope", missing_dir).has_value());
  EXPECT_NE(missing_dir.items()[0].message.find("does not exist"), std::string::npos);
}

TEST(ProjectConfigTest, AFileListLongerThanTheBoundIsOneError) {
  TempDir dir;
  std::string list;
  for (std::size_t i = 0; i <= kMaxFilesPerList; ++i) {
    list += (i == 0 ? "" : ", ") + std::string("rules/a.yaml");
  }
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "zielwerk.yaml", "zielwerk: 1\nrules: [" + list + "]\n");
  Diagnostics diagnostics;
  load_project_config(dir.path(), diagnostics);
  const std::string file = (dir.path() / "zielwerk.yaml").lexically_normal().generic_string();
  EXPECT_EQ(lines(diagnostics),
            (std::vector<std::string>{file + ":2:8: error: rules: lists " +
                                      std::to_string(kMaxFilesPerList + 1) + " files; at most " +
                                      std::to_string(kMaxFilesPerList) + " are allowed"}));
}

}  // namespace
}  // namespace zielwerk::rules

namespace zielwerk::rules {
namespace {

// Loads zielwerk.yaml with `dashboard` as given; returns the settings and
// every diagnostic as text.
std::pair<DashboardSettings, std::vector<std::string>> dashboard_of(const TempDir& dir,
                                                                    const std::string& dashboard) {
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "zielwerk.yaml",
             "zielwerk: 1\nrules: [rules/a.yaml]\ndashboard:\n" + dashboard);
  Diagnostics diagnostics;
  const auto config = load_project_config(dir.path(), diagnostics);
  EXPECT_TRUE(config.has_value());
  return {config ? config->dashboard : DashboardSettings{}, lines(diagnostics)};
}

TEST(ProjectConfigTest, ReadsTheDashboardTokenInlineOrFromItsOwnFile) {
  TempDir dir;
  auto [inline_settings, inline_problems] = dashboard_of(dir, "  token: abcdefghijklmnop-1\n");
  EXPECT_TRUE(inline_problems.empty()) << ::testing::PrintToString(inline_problems);
  EXPECT_EQ(inline_settings.token, "abcdefghijklmnop-1");

  write_file(dir.path() / "secret/token", "0123456789abcdefXYZ\r\n");
  auto [file_settings, file_problems] = dashboard_of(dir, "  token_file: secret/token\n");
  EXPECT_TRUE(file_problems.empty()) << ::testing::PrintToString(file_problems);
  EXPECT_TRUE(file_settings.token.empty());  // read only when serve --http needs it
  ProjectConfig config;
  config.file_display_name = "zielwerk.yaml";
  config.dashboard = file_settings;
  const auto token = dashboard_token(config);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token.value(), "0123456789abcdefXYZ");
}

TEST(ProjectConfigTest, AnUnreadableOrWeakTokenFileFailsOnlyTheDashboard) {
  TempDir dir;
  // Loading succeeds: the other commands, run by coordinators who may not
  // read the service's secret, must not fail on it.
  auto [settings, problems] = dashboard_of(dir, "  token_file: nowhere\n");
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  ProjectConfig config;
  config.file_display_name = "zielwerk.yaml";
  config.dashboard = settings;
  const auto missing = dashboard_token(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::usage);
  EXPECT_EQ(missing.error().message,
            "zielwerk.yaml: dashboard.token_file 'nowhere' cannot be read");

  write_file(dir.path() / "weak", "short\n");
  config.dashboard = dashboard_of(dir, "  token_file: weak\n").first;
  const auto weak = dashboard_token(config);
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.error().message.find("at least 16 characters"), std::string::npos);

  config.dashboard = DashboardSettings{};
  const auto none = dashboard_token(config);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("sets no dashboard token"), std::string::npos);
}

TEST(ProjectConfigTest, WithoutADashboardSectionThereIsNoToken) {
  TempDir dir;
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "zielwerk.yaml", "zielwerk: 1\nrules: [rules/a.yaml]\n");
  Diagnostics diagnostics;
  const auto config = load_project_config(dir.path(), diagnostics);
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(config->dashboard.token.empty());
}

TEST(ProjectConfigTest, RefusesAWeakMissingOrDoubleDashboardToken) {
  TempDir dir;
  const std::string file = (dir.path() / "zielwerk.yaml").lexically_normal().generic_string();
  const auto problems = [&](const std::string& dashboard) {
    auto [settings, found] = dashboard_of(dir, dashboard);
    EXPECT_TRUE(settings.token.empty()) << dashboard;
    return found;
  };
  EXPECT_EQ(
      problems("  token: short\n"),
      std::vector<std::string>{
          file + ":4:10: error: dashboard.token: the token must have at least 16 characters"});
  EXPECT_EQ(
      problems("  token: \"has spaces inside it\"\n"),
      std::vector<std::string>{file + ":4:10: error: dashboard.token: the token may hold only "
                                      "letters A-Z and a-z, digits and - . _ ~"});
  EXPECT_EQ(problems("  {}\n").size(), 1u);
  EXPECT_EQ(problems("  token: abcdefghijklmnop-1\n  token_file: t\n").size(), 1u);
  EXPECT_EQ(problems("  tokn: abcdefghijklmnop-1\n").size(), 2u);  // unknown key, no token
}

}  // namespace
}  // namespace zielwerk::rules
