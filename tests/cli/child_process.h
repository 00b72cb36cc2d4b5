// A `zielwerk` child process for end-to-end tests of long-running commands
// (serve), and bounded polling instead of fixed sleeps.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli_support.h"

extern char** environ;

namespace zielwerk::testing {

using namespace std::chrono_literals;

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    result.push_back(line);
  return result;
}

// The seed of a randomised test: `variable` from the environment when set (to
// replay a failure), otherwise a random one.
inline unsigned random_seed(const char* variable) {
  const char* text = std::getenv(variable);
  return text != nullptr ? static_cast<unsigned>(std::atoi(text)) : std::random_device{}();
}

// Polls `condition` every 5 ms for up to `timeout`.
template <typename Condition>
bool eventually(Condition condition, std::chrono::seconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

// The test's environment for a child, without ZIELWERK_* variables (a
// developer's ZIELWERK_ACTOR or ZIELWERK_FAULT_INJECTION must not change what
// a test runs), plus `extra` ("NAME=value" entries). The pointers point into
// `storage`, which must outlive the spawn.
inline std::vector<char*> child_environment(std::vector<std::string>& storage,
                                            const std::vector<std::string>& extra = {}) {
  storage.clear();
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::string_view(*variable).starts_with("ZIELWERK_")) continue;
    storage.emplace_back(*variable);
  }
  storage.insert(storage.end(), extra.begin(), extra.end());
  std::vector<char*> pointers;
  for (auto& entry : storage)
    pointers.push_back(entry.data());
  pointers.push_back(nullptr);
  return pointers;
}

// `zielwerk ARGS...` as a child process with stdout and stderr in files.
// The destructor kills it if the test left it running.
class Child {
 public:
  // `environment`: "NAME=value" entries added to the test's (child_environment).
  Child(const std::vector<std::string>& args, const std::filesystem::path& out,
        const std::filesystem::path& err, const std::vector<std::string>& environment = {})
      : out_(out), err_(err) {
    std::vector<std::string> argv_strings{ZIELWERK_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_strings)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> environment_storage;
    auto child_variables = child_environment(environment_storage, environment);
    const int failed =
        posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), child_variables.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(failed, 0) << "cannot start " << argv[0];
    if (failed != 0) pid_ = -1;
  }
  ~Child() {
    if (running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void signal(int number) const {
    if (pid_ > 0) kill(pid_, number);
  }

  bool running() {
    if (pid_ <= 0 || exit_code_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }

  // The exit code (128 + signal when killed by one); nullopt when it still runs after `timeout`.
  std::optional<int> wait(std::chrono::seconds timeout = 30s) {
    eventually([&] { return !running(); }, timeout);
    return exit_code_;
  }

  std::string out() const { return read_file(out_); }
  std::string err() const { return read_file(err_); }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_;
  std::filesystem::path err_;
};

}  // namespace zielwerk::testing
