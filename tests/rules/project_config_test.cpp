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

namespace zielwerk::rules {
namespace {

// Loads zielwerk.yaml with `extra` appended; returns the config (if any) and
// every diagnostic as text, the file's name replaced by "F".
std::pair<std::optional<ProjectConfig>, std::vector<std::string>> mail_config(
    const TempDir& dir, const std::string& extra) {
  write_file(dir.path() / "rules/a.yaml", "metrics: []\n");
  write_file(dir.path() / "zielwerk.yaml", "zielwerk: 1\nrules: [rules/a.yaml]\n" + extra);
  Diagnostics diagnostics;
  auto config = load_project_config(dir.path(), diagnostics);
  diagnostics.sort();
  std::vector<std::string> out;
  const std::string file = (dir.path() / "zielwerk.yaml").lexically_normal().generic_string();
  for (auto line : lines(diagnostics)) {
    if (line.starts_with(file)) line.replace(0, file.size(), "F");
    out.push_back(line);
  }
  return {std::move(config), out};
}

TEST(ProjectMailTest, ReadsActorsAddressesOptOutsSmtpAndTiming) {
  TempDir dir;
  const auto [config, problems] = mail_config(dir, R"(actors:
  - {id: jana, name: Jana, party: jc, roles: [coordinator], email: jana@jobcenter.example,
     opt_out: [digest]}
  - {id: amir, name: Amir, party: ba, roles: [reviewer]}
smtp:
  host: smtp.jobcenter.example
  tls: tls
  user: zielwerk
  password_file: secret/smtp
  from: zielwerk@jobcenter.example
notify: {digest_days: 14, invitation_business_days: 3}
)");
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  const Actor* jana = config->find_actor("jana");
  EXPECT_EQ(jana->email, "jana@jobcenter.example");
  EXPECT_FALSE(jana->receives(MailKind::digest));
  EXPECT_TRUE(jana->receives(MailKind::invitation));
  EXPECT_FALSE(config->find_actor("amir")->receives(MailKind::minutes));  // no address
  EXPECT_TRUE(config->smtp.configured);
  EXPECT_EQ(config->smtp.host, "smtp.jobcenter.example");
  EXPECT_EQ(config->smtp.tls, SmtpTls::tls);
  EXPECT_EQ(config->smtp.port, 465);  // the default for tls
  EXPECT_EQ(config->smtp.user, "zielwerk");
  EXPECT_EQ(config->smtp.password_file, dir.path() / "secret/smtp");
  EXPECT_EQ(config->smtp.from_name, "zielwerk");
  EXPECT_EQ(config->notify.digest_days, 14);
  EXPECT_EQ(config->notify.invitation_business_days, 3);
  EXPECT_EQ(to_string(SmtpTls::starttls), "starttls");
  EXPECT_EQ(to_string(MailKind::alert), "alert");
}

TEST(ProjectMailTest, WithoutSmtpNothingIsConfigured) {
  TempDir dir;
  const auto [config, problems] = mail_config(dir, "");
  ASSERT_TRUE(config.has_value());
  EXPECT_FALSE(config->smtp.configured);
  EXPECT_EQ(config->notify.digest_days, 7);
  EXPECT_EQ(config->notify.invitation_business_days, 5);
}

TEST(ProjectMailTest, ReportsEveryMailProblemWhereItIs) {
  TempDir dir;
  const auto [config, problems] = mail_config(dir, R"(actors:
  - {id: jana, name: Jana, party: jc, roles: [coordinator], email: "jana at jc",
     opt_out: [digets, minutes]}
smtp:
  host: "smtp server"
  port: 70000
  tls: startls
  user: zielwerk
  password: geheim
  from: zielwerk
notify: {digest_days: -1, invitation_days: 3}
)");
  ASSERT_TRUE(config.has_value());
  const std::vector<std::string> expected = {
      "F:4:68: error: actors[0] \"jana\".email: expected an e-mail address like "
      "name@jobcenter.example, got 'jana at jc'",
      "F:5:16: error: actors[0] \"jana\": opt_out: 'digets' is not one of digest, alert, "
      "invitation, minutes (did you mean 'digest'?)",
      "F:7:9: error: smtp.host: expected a host name or IPv4 address like "
      "smtp.jobcenter.example, got 'smtp server'",
      "F:8:9: error: smtp.port: expected a whole number from 1 to 65535, got 70000",
      "F:9:8: error: smtp.tls: 'startls' is not one of none, starttls, tls (did you mean "
      "'starttls'?)",
      "F:10:9: error: smtp.user: a user needs password_file: the file that holds the password",
      "F:11:3: error: smtp: key 'password' does not apply to zielwerk.yaml: write the password "
      "into a file readable by the service only and name it with password_file",
      "F:12:9: error: smtp.from: expected an e-mail address like zielwerk@jobcenter.example, "
      "got 'zielwerk'",
      "F:13:23: error: notify.digest_days: expected a whole number from 0 to 60, got -1",
      "F:13:27: error: notify: unknown key 'invitation_days'",
  };
  EXPECT_EQ(problems, expected);
}

TEST(ProjectMailTest, ThePasswordIsReadFromItsFileOnlyWhenPrivate) {
  TempDir dir;
  const auto [config, problems] = mail_config(dir, R"(smtp:
  host: 127.0.0.1
  tls: none
  user: zielwerk
  password_file: secret/smtp
  from: zielwerk@localhost
)");
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  EXPECT_EQ(config->smtp.port, 25);
  const auto missing = smtp_password(*config);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().message.ends_with("smtp.password_file 'secret/smtp' cannot be read"))
      << missing.error().message;

  const auto file = dir.path() / "secret/smtp";
  write_file(file, "s3cret pass\r\nsecond line\n");
  namespace fs = std::filesystem;
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  const auto exposed = smtp_password(*config);
  ASSERT_FALSE(exposed.ok());
  EXPECT_TRUE(exposed.error().message.ends_with("chmod 600 (or 640) it"))
      << exposed.error().message;

  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  const auto password = smtp_password(*config);
  ASSERT_TRUE(password.ok()) << password.error().message;
  EXPECT_EQ(password.value(), "s3cret pass");

  write_file(file, "\n");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(smtp_password(*config).ok());
}

}  // namespace
}  // namespace zielwerk::rules
