// zielwerk serve: `run` as a long-running daemon (engine/daemon.h).
#include <atomic>
#include <iostream>
#include <memory>

#include "commands.h"
#include "diagnostics_output.h"
#include "zielwerk/engine/daemon.h"
#include "zielwerk/web/dashboard.h"
#include "zielwerk/web/http_server.h"

namespace zielwerk::cli {
namespace {

struct ServeOptions : DataOptions {
  std::string log_level = "info";
  std::optional<std::filesystem::path> log_file;
  std::string http;  // ADDRESS:PORT or PORT; empty: no dashboard
};

// What `--http` starts beside the daemon: the dashboard on the project's
// database, read only, behind the token of zielwerk.yaml.
struct DashboardService {
  std::unique_ptr<web::Dashboard> dashboard;
  std::unique_ptr<web::HttpServer> server;
};

Result<DashboardService> start_dashboard(const ServeOptions& options, Clock clock,
                                         engine::Daemon& daemon) {
  auto listen = web::parse_listen_address(options.http);
  if (!listen) return listen.error();
  Diagnostics diagnostics;
  auto project = engine::load_project(options.project, diagnostics);
  if (!project || diagnostics.has_errors()) {
    print_diagnostics(diagnostics, std::cerr);
    return Error::invalid_input("the project in " + options.project.string() + " is invalid");
  }
  auto token = rules::dashboard_token(project->config);
  if (!token) return token.error();
  const std::filesystem::path database = options.db ? *options.db : project->config.database;
  auto dashboard = web::Dashboard::open(
      std::make_shared<const engine::Project>(std::move(*project)), database, std::move(clock));
  if (!dashboard) return dashboard.error();
  DashboardService service;
  service.dashboard = std::move(dashboard).value();
  web::HttpServerOptions server_options;
  server_options.address = listen.value().first;
  server_options.port = listen.value().second;
  server_options.token = token.value();
  server_options.log = [&daemon](std::string_view line) {
    daemon.log(engine::LogLevel::warn, line);
  };
  web::Dashboard* handler = service.dashboard.get();
  service.server = std::make_unique<web::HttpServer>(
      server_options,
      [handler](const web::HttpRequest& request) { return handler->handle(request); });
  if (const Status started = service.server->start(); !started) return started.error();
  if (!web::is_loopback(server_options.address)) {
    std::cerr << "zielwerk: warning: the dashboard listens on " << server_options.address
              << ", not only on this machine; put it behind TLS (docs/dashboard.md)\n";
  }
  std::cerr << "zielwerk: dashboard on http://"
            << (server_options.address.find(':') != std::string::npos
                    ? "[" + server_options.address + "]"
                    : server_options.address)
            << ":" << service.server->bound_port() << "/\n";
  return service;
}

}  // namespace

Action register_serve(Command app, Clock clock) {
  auto options = std::make_shared<ServeOptions>();
  Command command = app.subcommand(
      "serve", "Perform the workflow steps at their due times, as a long-running daemon");
  command.footer(std::string(
      "Does what `zielwerk run` does, continuously: prepares each review when its "
      "preparation time comes, records missed meetings, escalates overdue measures and "
      "milestones. It runs the due steps at start, then wakes at least once a minute (and "
      "at the next preparation time) and runs them again. It logs to stderr and, with "
      "--log-file, to a file: the start (project, database, actor, rule-set version), each "
      "step, reloads and errors; wake-ups at --log-level debug. Log lines name goals, "
      "reviews and actor ids, no persons.\n"
      "The actor is recorded as who performed the steps: use an actor with the role "
      "`system` in zielwerk.yaml (e.g. --actor zielwerk-dienst, or ZIELWERK_ACTOR).\n"
      "Signals: SIGTERM or SIGINT finishes the step in progress and exits 0. SIGHUP "
      "reloads zielwerk.yaml, the rules and the workflows: if they are valid they replace "
      "the old ones and the due steps run at once; if not, every error is logged as "
      "file:line:col and the old ones stay in force. The database is the one opened at "
      "start.\n"
      "A `zielwerk run` from cron may work on the same database at the same time: every "
      "step is done once, whoever gets to it first. A busy or failing database is logged "
      "and tried again at the next wake-up; the daemon keeps running.\n"
      "Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage error (unknown actor, log file not "
      "writable, no database yet, database of another agreement), 3 the project is invalid at "
      "start, 4 the "
      "database cannot be opened.\n"
      "--http [ADDRESS:]PORT also serves the read-only dashboard and JSON API "
      "(docs/dashboard.md): the goals at the latest month with their charts, the coming "
      "meetings, open measures and the audit trail. It listens on 127.0.0.1 unless an address "
      "is given, and every request must carry the token set under `dashboard:` in "
      "zielwerk.yaml."));
  add_data_options(command, *options, true);
  command.option("--log-level", options->log_level, "the least severe messages to log")
      .type_name("LEVEL")
      .one_of({"trace", "debug", "info", "warn", "error", "off"})
      .show_default();
  command
      .option("--log-file", options->log_file,
              "also append the log to this file (created if missing)")
      .type_name("PATH");
  command
      .option("--http", options->http,
              "also serve the read-only dashboard on [ADDRESS:]PORT (default address "
              "127.0.0.1)")
      .type_name("[ADDRESS:]PORT");
  return [options, clock] {
    engine::DaemonOptions daemon_options;
    daemon_options.project = options->project;
    daemon_options.db = options->db;
    daemon_options.actor = options->actor;
    daemon_options.clock = clock;
    daemon_options.log_level =
        engine::parse_log_level(options->log_level).value_or(engine::LogLevel::info);
    daemon_options.log_file = options->log_file;
    // The dashboard follows the daemon's reloads; set once it exists.
    auto dashboard = std::make_shared<std::atomic<web::Dashboard*>>(nullptr);
    daemon_options.on_project = [dashboard](const engine::Project& project) {
      if (web::Dashboard* current = dashboard->load()) {
        current->set_project(std::make_shared<const engine::Project>(project));
      }
    };
    engine::Daemon daemon(std::move(daemon_options));
    std::optional<DashboardService> service;
    if (!options->http.empty()) {
      auto started = start_dashboard(*options, clock, daemon);
      if (!started) return report_error(started.error());
      service = std::move(started).value();
      dashboard->store(service->dashboard.get());
    }
    const Status served = daemon.run();
    if (service) {
      service->server->stop();
      dashboard->store(nullptr);
    }
    if (!served) return report_error(served.error());
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
