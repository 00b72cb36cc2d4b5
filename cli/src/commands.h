// The subcommands of `zielwerk`. Each file declares its options on a CLI11
// subcommand and calls the engine; none holds logic of its own.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>

namespace zielwerk::cli {

// Exit codes of the user-facing contract (README, docs/cli.md).
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

// A subcommand's action: runs after parsing and returns the exit code.
using Action = std::function<int()>;

// Adds --project (and --version) to a subcommand the same way everywhere.
void add_project_options(CLI::App& command, ProjectOptions& options);

// Each registers its subcommand on `app` and returns the action to run when chosen.
Action register_check(CLI::App& app);
Action register_test(CLI::App& app);

}  // namespace zielwerk::cli
