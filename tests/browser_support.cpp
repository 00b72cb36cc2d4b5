#include "browser_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>

extern char** environ;

namespace zielwerk::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// After the browser exits, how long its output pipes may stay open: a helper
// process that inherited them and lingers must not hold the test up.
constexpr milliseconds kExitGrace{2000};

// Lets the page's timers and scripts run before the DOM, screenshot or PDF is
// taken; virtual time passes as fast as the page idles, not in real time.
constexpr std::string_view kVirtualTime = "--virtual-time-budget=2000";

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

std::filesystem::path search_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::string_view rest = path;
  while (true) {
    const auto colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    if (dir.empty()) dir = ".";  // POSIX: an empty entry is the current directory
    const auto candidate = std::filesystem::path(dir) / name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
}

std::string missing_chromium_message() {
  std::string message;
  if (const char* configured = std::getenv("ZIELWERK_CHROMIUM");
      configured != nullptr && *configured != '\0') {
    message = "ZIELWERK_CHROMIUM=" + std::string(configured) + " is not an executable file. ";
  } else {
    message = "Chromium not found (neither /usr/bin/chromium nor `chromium` on PATH). ";
  }
  return message +
         "The browser tests need it: run scripts/setup.sh, which installs the Debian package "
         "chromium, or set ZIELWERK_CHROMIUM to a Chromium executable.";
}

// A fresh directory for one browser run, removed with everything in it: the
// profile, and HOME and the XDG directories, which CI may not have or may not
// let us write, and which must not leak state from one test into the next.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "zielwerk-chromium-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The test's environment with HOME and the XDG directories moved into `dir`.
std::vector<std::string> child_environment(const std::filesystem::path& dir) {
  const std::array<std::pair<std::string_view, std::string>, 4> moved = {{
      {"HOME", (dir / "home").string()},
      {"XDG_CONFIG_HOME", (dir / "config").string()},
      {"XDG_CACHE_HOME", (dir / "cache").string()},
      {"XDG_DATA_HOME", (dir / "data").string()},
  }};
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable = *entry;
    const auto name = variable.substr(0, variable.find('='));
    const bool replaced =
        std::any_of(moved.begin(), moved.end(), [&](const auto& m) { return m.first == name; });
    if (!replaced) environment.emplace_back(variable);
  }
  for (const auto& [name, value] : moved) {
    std::error_code ignored;
    std::filesystem::create_directories(value, ignored);
    environment.push_back(std::string(name) + "=" + value);
  }
  return environment;
}

BrowserResult run_chromium(const std::vector<std::string>& action, const std::string& url,
                           milliseconds timeout) {
  const auto chromium = chromium_path();
  if (chromium.empty()) {
    BrowserResult result;
    result.err = missing_chromium_message();
    return result;
  }
  ScratchDir scratch;
  if (scratch.path().empty()) {
    BrowserResult result;
    result.err = std::string("cannot create a temporary directory: ") + std::strerror(errno);
    return result;
  }
  std::vector<std::string> argv = {
      chromium.string(),
      // Since Chromium 132 plain --headless is the new headless mode (the
      // full browser without a window); the old one is a separate program.
      "--headless",
      // Root (CI containers) cannot use the sandbox; the pages are our own.
      "--no-sandbox",
      "--disable-gpu",
      // Docker's /dev/shm is 64 MB, too small for rendering; use /tmp.
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      // Nothing should reach the network: CI may have none, and results
      // must not depend on it.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--mute-audio",
      "--user-data-dir=" + (scratch.path() / "profile").string(),
  };
  argv.insert(argv.end(), action.begin(), action.end());
  argv.push_back(url);
  return run_process(argv, child_environment(scratch.path()), timeout);
}

// Whether `pid` has terminated, without reaping it: while it is a zombie its
// process group id cannot be reused, so killing the group stays safe.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const BrowserResult& result) {
  out << "exit code " << result.exit_code << (result.timed_out ? " (killed: timed out)" : "")
      << " after " << result.elapsed.count() << " ms";
  if (!result.err.empty()) out << "; stderr:\n" << result.err;
  return out;
}

std::filesystem::path chromium_path() {
  if (const char* configured = std::getenv("ZIELWERK_CHROMIUM");
      configured != nullptr && *configured != '\0') {
    // An explicit choice is not silently replaced by another browser.
    return is_executable_file(configured) ? std::filesystem::path(configured)
                                          : std::filesystem::path();
  }
  if (is_executable_file("/usr/bin/chromium")) return "/usr/bin/chromium";
  return search_path("chromium");
}

::testing::AssertionResult chromium_available() {
  const auto path = chromium_path();
  if (path.empty()) return ::testing::AssertionFailure() << missing_chromium_message();
  return ::testing::AssertionSuccess() << "Chromium at " << path.string();
}

std::string file_url(const std::filesystem::path& path) {
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  std::string url = "file://";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : absolute) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      url += c;
    } else {
      url += '%';
      url += kHex[byte >> 4];
      url += kHex[byte & 0xF];
    }
  }
  return url;
}

BrowserResult dump_dom(const std::string& url, milliseconds timeout) {
  return run_chromium({std::string(kVirtualTime), "--dump-dom"}, url, timeout);
}

BrowserResult screenshot(const std::string& url, const std::filesystem::path& png, int width,
                         int height, milliseconds timeout) {
  return run_chromium({std::string(kVirtualTime), "--screenshot=" + png.string(),
                       "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                       // One image pixel per CSS pixel whatever the host's display says.
                       "--force-device-scale-factor=1", "--hide-scrollbars"},
                      url, timeout);
}

BrowserResult print_to_pdf(const std::string& url, const std::filesystem::path& pdf,
                           milliseconds timeout) {
  return run_chromium(
      {std::string(kVirtualTime), "--print-to-pdf=" + pdf.string(), "--no-pdf-header-footer"}, url,
      timeout);
}

BrowserResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& environment, milliseconds timeout) {
  BrowserResult result;
  const auto start = steady_clock::now();
  const auto deadline = start + timeout;
  const auto finish = [&]() -> BrowserResult {
    result.elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
    return result;
  };
  if (argv.empty()) {
    result.err = "run_process: no program given";
    return finish();
  }

  // Close-on-exec, so that only the duplicates on fd 1 and 2 reach the child
  // and its EOF is seen as soon as the child and its helpers are done.
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return finish();
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    close(out_pipe[0]);
    close(out_pipe[1]);
    return finish();
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

  // A process group of its own, so a timeout kills the browser's helper
  // processes (renderer, GPU, zygote) too, and nothing else. Signals the test
  // process may block or ignore are reset.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int signal_number : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD})
    sigaddset(&defaults, signal_number);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(
      &attributes,
      static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));

  std::vector<char*> argv_pointers;
  for (const auto& argument : argv)
    argv_pointers.push_back(const_cast<char*>(argument.c_str()));
  argv_pointers.push_back(nullptr);
  std::vector<char*> environment_pointers;
  for (const auto& variable : environment)
    environment_pointers.push_back(const_cast<char*>(variable.c_str()));
  environment_pointers.push_back(nullptr);

  pid_t pid = -1;
  const int spawn_error = posix_spawn(&pid, argv[0].c_str(), &actions, &attributes,
                                      argv_pointers.data(), environment_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    result.err = "cannot start " + argv[0] + ": " + std::strerror(spawn_error);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return finish();
  }

  struct Stream {
    int fd;
    std::string* text;
  };
  std::vector<Stream> open_streams = {{out_pipe[0], &result.out}, {err_pipe[0], &result.err}};
  std::optional<steady_clock::time_point> exited_at;
  std::array<char, 65536> buffer{};
  while (!open_streams.empty()) {
    const auto now = steady_clock::now();
    if (now >= deadline) {
      result.timed_out = true;
      break;
    }
    if (!exited_at && has_exited(pid)) exited_at = now;
    if (exited_at && now - *exited_at >= kExitGrace) break;  // a helper holds the pipe

    std::vector<pollfd> polled;
    for (const auto& stream : open_streams)
      polled.push_back({stream.fd, POLLIN, 0});
    // Short slices: the child's exit is noticed by polling, not by a signal.
    const auto slice =
        std::min(milliseconds(100), std::chrono::duration_cast<milliseconds>(deadline - now));
    const int ready = poll(polled.data(), polled.size(), static_cast<int>(slice.count()) + 1);
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t i = polled.size(); i-- > 0;) {
      if (polled[i].revents == 0) continue;
      const ssize_t count = read(polled[i].fd, buffer.data(), buffer.size());
      if (count > 0) {
        open_streams[i].text->append(buffer.data(), static_cast<std::size_t>(count));
      } else if (count == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(polled[i].fd);
        open_streams.erase(open_streams.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  // The pipes are closed; give the browser the rest of its time to exit (it
  // may still be writing the screenshot).
  while (!result.timed_out && !has_exited(pid)) {
    if (steady_clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    usleep(10'000);
  }
  for (const auto& stream : open_streams)
    close(stream.fd);

  // On a timeout this stops the browser; otherwise it removes whatever it
  // left running. The leader is not reaped yet, so the group id is still ours.
  kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (result.timed_out) {
    result.err += "\n[browser_support: killed the process group after " +
                  std::to_string(timeout.count()) + " ms]";
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.err += "\n[browser_support: died of signal " + std::to_string(WTERMSIG(status)) + "]";
  }
  return finish();
}

}  // namespace zielwerk::testing
