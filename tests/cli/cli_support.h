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

// Runs `zielwerk ARGS` through the shell (ARGS are trusted test literals).
inline CliRun zielwerk(const std::string& args) {
  TempDir capture;
  const auto out = capture.path() / "out";
  const auto err = capture.path() / "err";
  const std::string command =
      std::string(ZIELWERK_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

inline const std::string kExample = (source_dir() / "examples/me-aktiv-2025").string();

}  // namespace zielwerk::testing
