#include "zielwerk/rules/project_config.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/rules/limits.h"
#include "zielwerk/rules/object_reader.h"

namespace zielwerk::rules {
namespace {

const std::vector<std::string> kProjectKeys = {"zielwerk",
                                               "database",
                                               "time_zone",
                                               "holiday_region",
                                               "regional_holidays",
                                               "region",
                                               "rules",
                                               "workflows",
                                               "tests",
                                               "actors",
                                               "dashboard",
                                               "release_lag_months",
                                               "smtp",
                                               "notify"};
const std::vector<std::string> kActorKeys = {"id", "name", "party", "roles", "email", "opt_out"};
const std::vector<std::string> kDashboardKeys = {"token", "token_file", "hosts"};
const std::vector<std::string> kSmtpKeys = {"host",          "port", "tls",      "user",
                                            "password_file", "from", "from_name"};
const std::vector<std::string> kNotifyKeys = {"digest_days", "invitation_business_days"};
const std::vector<std::string> kRoles = {"coordinator", "reviewer", "auditor", "system"};
const std::vector<std::string> kMailKinds = {"digest", "alert", "invitation", "minutes"};
const std::vector<std::string> kSmtpTls = {"none", "starttls", "tls"};

// How a path is shown to the user: relative to where they ran the command.
std::string display(const std::filesystem::path& path) {
  return path.lexically_normal().generic_string();
}

// Empty when `file` is a regular file inside the project `directory` (after
// following every symbolic link); otherwise what it is instead. The rule,
// workflow and test files are the project's: a path through a link or `..` to
// /etc/shadow or the dashboard's token file must not be read (and quoted in a
// message) as a rule file.
std::string project_file_problem(const std::filesystem::path& directory,
                                 const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) {
    std::error_code link_error;
    if (fs::is_symlink(fs::symlink_status(file, link_error))) {
      return "a symbolic link to a file that does not exist";
    }
    return "no such file";
  }
  if (fs::is_directory(status)) return "a directory, not a file";
  if (!fs::is_regular_file(status)) {
    return "not a regular file (a device, a FIFO or a socket)";
  }
  const fs::path root = fs::canonical(directory, ec);
  if (ec) return "the project directory cannot be resolved: " + ec.message();
  const fs::path real = fs::canonical(file, ec);
  if (ec) return "cannot be resolved: " + ec.message();
  const auto in_root = std::mismatch(root.begin(), root.end(), real.begin(), real.end()).first;
  if (in_root != root.end()) {
    return "it lies outside the project directory (symbolic links followed); rule, workflow "
           "and test files must be inside it";
  }
  return {};
}

std::vector<FileReference> file_list(ObjectReader& reader, const std::string& key, bool required,
                                     const std::filesystem::path& directory) {
  std::vector<FileReference> files;
  const Node* list = reader.list(key, required);
  if (list == nullptr) {
    return files;
  }
  if (list->items().empty() && required) {
    reader.error(key, "the list must not be empty");
  }
  if (list->items().size() > kMaxFilesPerList) {
    reader.error(key, "lists " + std::to_string(list->items().size()) + " files; at most " +
                          std::to_string(kMaxFilesPerList) + " are allowed");
    return files;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i) {
    const Node& item = *list->items()[i];
    const std::string path = reader.child_path(key, i);
    if (!item.is_scalar() || item.text().empty()) {
      reader.error_at(item.location(), key + "[" + std::to_string(i) +
                                           "]: expected a file path, got " + item.describe());
      continue;
    }
    const std::filesystem::path file = directory / item.text();
    const auto duplicate = std::find_if(files.begin(), files.end(), [&](const FileReference& f) {
      return f.path.lexically_normal() == file.lexically_normal();
    });
    if (duplicate != files.end()) {
      reader.error_at(item.location(),
                      key + "[" + std::to_string(i) + "]: '" + item.text() + "' is listed twice");
      continue;
    }
    if (const std::string problem = project_file_problem(directory, file); !problem.empty()) {
      reader.error_at(item.location(), key + "[" + std::to_string(i) + "]: cannot read " +
                                           quote(item.text(), 200) + ": " + problem);
      continue;
    }
    files.push_back({file, display(file), item.location(),
                     std::filesystem::path(item.text()).lexically_normal().generic_string()});
  }
  return files;
}

// A token's problem, or empty when it is good: long enough, and only
// characters that travel unchanged in a header, a cookie and a link.
std::string token_problem(const std::string& token) {
  if (token.size() < kMinimumTokenLength) {
    return "the token must have at least " + std::to_string(kMinimumTokenLength) + " characters";
  }
  const bool url_safe = std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  });
  if (!url_safe) return "the token may hold only letters A-Z and a-z, digits and - . _ ~";
  return {};
}

// The dashboard's token, written in zielwerk.yaml or in a file of its own (so
// that zielwerk.yaml can be kept in version control without the secret). The
// file is read only by `serve --http` (dashboard_token): it is meant to be
// readable by the service user alone, and the other commands, run by
// coordinators, must not fail on it.
void read_dashboard(ObjectReader& reader, const std::filesystem::path& directory,
                    DashboardSettings& settings) {
  settings.location = reader.node().location();
  if (const Node* hosts = reader.list("hosts", false)) {
    for (const Node* host : hosts->items()) {
      const bool name_like = host->is_scalar() && !host->text().empty() &&
                             host->text().size() <= 253 &&
                             std::all_of(host->text().begin(), host->text().end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                      (c >= '0' && c <= '9') || c == '-' || c == '.';
                             });
      if (!name_like) {
        reader.error_at(host->location(),
                        "hosts: expected a host name like "
                        "zielwerk.jobcenter.example, got " +
                            host->describe());
        continue;
      }
      settings.hosts.push_back(host->text());
    }
  }
  const auto token = reader.text("token", false);
  const auto token_file = reader.text("token_file", false);
  if (token && token_file) {
    reader.error("token_file", "give either token or token_file, not both");
    return;
  }
  if (!token && !token_file) {
    reader.error("token", "the dashboard needs a token (token: or token_file:)");
    return;
  }
  if (token_file) {
    settings.token_file = directory / *token_file;
    settings.token_file_name = *token_file;
    return;
  }
  if (const std::string problem = token_problem(*token); !problem.empty()) {
    reader.error("token", problem);
    return;
  }
  settings.token = *token;
}

bool is_host_name(const std::string& host) {
  return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

// The SMTP server and the sender. A `password:` key is refused with its own
// message: the password belongs in a file that only the service can read.
void read_smtp(ObjectReader& reader, const std::filesystem::path& directory,
               SmtpSettings& settings) {
  settings.configured = true;
  settings.location = reader.node().location();
  if (const auto host = reader.text("host", true)) {
    if (is_host_name(*host)) {
      settings.host = *host;
    } else {
      reader.error("host",
                   "expected a host name or IPv4 address like smtp.jobcenter.example, "
                   "got '" +
                       *host + "'");
    }
  }
  if (const auto tls = reader.choice("tls", false, kSmtpTls)) {
    settings.tls =
        static_cast<SmtpTls>(std::find(kSmtpTls.begin(), kSmtpTls.end(), *tls) - kSmtpTls.begin());
  }
  settings.port = settings.tls == SmtpTls::none ? 25 : settings.tls == SmtpTls::tls ? 465 : 587;
  if (const auto port = reader.integer("port", false, 1, 65535)) {
    settings.port = static_cast<int>(*port);
  }
  const auto user = reader.text("user", false);
  const auto password_file = reader.text("password_file", false);
  if (user && !password_file) {
    reader.error("user", "a user needs password_file: the file that holds the password");
  } else if (password_file && !user) {
    reader.error("password_file", "password_file needs a user to log in as");
  } else if (user) {
    settings.user = *user;
    settings.password_file = directory / *password_file;
    settings.password_file_name = *password_file;
  }
  if (const auto from = reader.text("from", true)) {
    if (is_mail_address(*from)) {
      settings.from = *from;
    } else {
      reader.error("from", "expected an e-mail address like zielwerk@jobcenter.example, got '" +
                               *from + "'");
    }
  }
  settings.from_name = reader.text("from_name", false).value_or("zielwerk");
}

void read_notify(ObjectReader& reader, NotifySettings& settings) {
  settings.location = reader.node().location();
  if (const auto days = reader.integer("digest_days", false, 0, kMaxDigestDays)) {
    settings.digest_days = static_cast<int>(*days);
  }
  if (const auto days =
          reader.integer("invitation_business_days", false, 0, kMaxInvitationBusinessDays)) {
    settings.invitation_business_days = static_cast<int>(*days);
  }
}

void read_mail_settings(ObjectReader& a, Actor& actor) {
  if (const auto email = a.text("email", false)) {
    if (is_mail_address(*email)) {
      actor.email = *email;
    } else {
      a.error("email",
              "expected an e-mail address like name@jobcenter.example, got '" + *email + "'");
    }
  }
  if (const Node* kinds = a.list("opt_out", false)) {
    for (const Node* kind : kinds->items()) {
      const auto it = std::find(kMailKinds.begin(), kMailKinds.end(), kind->text());
      if (!kind->is_scalar() || it == kMailKinds.end()) {
        a.error_at(kind->location(), "opt_out: '" + kind->text() + "' is not one of " +
                                         join(kMailKinds, ", ") +
                                         did_you_mean(kind->text(), kMailKinds));
        continue;
      }
      actor.opt_out.push_back(static_cast<MailKind>(it - kMailKinds.begin()));
    }
  }
}

}  // namespace

std::string to_string(MailKind kind) {
  return kMailKinds[static_cast<std::size_t>(kind)];
}

std::string to_string(SmtpTls tls) {
  return kSmtpTls[static_cast<std::size_t>(tls)];
}

bool Actor::receives(MailKind kind) const {
  return !email.empty() && std::find(opt_out.begin(), opt_out.end(), kind) == opt_out.end();
}

std::string to_string(Role role) {
  return kRoles[static_cast<std::size_t>(role)];
}

const Actor* ProjectConfig::find_actor(std::string_view actor_id) const {
  const auto it =
      std::find_if(actors.begin(), actors.end(), [&](const Actor& a) { return a.id == actor_id; });
  return it == actors.end() ? nullptr : &*it;
}

std::optional<ProjectConfig> load_project_config(const std::filesystem::path& directory,
                                                 Diagnostics& diagnostics) {
  ProjectConfig config;
  config.directory = directory;
  const std::filesystem::path file = directory / kProjectFileName;
  config.file_display_name = display(file);
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    diagnostics.error({display(directory), 0, 0}, "the project directory does not exist");
    return std::nullopt;
  }
  if (!std::filesystem::exists(file, ec)) {
    diagnostics.error({config.file_display_name, 0, 0},
                      "no project file here; a zielwerk project directory holds zielwerk.yaml "
                      "(choose the directory with --project)");
    return std::nullopt;
  }
  const auto document = load_yaml_file(file, config.file_display_name, diagnostics);
  if (!document) {
    return std::nullopt;
  }
  ObjectReader reader(document->root(), "", kProjectKeys, diagnostics);
  if (!reader.is_map()) {
    return std::nullopt;
  }
  if (const auto version = reader.number("zielwerk", true); version && *version != 1) {
    reader.error("zielwerk", "this zielwerk reads project files of format version 1, got " +
                                 reader.get("zielwerk")->text());
  }
  // A file relative to the project; a server's URI (postgresql://...) as it is.
  const std::string database = reader.text("database", false).value_or("zielwerk.db");
  config.database = database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0
                        ? std::filesystem::path(database)
                        : directory / database;
  config.time_zone = reader.text("time_zone", false).value_or(config.time_zone);
  config.time_zone_location = reader.location_of("time_zone");
  config.holiday_region = reader.text("holiday_region", false).value_or(config.holiday_region);
  config.holiday_region_location = reader.location_of("holiday_region");
  config.regional_holidays = reader.id_list("regional_holidays", false);
  config.region = reader.text("region", false).value_or(config.region);
  if (const auto lag = reader.integer("release_lag_months", false, 0, kMaxReleaseLagMonths)) {
    config.release_lag_months = static_cast<int>(*lag);
  }
  config.rule_files = file_list(reader, "rules", true, directory);
  config.workflow_files = file_list(reader, "workflows", false, directory);
  config.test_files = file_list(reader, "tests", false, directory);

  if (const Node* dashboard = reader.get("dashboard")) {
    ObjectReader d(*dashboard, reader.child_path("dashboard"), kDashboardKeys, diagnostics);
    if (d.is_map()) read_dashboard(d, directory, config.dashboard);
  }

  if (const Node* smtp = reader.get("smtp")) {
    ObjectReader m(*smtp, reader.child_path("smtp"), kSmtpKeys, {"password"},
                   "zielwerk.yaml: write the password into a file readable by the service only "
                   "and name it with password_file",
                   diagnostics);
    if (m.is_map()) read_smtp(m, directory, config.smtp);
  }
  if (const Node* notify = reader.get("notify")) {
    ObjectReader n(*notify, reader.child_path("notify"), kNotifyKeys, diagnostics);
    if (n.is_map()) read_notify(n, config.notify);
  }

  if (const Node* actors = reader.list("actors", false)) {
    for (std::size_t i = 0; i < actors->items().size(); ++i) {
      ObjectReader a(*actors->items()[i], reader.child_path("actors", i), kActorKeys, diagnostics);
      if (!a.is_map()) {
        continue;
      }
      Actor actor;
      actor.location = a.node().location();
      const auto id = a.id("id", true);
      if (id) {
        a.name_object(*id);
        if (const Actor* first = config.find_actor(*id)) {
          a.error("id", "duplicate actor id '" + *id + "' (first at line " +
                            std::to_string(first->location.line) + ")");
        }
      }
      actor.name = a.text("name", true).value_or("");
      actor.party = a.id("party", true).value_or("");
      actor.party_location = a.location_of("party");
      if (const Node* roles = a.list("roles", true)) {
        if (roles->items().empty()) {
          a.error("roles", "an actor needs at least one role");
        }
        for (const Node* role : roles->items()) {
          const auto it = std::find(kRoles.begin(), kRoles.end(), role->text());
          if (!role->is_scalar() || it == kRoles.end()) {
            a.error_at(role->location(), "roles: '" + role->text() + "' is not one of " +
                                             "coordinator, reviewer, auditor, system");
            continue;
          }
          actor.roles.push_back(static_cast<Role>(it - kRoles.begin()));
        }
      }
      read_mail_settings(a, actor);
      if (id) {
        actor.id = *id;
        config.actors.push_back(std::move(actor));
      }
    }
  }
  return config;
}

Result<std::string> dashboard_token(const ProjectConfig& config) {
  const DashboardSettings& settings = config.dashboard;
  if (!settings.token.empty()) return settings.token;
  if (settings.token_file.empty()) {
    return Error::usage(config.file_display_name +
                        " sets no dashboard token; add `dashboard: {token_file: PATH}` (or "
                        "`token:`) so that only those who hold it can read the dashboard "
                        "(docs/dashboard.md)");
  }
  const std::string where =
      config.file_display_name + ": dashboard.token_file '" + settings.token_file_name + "'";
  std::ifstream in(settings.token_file, std::ios::binary);
  std::string token;
  if (!in || !std::getline(in, token)) return Error::usage(where + " cannot be read");
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t'))
    token.pop_back();
  if (const std::string problem = token_problem(token); !problem.empty()) {
    return Error::usage(where + ": " + problem);
  }
  return token;
}

std::string token_exposure(const ProjectConfig& config, const std::string& token) {
  const DashboardSettings& settings = config.dashboard;
  if (token == kExampleDashboardToken) {
    return "the dashboard token is the example's, published with zielwerk; set a token of your "
           "own (token_file: PATH, docs/dashboard.md)";
  }
  if (settings.token_file.empty()) return {};
  std::error_code ec;
  const auto permissions = std::filesystem::status(settings.token_file, ec).permissions();
  if (ec) return {};  // dashboard_token has read it; a vanished file is its business
  using std::filesystem::perms;
  if ((permissions & (perms::others_read | perms::others_write)) != perms::none) {
    return config.file_display_name + ": dashboard.token_file '" + settings.token_file_name +
           "' may be read or written by every user of this machine; chmod 600 (or 640) it";
  }
  return {};
}

Result<std::string> smtp_password(const ProjectConfig& config) {
  const SmtpSettings& settings = config.smtp;
  if (settings.user.empty()) {
    return Error::usage(config.file_display_name + ": smtp sets no user, so there is no password");
  }
  const std::string where =
      config.file_display_name + ": smtp.password_file '" + settings.password_file_name + "'";
  std::error_code ec;
  const auto permissions = std::filesystem::status(settings.password_file, ec).permissions();
  if (ec || !std::filesystem::is_regular_file(settings.password_file, ec)) {
    return Error::usage(where + " cannot be read");
  }
  if ((permissions & std::filesystem::perms::others_read) != std::filesystem::perms::none) {
    return Error::usage(where +
                        " may be read by every user of this machine; chmod 600 (or 640) it");
  }
  std::ifstream in(settings.password_file, std::ios::binary);
  std::string password;
  if (!in || !std::getline(in, password)) return Error::usage(where + " cannot be read");
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  if (password.empty()) return Error::usage(where + " holds no password on its first line");
  return password;
}

std::map<std::string, std::vector<std::string>> project_file_keys() {
  return {{"project", kProjectKeys},
          {"actor", kActorKeys},
          {"dashboard", kDashboardKeys},
          {"smtp", kSmtpKeys},
          {"notify", kNotifyKeys}};
}

}  // namespace zielwerk::rules
