// The subcommands of `zielwerk`. Each file declares its options on a
// subcommand (command_line.h) and calls the engine; none holds logic of its own.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "command_line.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::cli {

// Exit codes of the user-facing contract (README, "Exit codes").
enum ExitCode : int {
  kSuccess = 0,
  kCheckFailed = 1,
  kUsage = 2,
  kInvalidInput = 3,
  kStorage = 4,
  kInternalError = 70,  // a bug: an exception nothing else handled (EX_SOFTWARE)
};

// The exit codes as --help shows them.
inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success, 1 a check or test found a problem, 2 usage error, 3 invalid input, "
    "4 storage error.";

// Options every project command takes.
struct ProjectOptions {
  std::filesystem::path project = ".";
};

// Options of commands that read or write the database; `actor` only for changes.
struct DataOptions : ProjectOptions {
  std::optional<std::filesystem::path> db;
  std::string actor;
};

// A subcommand's action: runs after parsing and returns the exit code.
using Action = std::function<int()>;

// Adds --project (and --version) to a subcommand the same way everywhere.
void add_project_options(Command command, ProjectOptions& options);
// Adds --project, --db and, when `changes_data`, --actor (env ZIELWERK_ACTOR).
void add_data_options(Command command, DataOptions& options, bool changes_data);
// Adds --format with the given choices; the first is the default.
void add_format_option(Command command, std::string& format,
                       const std::vector<std::string>& choices);

// Loads the project, printing its diagnostics; nullopt when it is invalid.
std::optional<engine::Project> load_project_or_report(const ProjectOptions& options);

// The date an option names (YYYY-MM-DD); a usage error naming the option otherwise.
Result<std::chrono::year_month_day> date_option(std::string_view option, const std::string& text);

// Prints "zielwerk: message" on stderr and returns the error's exit code.
int report_error(const Error& error);

// What a command that changes data works with: the project, the acting actor
// (checked against zielwerk.yaml) and the database (created if missing).
struct ChangeContext {
  engine::Project project;
  std::string actor;
  std::unique_ptr<storage::Database> database;
};
// The context, or the exit code after the problem was reported. Only commands
// that bring data in create a missing database; the others refuse it, so a
// mistyped --db never starts an empty one. With `staged_for`, a database
// that does not exist yet is created under a temporary name beside it and
// `*staged_for` is set to its real path (empty when it existed): the command
// then calls publish_staged_database, so a failed first change leaves no
// database behind and never removes one another process created meanwhile.
std::variant<ChangeContext, int> open_for_change(
    const DataOptions& options, engine::OpenMode mode = engine::OpenMode::must_exist,
    std::filesystem::path* staged_for = nullptr);
// Closes the staged database; when the change `succeeded`, links it to
// `staged_for`, refusing to replace a file that appeared meanwhile
// (kDatabaseAppeared: the caller runs its change again on that database);
// then removes the temporary name. kSuccess, kDatabaseAppeared or the exit
// code of a reported problem.
inline constexpr int kDatabaseAppeared = -1;
int publish_staged_database(std::unique_ptr<storage::Database> database,
                            const std::filesystem::path& staged_for, bool succeeded);

// What a command that only reads works with: the project and its existing
// database (a missing one is an error, never created).
struct ReadContext {
  engine::Project project;
  std::unique_ptr<storage::Database> database;
};
// The context, or the exit code after the problem was reported.
std::variant<ReadContext, int> open_for_reading(const DataOptions& options);

// Each registers its subcommand on `app` and returns the action to run when chosen.
// Commands that record changes take the clock that says when.
Action register_check(Command app);
Action register_holidays(Command app);
Action register_test(Command app);
Action register_import(Command app, const Clock& clock);
Action register_evaluate(Command app, const Clock& clock);
Action register_overview(Command app);
Action register_milestone(Command app, const Clock& clock);
Action register_schedule(Command app, const Clock& clock);
Action register_run(Command app, const Clock& clock);
Action register_serve(Command app, const Clock& clock);
Action register_review(Command app, const Clock& clock);
Action register_measure(Command app, const Clock& clock);
Action register_audit(Command app, const Clock& clock);
Action register_report(Command app, const Clock& clock);

}  // namespace zielwerk::cli
