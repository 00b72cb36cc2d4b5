// zielwerk.yaml: the project's settings and the list of files that make it up.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/common/error.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/rules/rule_loader.h"

namespace zielwerk::rules {

enum class Role { coordinator, reviewer, auditor, system };
std::string to_string(Role role);

// The kinds of e-mail zielwerk sends (docs/notify.md); an actor may opt out of each.
enum class MailKind { digest, alert, invitation, minutes };
std::string to_string(MailKind kind);  // "digest", "alert", "invitation", "minutes"

struct Actor {
  std::string id;
  std::string name;
  std::string party;  // a party id of the agreement (checked against the rule set)
  std::vector<Role> roles;
  std::string email;              // empty: the actor gets no mail
  std::vector<MailKind> opt_out;  // kinds the actor does not want
  SourceLocation location;
  SourceLocation party_location;

  // Whether mail of `kind` goes to this actor: an address and no opt-out.
  bool receives(MailKind kind) const;
};

// `smtp:` in zielwerk.yaml: the server zielwerk hands its mail to. The
// password is never in zielwerk.yaml nor on the command line: `password_file`
// names a file holding it (read by smtp_password when mail is sent).
enum class SmtpTls {
  none,      // plain SMTP (a relay on the same machine)
  starttls,  // SMTP, then STARTTLS, required (submission, port 587)
  tls        // TLS from the first byte (SMTPS, port 465)
};
std::string to_string(SmtpTls tls);

struct SmtpSettings {
  bool configured = false;  // the section is present
  std::string host;
  int port = 587;  // default by tls: 25, 587, 465
  SmtpTls tls = SmtpTls::starttls;
  std::string user;                     // empty: no authentication
  std::filesystem::path password_file;  // resolved against the project directory
  std::string password_file_name;       // as written, for messages
  std::string from;                     // the sender's address
  std::string from_name;                // shown beside it; default "zielwerk"
  SourceLocation location;
};

// `notify:` in zielwerk.yaml: when mail is due.
struct NotifySettings {
  int digest_days = 7;               // a digest lists measures due within this many days
  int invitation_business_days = 5;  // invitations go out this many working days before
  SourceLocation location;
};
inline constexpr int kMaxDigestDays = 60;
inline constexpr int kMaxInvitationBusinessDays = 30;

// `dashboard:` in zielwerk.yaml: what `serve --http` needs.
struct DashboardSettings {
  std::string token;                 // written inline (checked when loading)
  std::filesystem::path token_file;  // or the file holding it (read by dashboard_token)
  std::string token_file_name;       // as written, for messages
  // Host names the dashboard answers to besides its listen address
  // (`hosts:`), e.g. the name of a reverse proxy in front of it.
  std::vector<std::string> hosts;
  SourceLocation location;
};
inline constexpr std::size_t kMinimumTokenLength = 16;
// The token of examples/me-aktiv-2025: published with zielwerk's sources, so
// it guards nothing beyond this machine.
inline constexpr std::string_view kExampleDashboardToken = "beispiel-token-nur-fuer-das-beispiel";

struct ProjectConfig {
  std::filesystem::path directory;
  std::string file_display_name;   // e.g. "examples/me-aktiv-2025/zielwerk.yaml"
  std::filesystem::path database;  // resolved against `directory`
  std::string time_zone = "Europe/Berlin";
  SourceLocation time_zone_location;
  // The Land whose public holidays meetings avoid (ISO 3166-2, checked by
  // engine::load_project against workflows/holidays.h) and the regional days
  // the project keeps besides.
  std::string holiday_region = "DE-NW";
  SourceLocation holiday_region_location;
  std::vector<std::pair<std::string, SourceLocation>> regional_holidays;
  // Which rows of observation files are this project's: those whose `region`
  // column equals it. Empty (the default) means rows without a region.
  std::string region;
  // Months after a month's end until its figures are final (BA statistics:
  // three); base series may declare their own (Metric::release_lag_months).
  int release_lag_months = kDefaultReleaseLagMonths;
  std::vector<FileReference> rule_files;
  std::vector<FileReference> workflow_files;
  std::vector<FileReference> test_files;
  std::vector<Actor> actors;
  DashboardSettings dashboard;
  SmtpSettings smtp;
  NotifySettings notify;

  const Actor* find_actor(std::string_view actor_id) const;
};

inline constexpr const char* kProjectFileName = "zielwerk.yaml";

// Reads `directory`/zielwerk.yaml. Every named file must exist (reported at the
// entry naming it). Returns nullopt only when the file cannot be read as a YAML
// map at all; otherwise the settings it could read, with any errors reported in
// `diagnostics` (so `check` goes on to report the rule files' errors too).
std::optional<ProjectConfig> load_project_config(const std::filesystem::path& directory,
                                                 Diagnostics& diagnostics);

// The dashboard's token: the inline one, or the first line of token_file,
// read now. A usage error naming the file when there is none, the file cannot
// be read, or the token is too short or holds characters other than letters,
// digits and - . _ ~.
Result<std::string> dashboard_token(const ProjectConfig& config);

// Empty when the dashboard's token may guard a dashboard other machines can
// reach; otherwise why not: it is the example's published token, or its
// token_file may be read or written by users other than its owner and group
// (mode o+rw; chmod 600 or 640).
std::string token_exposure(const ProjectConfig& config, const std::string& token);

// The SMTP password: the first line of smtp.password_file, read now. A usage
// error naming the file when the section has no user, the file cannot be
// read, is empty, or may be read by users other than its owner and group
// (mode o+r; chmod 600 or 640).
Result<std::string> smtp_password(const ProjectConfig& config);

// Keys per JSON Schema $defs name (project, actor), for the schema sync test.
std::map<std::string, std::vector<std::string>> project_file_keys();

}  // namespace zielwerk::rules
