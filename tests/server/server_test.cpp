// The composition root of `zielwerk serve` (server/server.h), in process: the
// dashboard answers on the project the daemon loaded, and a service that
// cannot start stops the server before any step is done.
#include "zielwerk/server/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <string>
#include <thread>

#include "example_project.h"
#include "test_support.h"
#include "zielwerk/engine/observation_import.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/storage/audit_log.h"

namespace zielwerk::server {
namespace {

using namespace std::chrono_literals;
using zielwerk::testing::at;
using zielwerk::testing::example;
using zielwerk::testing::example_dir;
using zielwerk::testing::TempDir;

constexpr const char* kToken = "beispiel-token-nur-fuer-das-beispiel";

// One HTTP/1.1 GET on loopback, the whole answer as received.
std::string http_get(std::uint16_t port, const std::string& target) {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  std::string answer;
  if (::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
        "\r\nAuthorization: Bearer " + kToken + "\r\nConnection: close\r\n\r\n";
    if (::send(socket_fd, request.data(), request.size(), 0) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t got; (got = ::recv(socket_fd, buffer, sizeof buffer, 0)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(socket_fd);
  return answer;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() / "zielwerk.db";
    auto database = engine::open_database(example(), db_, engine::OpenMode::create_if_missing);
    ASSERT_TRUE(database.ok()) << database.error().message;
    engine::ImportRequest request;
    for (const char* year : {"2024", "2025"})
      request.files.push_back((example_dir() / "data" / (std::string(year) + ".csv")).string());
    request.actor = "controlling-jc";
    request.now = at("2025-07-01T06:00:00Z");
    Diagnostics diagnostics;
    const auto imported =
        engine::import_observations(example(), *database.value(), request, diagnostics);
    ASSERT_TRUE(imported.ok()) << imported.error().message;
  }

  ServerOptions options(const std::filesystem::path& project) {
    ServerOptions server;
    server.daemon.project = project;
    server.daemon.db = db_;
    server.daemon.actor = "zielwerk-dienst";
    server.daemon.clock = fixed_clock(at("2025-07-03T08:00:00Z"));
    server.daemon.handle_signals = false;
    server.daemon.log_to_stderr = false;
    server.daemon.max_sleep = 1h;
    server.http = "127.0.0.1:0";
    server.announce = [this](std::string_view line) {
      std::lock_guard lock(mutex_);
      announced_.emplace_back(line);
      changed_.notify_all();
    };
    return server;
  }

  // The port the dashboard announced; 0 when it did not within the bound.
  std::uint16_t wait_for_port() {
    std::unique_lock lock(mutex_);
    static const std::regex kListening("dashboard on http://127\\.0\\.0\\.1:([0-9]+)/");
    std::uint16_t port = 0;
    changed_.wait_for(lock, 30s, [&] {
      for (const auto& line : announced_) {
        std::smatch match;
        if (std::regex_search(line, match, kListening)) {
          port = static_cast<std::uint16_t>(std::stoi(match[1]));
          return true;
        }
      }
      return false;
    });
    return port;
  }

  std::int64_t audit_records() {
    auto database = engine::open_database(example(), db_, engine::OpenMode::must_exist);
    EXPECT_TRUE(database.ok());
    return database.ok()
               ? static_cast<std::int64_t>(storage::read_audit_records(*database.value()).size())
               : -1;
  }

  TempDir dir_;
  std::filesystem::path db_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> announced_;
};

TEST_F(ServerTest, TheDashboardAnswersOnTheDaemonsProjectUntilStopped) {
  Server server(options(example_dir()));
  Status served = Error::usage("not run");
  std::thread running([&] { served = server.run(); });
  const std::uint16_t port = wait_for_port();
  ASSERT_NE(port, 0) << "no dashboard announced";
  const std::string answer = http_get(port, "/api/status?period=2025-06");
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"agreement\": \"me-aktiv-2025\""), std::string::npos) << answer;
  // The meetings the daemon's run prepared show on the dashboard's page.
  EXPECT_NE(http_get(port, "/api/meetings?from=2025-07-01&to=2025-07-31").find("2025-07-08"),
            std::string::npos);
  server.request_stop();
  running.join();
  EXPECT_TRUE(served.ok()) << served.error().message;
  EXPECT_GT(audit_records(), 2) << "the daemon performed its steps";
  EXPECT_TRUE(http_get(port, "/api/status").empty()) << "the dashboard stopped with the daemon";
}

TEST_F(ServerTest, ADashboardThatCannotStartStopsTheServerBeforeAnyStep) {
  // A copy of the example whose token file holds a token too weak to serve.
  const auto project = dir_.path() / "project";
  std::filesystem::copy(example_dir(), project, std::filesystem::copy_options::recursive);
  std::filesystem::remove(project / "zielwerk.db");
  std::string config = testing::read_file(project / "zielwerk.yaml");
  const std::string inline_token = std::string("token: ") + kToken;
  const auto where = config.find(inline_token);
  ASSERT_NE(where, std::string::npos);
  config.replace(where, inline_token.size(), "token_file: token.txt");
  testing::write_file(project / "zielwerk.yaml", config);
  testing::write_file(project / "token.txt", "kurz\n");
  const std::int64_t before = audit_records();

  Server server(options(project));
  const Status served = server.run();
  ASSERT_FALSE(served.ok());
  EXPECT_NE(served.error().message.find("token"), std::string::npos) << served.error().message;
  EXPECT_EQ(audit_records(), before) << "no step may run when the server cannot start";

  ServerOptions bad_address = options(example_dir());
  bad_address.http = "127.0.0.1:99999";
  EXPECT_EQ(Server(bad_address).run().error().kind, ErrorKind::usage);
}

}  // namespace
}  // namespace zielwerk::server
