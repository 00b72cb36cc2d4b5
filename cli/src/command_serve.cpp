// zielwerk serve: `run` as a long-running daemon, with the dashboard beside it
// (server/server.h).
#include <iostream>
#include <memory>

#include "commands.h"
#include "zielwerk/engine/daemon.h"
#include "zielwerk/server/server.h"

namespace zielwerk::cli {
namespace {

struct ServeOptions : DataOptions {
  std::string log_level = "info";
  std::optional<std::filesystem::path> log_file;
  std::string http;  // ADDRESS:PORT or PORT; empty: no dashboard
};

}  // namespace

Action register_serve(Command app, const Clock& clock) {
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
    server::ServerOptions server_options;
    engine::DaemonOptions& daemon = server_options.daemon;
    daemon.project = options->project;
    daemon.db = options->db;
    daemon.actor = options->actor;
    daemon.clock = clock;
    daemon.log_level = engine::parse_log_level(options->log_level).value_or(engine::LogLevel::info);
    daemon.log_file = options->log_file;
    server_options.http = options->http;
    server_options.announce = [](std::string_view line) {
      std::cerr << "zielwerk: " << line << '\n';
    };
    const Status served = server::Server(std::move(server_options)).run();
    if (!served) return report_error(served.error());
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
