// zielwerk: the one executable. Parses the command line, runs the chosen
// subcommand and maps every outcome to the exit codes of the contract. This is
// the only catch-all in the program.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>

#include "arguments.h"
#include "commands.h"
#include "diagnostics_output.h"
#include "system_clock.h"
#include "terminal_output.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/version.h"

namespace zielwerk::cli {

void add_project_options(Command command, ProjectOptions& options) {
  command
      .option("--project", options.project,
              "project directory holding zielwerk.yaml (default: the current directory)")
      .type_name("DIR")
      .envname("ZIELWERK_PROJECT");
  command.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command.set_help_flag("-h,--help", "print this help and exit");
}

void add_data_options(Command command, DataOptions& options, bool changes_data) {
  add_project_options(command, options);
  command
      .option("--db", options.db,
              "database file (default: `database` in zielwerk.yaml, relative to the project)")
      .type_name("PATH");
  if (changes_data) {
    command.option("--actor", options.actor, "who acts: an actor id from zielwerk.yaml")
        .type_name("ID")
        .envname("ZIELWERK_ACTOR");
  }
}

void add_format_option(Command command, std::string& format,
                       const std::vector<std::string>& choices) {
  format = choices.front();
  command.option("--format", format, "output format: " + join(choices, ", "))
      .type_name("FORMAT")
      .one_of(choices)
      .show_default();
}

std::optional<engine::Project> load_project_or_report(const ProjectOptions& options) {
  Diagnostics diagnostics;
  auto project = engine::load_project(options.project, diagnostics);
  if (!project || diagnostics.has_errors()) {
    print_diagnostics(diagnostics, std::cerr);
    return std::nullopt;
  }
  return project;
}

namespace {

// Where a new database is built before it is linked to `final_path`: beside
// it, named for this process, so two first imports at once do not share it.
std::string staged_path(const std::filesystem::path& final_path) {
  return final_path.string() + ".new-" + std::to_string(getpid());
}

}  // namespace

std::variant<ChangeContext, int> open_for_change(const DataOptions& options, engine::OpenMode mode,
                                                 std::filesystem::path* staged_for) {
  auto project = load_project_or_report(options);
  if (!project) return static_cast<int>(kInvalidInput);
  const auto actor = engine::require_actor(*project, options.actor);
  if (!actor) return report_error(actor.error());
  std::string actor_id = actor.value()->id;
  std::optional<std::filesystem::path> path = options.db;
  if (staged_for != nullptr) {
    staged_for->clear();
    const std::filesystem::path final_path = path ? *path : project->config.database;
    std::error_code ec;
    // A server's database exists before zielwerk; a failed change rolls back there.
    if (!storage::is_server_location(final_path.string()) &&
        !std::filesystem::exists(final_path, ec) && !ec) {
      // A new database file is built beside its place and linked there only
      // when the change succeeded (publish_staged_database).
      *staged_for = final_path;
      path = staged_path(final_path);
    }
  }
  auto database = engine::open_database(*project, path, mode);
  if (!database) return report_error(database.error());
  return ChangeContext{std::move(*project), std::move(actor_id), std::move(database).value()};
}

std::variant<ReadContext, int> open_for_reading(const DataOptions& options) {
  auto project = load_project_or_report(options);
  if (!project) return static_cast<int>(kInvalidInput);
  auto database = engine::open_database(*project, options.db, engine::OpenMode::must_exist);
  if (!database) return report_error(database.error());
  return ReadContext{std::move(*project), std::move(database).value()};
}

Result<std::chrono::year_month_day> date_option(std::string_view option, const std::string& text) {
  if (const auto date = parse_date(text)) return *date;
  return Error::usage(std::string(option) + ": " + quote(text) + " " + date_problem(text));
}

int publish_staged_database(std::unique_ptr<storage::Database> database,
                            const std::filesystem::path& staged_for, bool succeeded) {
  const std::string staged = staged_path(staged_for);
  database.reset();  // the last connection: SQLite checkpoints and removes the WAL
  std::error_code ignored;
  const bool wal_left = std::filesystem::exists(staged + "-wal", ignored);
  int result = kSuccess;
  if (succeeded) {
    // link() refuses to replace: a database another process created meanwhile stays.
    if (wal_left) {
      result = report_error(Error::storage(staged + ": the new database was not closed cleanly; "
                                                    "nothing was imported"));
    } else if (::link(staged.c_str(), staged_for.c_str()) != 0) {
      const int error = errno;
      result =
          error == EEXIST
              ? kDatabaseAppeared
              : report_error(Error::storage(
                    staged_for.string() + ": cannot create the database: " + std::strerror(error)));
    }
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(staged + suffix, ignored);
  return result;
}

int report_error(const Error& error) {
  std::cerr << "zielwerk: " << escape_controls(error.message, LineFeeds::keep) << '\n';
  switch (error.kind) {
    case ErrorKind::usage:
      return kUsage;
    case ErrorKind::invalid_input:
    case ErrorKind::io:
      return kInvalidInput;
    case ErrorKind::storage:
      return kStorage;
    case ErrorKind::check_failed:
      return kCheckFailed;
  }
  return kInternalError;
}

namespace {

// The command tree with the global options each command takes, for
// hoist_global_options.
CommandTree command_tree(const CLI::App& app) {
  CommandTree tree;
  for (const std::string& name : global_option_names()) {
    if (app.get_option_no_throw(name) != nullptr) tree.global_options.insert(name);
  }
  for (const CLI::App* command : app.get_subcommands({}))
    tree.subcommands.emplace(command->get_name(), command_tree(*command));
  return tree;
}

int run(std::vector<std::string> arguments) {
  // The one place that reads the wall clock; everything below gets it injected.
  const auto clock = wall_clock();
  if (!clock) return report_error(clock.error());
  const Clock& system_now = clock.value();

  CLI::App app(
      "zielwerk - follow up the target agreement of a jobcenter: rule files, monthly figures, "
      "reviews, control measures, audit trail.\n",
      "zielwerk");
  app.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  app.set_help_flag("-h,--help", "print this help and exit");
  app.require_subcommand(1);
  app.footer(std::string(kExitCodesHelp) +
             "\nThe options --project, --db and --actor may also stand before COMMAND."
             "\nRun `zielwerk COMMAND --help` for a command's options.");

  std::map<CLI::App*, Action> actions;
  const Command commands(&app);
  auto add = [&](Action action) {
    actions.emplace(app.get_subcommands({}).back(), std::move(action));
  };
  add(register_check(commands));
  add(register_test(commands));
  add(register_import(commands, system_now));
  add(register_evaluate(commands, system_now));
  add(register_overview(commands));
  add(register_milestone(commands, system_now));
  add(register_schedule(commands, system_now));
  add(register_holidays(commands));
  add(register_run(commands, system_now));
  add(register_serve(commands, system_now));
  add(register_review(commands, system_now));
  add(register_measure(commands, system_now));
  add(register_audit(commands, system_now));
  add(register_report(commands, system_now));

  // Text goes into the database, the audit trail and documents: refuse what
  // is not UTF-8 before anything reads it (the variables CLI11 reads too).
  std::vector<std::string> checked = arguments;
  for (const char* variable : {"ZIELWERK_PROJECT", "ZIELWERK_ACTOR"}) {
    if (const char* value = std::getenv(variable); value != nullptr && !is_valid_utf8(value)) {
      std::cerr << "zielwerk: " << variable << ": " << utf8_problem(value) << '\n';
      return kInvalidInput;
    }
  }
  if (const auto problem = non_utf8_argument(checked)) {
    std::cerr << "zielwerk: " << *problem << '\n';
    return kInvalidInput;
  }
  std::string hoist_problem;
  auto hoisted = hoist_global_options(std::move(arguments), command_tree(app), hoist_problem);
  if (!hoisted) {
    std::cerr << "zielwerk: " << escape_controls(hoist_problem)
              << "\nRun zielwerk --help for usage.\n";
    return kUsage;
  }

  // CLI11 reports an unknown subcommand as a stray argument; name it and suggest the closest.
  if (!hoisted->empty() && hoisted->front().rfind('-', 0) != 0) {
    const std::string& first = hoisted->front();
    std::vector<std::string> names;
    for (const auto* command : app.get_subcommands({}))
      names.push_back(command->get_name());
    if (std::find(names.begin(), names.end(), first) == names.end()) {
      std::cerr << "zielwerk: unknown command " << quote(first) << did_you_mean(first, names)
                << "; commands: " << join(names, ", ") << "\nRun zielwerk --help for usage.\n";
      return kUsage;
    }
  }

  std::vector<char*> argv;
  std::string program = "zielwerk";
  argv.push_back(program.data());
  for (std::string& argument : *hoisted)
    argv.push_back(argument.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    // --help and --version end parsing with exit code 0; real errors are
    // usage errors, their messages quote arguments (escaped here).
    if (error.get_exit_code() == 0) {
      app.exit(error);
      return kSuccess;
    }
    std::cerr << escape_controls(error.what()) << "\nRun with --help for more information.\n";
    return kUsage;
  }
  for (const auto& [command, action] : actions) {
    if (command->parsed()) return action();
  }
  return kUsage;
}

// A command's output is what it promised: a failed write to stdout (a full
// disk, a closed pipe's reader) is an error, not a silent success.
int check_output(int code, TerminalGuard& guard) {
  errno = 0;
  guard.finish();  // what the guard still holds goes out first
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return code;
  const int reason = guard.stdout_failure() != 0 ? guard.stdout_failure() : errno;
  std::cerr << "zielwerk: cannot write the output to stdout"
            << (reason != 0 ? std::string(": ") + std::strerror(reason) : std::string())
            << "; what was printed is incomplete\n";
  return code == kSuccess ? static_cast<int>(kInvalidInput) : code;
}

}  // namespace
}  // namespace zielwerk::cli

int main(int argc, char** argv) {
  zielwerk::cli::TerminalGuard terminal;
  int code = zielwerk::cli::kInternalError;
  try {
    std::vector<std::string> arguments(argv + (argc > 0 ? 1 : 0), argv + argc);
    code = zielwerk::cli::run(std::move(arguments));
  } catch (const std::exception& error) {
    std::cerr << "zielwerk: internal error (please report it): "
              << zielwerk::escape_controls(error.what()) << '\n';
    return zielwerk::cli::kInternalError;
  }
  return zielwerk::cli::check_output(code, terminal);
}
