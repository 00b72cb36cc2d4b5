// The daemon: Boost.Asio for the timer and the signals, spdlog for the log.
// Both stay in this file; daemon.h shows neither.
//
// Two threads. The thread calling run() runs the io_context: signals, the
// timer and the bookkeeping below (tick_running_, stopping_, ...), all touched
// only there. One worker thread (a thread_pool of one) performs the ticks and
// reloads in the order they were posted; it alone touches the project, the
// database and the clock. So a signal is handled while a step is running, and
// SIGTERM reaches run_due_steps' should_stop between two steps.
#include "zielwerk/engine/daemon.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <exception>
#include <mutex>
#include <vector>

#include "change_gate.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/engine/permissions.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"

namespace zielwerk::engine {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

constexpr std::array<std::string_view, 6> kLevelNames = {"trace", "debug", "info",
                                                         "warn",  "error", "off"};

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

Result<std::shared_ptr<spdlog::logger>> make_logger(const DaemonOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.log_to_stderr)
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (options.log_file) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(
          options.log_file->string(), /*truncate=*/false));
    } catch (const spdlog::spdlog_ex& error) {
      return Error::usage("cannot open the log file '" + options.log_file->string() +
                          "' for writing: " + error.what());
    }
  }
  // Not registered with spdlog: each Daemon has its own, nothing global leaks.
  auto logger = std::make_shared<spdlog::logger>("zielwerk", sinks.begin(), sinks.end());
  logger->set_level(to_spdlog(options.log_level));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ [%^%l%$] %v", spdlog::pattern_time_type::utc);
  // A daemon logs little; every line reaches the file at once (tail -f, crashes).
  logger->flush_on(spdlog::level::trace);
  return logger;
}

// "5 ms", "42.5 s", "3 min 20 s", "1 min", "2 d 4 h".
std::string format_duration(milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60'000) return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
  const auto s = ms / 1000;
  // Leaves out a zero second part: "1 min", "2 h", "3 d".
  auto two = [](auto big, const char* big_unit, auto small, const char* small_unit) {
    return small == 0 ? fmt::format("{} {}", big, big_unit)
                      : fmt::format("{} {} {} {}", big, big_unit, small, small_unit);
  };
  if (s < 3600) return two(s / 60, "min", s % 60, "s");
  if (s < 86'400) return two(s / 3600, "h", s % 3600 / 60, "min");
  return two(s / 86'400, "d", s % 86'400 / 3600, "h");
}

// Each as `check` prints it (file:line:col), errors at error and warnings at warn level.
void log_diagnostics(spdlog::logger& log, const Diagnostics& diagnostics) {
  for (const auto& diagnostic : diagnostics.items()) {
    log.log(diagnostic.severity == Severity::error ? spdlog::level::err : spdlog::level::warn, "{}",
            format_diagnostic(diagnostic));
  }
}

std::string errors_text(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " error" : " errors");
}

}  // namespace

std::string to_string(LogLevel level) {
  return std::string(kLevelNames.at(static_cast<std::size_t>(level)));
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == text) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

struct Daemon::State {
  explicit State(DaemonOptions daemon_options) : options(std::move(daemon_options)) {
    options.max_sleep = std::max(options.max_sleep, milliseconds(1));
  }

  DaemonOptions options;
  boost::asio::io_context io;
  // Keeps io.run() going while the worker runs a tick and nothing else is pending.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running =
      boost::asio::make_work_guard(io);
  boost::asio::steady_timer timer{io};
  boost::asio::signal_set signals{io};
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<boost::asio::thread_pool> worker;

  // Any thread.
  std::atomic<bool> stop_requested{false};
  std::string revoked;  // why a reload took the actor's permission away
  // The logger as other threads see it (Daemon::log); set once at start.
  std::mutex shared_log_mutex;
  std::shared_ptr<spdlog::logger> shared_log;
  std::atomic<std::uint64_t> ticks{0};
  std::atomic<bool> failed{false};  // a bug in a step: stop, rethrow from run()

  // The worker thread (and run() before the worker starts and after it ended).
  std::optional<Project> project;
  std::unique_ptr<storage::Database> database;
  std::exception_ptr failure;  // a bug in a step; read by run() after join

  // The io thread.
  bool tick_running = false;
  bool tick_again = false;  // asked for while one was running
  bool stopping = false;

  Status start();
  void serve();

  // io thread
  void wait_for_signal();
  void schedule_tick();
  void tick_done(milliseconds delay);
  void arm_timer(milliseconds delay);
  void begin_stop(const std::string& why);
  void finish();
  void reload();

  // worker thread
  milliseconds tick();
  bool reload_project();
  void fail(const char* what);
};

Status Daemon::State::start() {
  auto logger = make_logger(options);
  if (!logger) return logger.error();
  log = std::move(logger).value();
  {
    const std::lock_guard lock(shared_log_mutex);
    shared_log = log;
  }

  // Before anything slow: a signal from now on is queued for the io_context
  // instead of ending the process.
  if (options.handle_signals) {
    for (const int signal : {SIGTERM, SIGINT, SIGHUP}) {
      boost::system::error_code error;
      signals.add(signal, error);
      if (error) log->warn("cannot handle signal {}: {}", signal, error.message());
    }
  }

  log->info("starting: project {}", options.project.string());
  Diagnostics diagnostics;
  auto loaded = load_project(options.project, diagnostics);
  if (!loaded || diagnostics.has_errors()) {
    log->error("the project in {} is invalid ({}); not serving", options.project.string(),
               errors_text(diagnostics.error_count()));
    log_diagnostics(*log, diagnostics);
    return Error::invalid_input("the project in " + options.project.string() + " is invalid (" +
                                errors_text(diagnostics.error_count()) + ")");
  }
  log_diagnostics(*log, diagnostics);

  const auto actor = require_actor(*loaded, options.actor);
  if (!actor) {
    log->error("{}", actor.error().message);
    return actor.error();
  }
  auto opened = open_database(*loaded, options.db, OpenMode::must_exist);
  if (!opened) {
    log->error("{}", opened.error().message);
    return opened.error();
  }
  // Refused once, at the start (and recorded as access.denied), rather than
  // at every wake-up.
  if (const Status allowed = authorize(*loaded, *opened.value(), options.actor, options.clock(),
                                       Action::run_workflows, {});
      !allowed) {
    log->error("{}; not serving", allowed.error().message);
    return allowed.error();
  }
  database = std::move(opened).value();
  project = std::move(loaded);
  if (options.on_start) {
    if (const Status started = options.on_start(*project, database->path()); !started) {
      log->error("{}; not serving", started.error().message);
      return started.error();
    }
  }
  log->info("serving {}; database {}; actor {}; rule set {}; waking at least every {}",
            summarize(*project), database->path().string(), options.actor, project->rules.version,
            format_duration(options.max_sleep));
  return Ok{};
}

void Daemon::State::serve() {
  worker = std::make_unique<boost::asio::thread_pool>(1);
  if (options.handle_signals) wait_for_signal();
  boost::asio::post(io, [this] { schedule_tick(); });
  io.run();
  worker->join();
  worker.reset();
}

void Daemon::State::wait_for_signal() {
  signals.async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;  // cancelled: finished
    if (signal == SIGHUP) {
      log->info("SIGHUP: reloading the project");
      reload();
    } else {
      stop_requested = true;
      begin_stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
    }
    wait_for_signal();
  });
}

void Daemon::State::schedule_tick() {
  if (stopping) return;
  if (tick_running) {
    tick_again = true;
    return;
  }
  tick_running = true;
  tick_again = false;
  boost::asio::post(*worker, [this] {
    milliseconds delay = options.max_sleep;
    try {
      delay = tick();
    } catch (const std::exception& error) {
      fail(error.what());
    } catch (...) {
      fail("unknown exception");
    }
    ++ticks;
    boost::asio::post(io, [this, delay] { tick_done(delay); });
  });
}

void Daemon::State::tick_done(milliseconds delay) {
  tick_running = false;
  if (stopping) {
    finish();
  } else if (stop_requested) {
    begin_stop(failed ? "internal error" : "stop requested");
  } else if (tick_again) {
    schedule_tick();
  } else {
    arm_timer(delay);
  }
}

void Daemon::State::arm_timer(milliseconds delay) {
  timer.expires_after(delay);
  timer.async_wait([this](const boost::system::error_code& error) {
    if (!error) schedule_tick();
  });
}

void Daemon::State::begin_stop(const std::string& why) {
  if (stopping) {
    log->debug("{}: stopping already", why);
    return;
  }
  stopping = true;
  if (tick_running) {
    log->info("{}: stopping after the step in progress", why);
  } else {
    log->info("{}: stopping", why);
    finish();
  }
}

void Daemon::State::finish() {
  boost::system::error_code ignored;
  timer.cancel();
  signals.cancel(ignored);
  io.stop();
}

void Daemon::State::reload() {
  if (stopping) return;
  boost::asio::post(*worker, [this] {
    bool reloaded = false;
    try {
      reloaded = reload_project();
    } catch (const std::exception& error) {
      fail(error.what());
    } catch (...) {
      fail("unknown exception");
    }
    boost::asio::post(io, [this, reloaded] {
      if (stop_requested && !stopping) begin_stop(failed ? "internal error" : "stop requested");
      if (!reloaded || stopping) return;
      // The new rules may make steps due (or not): run them now.
      timer.cancel();
      schedule_tick();
    });
  });
}

// The steps due now, then how long to sleep.
milliseconds Daemon::State::tick() {
  if (stop_requested) return options.max_sleep;
  const Timestamp now = options.clock();
  log->trace("wake-up at {}", format_timestamp(now));
  RunRequest request;
  request.actor = options.actor;
  request.now = now;
  request.should_stop = [this] { return stop_requested.load(); };
  request.on_step = [this](const RunStep& step) {
    // Summaries name ids, dates and parties only (workflow_run.h), so they may be logged.
    log->info("{} {}: {}", domain::to_string(step.kind), step.subject,
              locale::step_summary(step, locale::Language::en));
    if (options.on_step) options.on_step(step);
  };
  const auto report = run_due_steps(*project, *database, request);
  if (!report) {
    log->error("the steps due at {} failed: {}; trying again at the next wake-up",
               format_timestamp(now), report.error().message);
  } else if (report.value().stopped) {
    log->info("stopped between steps after {} of them; the rest are due at the next start",
              report.value().steps.size());
  } else if (!report.value().steps.empty()) {
    log->info("{} due at {} done",
              report.value().steps.size() == 1
                  ? std::string("1 step")
                  : std::to_string(report.value().steps.size()) + " steps",
              format_timestamp(now));
  }

  const Timestamp after = options.clock();
  const auto next = next_preparation_time(*project, after);
  milliseconds delay = options.max_sleep;
  if (next) delay = std::clamp(std::chrono::ceil<milliseconds>(*next - after), 1ms, delay);
  log->debug("next preparation {}; next wake-up in {}",
             next ? format_timestamp(*next) : std::string("none this year"),
             format_duration(delay));
  return delay;
}

// Loads the project again; keeps the old one unless the new one is valid and
// still fits the database and the actor.
bool Daemon::State::reload_project() {
  if (stop_requested) return false;
  Diagnostics diagnostics;
  auto loaded = load_project(options.project, diagnostics);
  const std::string keeping = "; still serving rule set " + project->rules.version;
  if (!loaded || diagnostics.has_errors()) {
    log->error("reload failed: the project in {} is invalid ({}){}", options.project.string(),
               errors_text(diagnostics.error_count()), keeping);
    log_diagnostics(*log, diagnostics);
    return false;
  }
  log_diagnostics(*log, diagnostics);
  if (loaded->rules.agreement.id != project->rules.agreement.id) {
    log->error(
        "reload failed: the agreement changed from '{}' to '{}', but the database {} "
        "belongs to '{}'; restart with the database of the new agreement{}",
        project->rules.agreement.id, loaded->rules.agreement.id, database->path().string(),
        project->rules.agreement.id, keeping);
    return false;
  }
  if (const auto actor = require_actor(*loaded, options.actor); !actor) {
    log->error("reload failed: {}{}", actor.error().message, keeping);
    return false;
  } else if (const auto reason = refusal(*loaded, *actor.value(), Action::run_workflows, {})) {
    // The new zielwerk.yaml takes the permission away: serving on under the
    // old one would ignore that. Stop, as at a start with this actor.
    log->error("permission denied: {}; stopping", *reason);
    revoked = *reason;
    stop_requested = true;
    return false;
  }
  if (!options.db && loaded->config.database != project->config.database) {
    log->warn("zielwerk.yaml now names the database {}; serving {} until restarted",
              loaded->config.database.string(), database->path().string());
  }
  project = std::move(loaded);
  if (options.on_project) options.on_project(*project);
  log->info("reloaded: {}", summarize(*project));
  return true;
}

void Daemon::State::fail(const char* what) {
  log->critical("internal error (please report it): {}", what);
  failure = std::current_exception();
  failed = true;
  stop_requested = true;
}

Daemon::Daemon(DaemonOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Daemon::~Daemon() = default;

Status Daemon::run() {
  State& state = *state_;
  if (const Status started = state.start(); !started) return started;
  state.serve();
  if (state.failure) std::rethrow_exception(state.failure);
  state.log->info("stopped");
  if (!state.revoked.empty()) return Error::usage("permission denied: " + state.revoked);
  return Ok{};
}

void Daemon::request_stop() {
  state_->stop_requested = true;
  boost::asio::post(state_->io, [state = state_.get()] { state->begin_stop("stop requested"); });
}

void Daemon::request_reload() {
  boost::asio::post(state_->io, [state = state_.get()] {
    state->log->info("reload requested");
    state->reload();
  });
}

void Daemon::log(LogLevel level, std::string_view message) {
  std::shared_ptr<spdlog::logger> logger;
  {
    const std::lock_guard lock(state_->shared_log_mutex);
    logger = state_->shared_log;
  }
  if (logger) logger->log(to_spdlog(level), "{}", message);
}

std::uint64_t Daemon::completed_ticks() const {
  return state_->ticks.load();
}

}  // namespace zielwerk::engine
