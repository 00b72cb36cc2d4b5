// `zielwerk serve`: the workflow steps of `zielwerk run`, performed by a
// long-running process at their due times.
//
// A Daemon loads the project, checks its actor and opens the database once,
// then performs engine::run_due_steps at once and again at every wake-up. It
// never trusts one long sleep: it wakes at least every `max_sleep` (a steady
// timer) and asks the injected clock what time it is, so a suspended machine,
// a clock change or a missed timer costs at most one `max_sleep`. It wakes
// earlier when next_preparation_time says a review's preparation falls due
// sooner.
//
// Signals (handled through the daemon's own signal set while run() blocks):
//  - SIGTERM, SIGINT: the step in progress is finished (run_due_steps is asked
//    between steps), then run() returns Ok. Nothing is left half done.
//  - SIGHUP: the project (zielwerk.yaml, rules, workflows) is loaded again. A
//    valid project replaces the old one and the due steps run at once; an
//    invalid one is logged with every diagnostic (file:line:col) and the old
//    one stays in force. The database stays the one opened at start.
//
// Concurrency: every step is idempotent and runs in its own write transaction
// (the database has a busy timeout), so a `zielwerk run` from cron, or a
// second daemon, may work on the same database at the same time. A storage
// error during a wake-up (e.g. the database busy beyond the timeout) is
// logged and the steps are tried again at the next wake-up.
//
// Logging goes to a logger owned by the Daemon (stderr and/or a file; nothing
// global), one line per event: start (project, database, actor, rule-set
// version), each step, reloads, errors; wake-ups at debug level. Log lines name
// goals, reviews, measures and actor ids, never persons.
//
// Threads: run() blocks the calling thread, which handles signals and the
// timer; the steps and reloads run one after another on one worker thread,
// which alone uses the project, the database and the clock. request_stop(),
// request_reload() and completed_ticks() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/workflow_run.h"

namespace zielwerk::engine {

enum class LogLevel { trace, debug, info, warn, error, off };
// "trace", "debug", "info", "warn", "error", "off".
std::string to_string(LogLevel level);
std::optional<LogLevel> parse_log_level(std::string_view text);

struct DaemonOptions {
  std::filesystem::path project = ".";      // the project directory
  std::optional<std::filesystem::path> db;  // overrides zielwerk.yaml's database
  std::string actor;                        // recorded as who performed the steps
  Clock clock;                              // "now"; called on the worker thread only
  std::chrono::milliseconds max_sleep{std::chrono::seconds(60)};  // the longest sleep
  LogLevel log_level = LogLevel::info;
  std::optional<std::filesystem::path> log_file;  // appended to; created if missing
  bool log_to_stderr = true;
  bool handle_signals = true;  // SIGTERM, SIGINT, SIGHUP while run() blocks
  // Told about each step after it was committed and logged (on the worker thread).
  std::function<void(const RunStep&)> on_step;
  // Called once at start, after the project was loaded, the actor checked and
  // the database opened, before the first step: for the services that run
  // beside the daemon on the same project and database (the HTTP server). An
  // error is logged and ends run() before anything is served.
  std::function<Status(const Project&, const std::filesystem::path& database)> on_start;
  // Told about the project after each successful reload (on the worker
  // thread), e.g. for the dashboard.
  std::function<void(const Project&)> on_project;
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts and blocks until stopped; call once. Returns Ok after a stop
  // (signal or request_stop). Fails before serving, after logging why:
  //  - the log file cannot be opened: ErrorKind::usage,
  //  - the project is invalid: ErrorKind::invalid_input (each diagnostic logged),
  //  - the actor is missing or unknown: ErrorKind::usage,
  //  - the database cannot be opened: ErrorKind::storage (or usage when it
  //    does not exist yet or belongs to another agreement).
  // An exception escaping a step (a bug) is logged and rethrown here.
  Status run();

  // Thread-safe; before run() they take effect when it starts.
  // Ends run() after the step in progress, as SIGTERM does.
  void request_stop();
  // Loads the project again, as SIGHUP does.
  void request_reload();

  // Logs one line through the daemon's logger (after run() started; dropped
  // before). Thread-safe: for the parts of `serve` beside the daemon, such as
  // the HTTP server.
  void log(LogLevel level, std::string_view message);

  // Wake-ups completed so far (each one ran the due steps or failed to); for tests.
  std::uint64_t completed_ticks() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk::engine
