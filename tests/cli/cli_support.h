// Runs build/zielwerk as a user or a cron job would, for the end-to-end tests.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "test_support.h"

namespace zielwerk::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The shell command line of `zielwerk ARGS`.
inline std::string zielwerk_command(const std::string& args) {
  return std::string(ZIELWERK_BINARY) + " " + args;
}

// Runs a shell command line (trusted test literals), its output captured.
inline CliRun shell(const std::string& command_line) {
  TempDir capture;
  const auto out = capture.path() / "out";
  const auto err = capture.path() / "err";
  const std::string command = "{ " + command_line + "; } >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

// Runs `zielwerk ARGS` through the shell (ARGS are trusted test literals).
inline CliRun zielwerk(const std::string& args) {
  return shell(zielwerk_command(args));
}

// Runs a shell command with its stdout and stderr on a pseudo-terminal (script(1));
// `out` holds what the terminal showed.
inline CliRun zielwerk_in_terminal(const std::string& command) {
  TempDir capture;
  const auto log = capture.path() / "terminal";
  const std::string wrapped =
      "script -qec '" + command + "' " + log.string() + " >/dev/null 2>&1 </dev/null";
  const int status = std::system(wrapped.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(log);
  return run;
}

inline const std::string kExample = (source_dir() / "examples/me-aktiv-2025").string();
inline const std::string kData = kExample + "/data/";
// Reviews of the example the end-to-end tests use.
inline const std::string kJune = "ba-zielnachhaltedialog/2025-06";            // meeting 2025-07-08
inline const std::string kKommunal = "kommunal-zielnachhaltedialog/2025-03";  // prepared late

}  // namespace zielwerk::testing
