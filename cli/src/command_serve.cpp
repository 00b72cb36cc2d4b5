// zielwerk serve: `run` as a long-running daemon (engine/daemon.h).
#include <memory>

#include "commands.h"
#include "zielwerk/engine/daemon.h"

namespace zielwerk::cli {
namespace {

struct ServeOptions : DataOptions {
  std::string log_level = "info";
  std::optional<std::filesystem::path> log_file;
};

}  // namespace

Action register_serve(CLI::App& app, Clock clock) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command = app.add_subcommand(
      "serve", "Perform the workflow steps at their due times, as a long-running daemon");
  command->footer(std::string(
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
      "database cannot be opened."));
  add_data_options(*command, *options, true);
  command->add_option("--log-level", options->log_level, "the least severe messages to log")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  command
      ->add_option("--log-file", options->log_file,
                   "also append the log to this file (created if missing)")
      ->type_name("PATH");
  return [options, clock] {
    engine::DaemonOptions daemon_options;
    daemon_options.project = options->project;
    daemon_options.db = options->db;
    daemon_options.actor = options->actor;
    daemon_options.clock = clock;
    daemon_options.log_level =
        engine::parse_log_level(options->log_level).value_or(engine::LogLevel::info);
    daemon_options.log_file = options->log_file;
    engine::Daemon daemon(std::move(daemon_options));
    const Status served = daemon.run();
    if (!served) return report_error(served.error());
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
