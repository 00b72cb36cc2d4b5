// End-to-end: `zielwerk serve --http` as an operator runs it, on a copy of the
// example after the README's first command. The dashboard answers only with
// the token, serves the same JSON as the CLI, survives malformed requests,
// never writes, and headless Chromium shows the goals with their charts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "browser_support.h"
#include "child_process.h"

namespace zielwerk::testing {
namespace {

using nlohmann::json;

const std::string kToken = "beispiel-token-nur-fuer-das-beispiel";  // the example's zielwerk.yaml

struct HttpAnswer {
  int status = 0;
  std::string head;
  std::string body;
};

// Sends `request` bytes as they are to 127.0.0.1:port and reads the answer
// until the server closes (requests say Connection: close). A read waits at
// most 20 s, so a hanging server fails the test instead of blocking it.
HttpAnswer http_exchange(unsigned short port, const std::string& request) {
  HttpAnswer answer;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  timeval timeout{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return answer;
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[65536];
  for (;;) {
    const auto n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  const auto end_of_head = raw.find("\r\n\r\n");
  answer.head = raw.substr(0, end_of_head);
  if (end_of_head != std::string::npos) answer.body = raw.substr(end_of_head + 4);
  if (raw.starts_with("HTTP/1.1 ") && raw.size() >= 12) answer.status = std::stoi(raw.substr(9, 3));
  return answer;
}

HttpAnswer get(unsigned short port, const std::string& target, bool with_token = true) {
  return http_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                 (with_token ? "Authorization: Bearer " + kToken + "\r\n" : "") +
                                 "Connection: close\r\n\r\n");
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("ZIELWERK_ACTOR");
    unsetenv("ZIELWERK_PROJECT");
    std::filesystem::copy(kExample, project_, std::filesystem::copy_options::recursive);
    std::filesystem::remove(project_ / "zielwerk.db");
    const auto data = project_ / "data";
    ASSERT_EQ(cli("import", "--actor controlling-jc " + (data / "2023.csv").string() + " " +
                                (data / "2024.csv").string() + " " + (data / "2025.csv").string())
                  .exit_code,
              0);
    ASSERT_EQ(cli("run", "--actor zielwerk-dienst --now 2025-07-03T10:00").exit_code, 0);
  }

  CliRun cli(const std::string& command, const std::string& args) {
    return zielwerk(command + " --project " + project_.string() + " " + args);
  }

  // Starts serve with the dashboard on a free port; returns the port (0 on failure).
  unsigned short start() {
    daemon_ =
        std::make_unique<Child>(std::vector<std::string>{"serve", "--project", project_.string(),
                                                         "--actor", "zielwerk-dienst", "--http",
                                                         "127.0.0.1:0", "--log-level", "debug"},
                                dir_.path() / "serve.out", dir_.path() / "serve.err");
    const std::regex announced("dashboard on http://127\\.0\\.0\\.1:([0-9]+)/");
    std::smatch match;
    eventually([&] {
      const std::string err = daemon_->err();
      return std::regex_search(err, match, announced) || !daemon_->running();
    });
    const std::string err = daemon_->err();
    if (!std::regex_search(err, match, announced)) return 0;
    // The daemon's first wake-up (catching up on the meetings up to today) is
    // done once it says when it wakes next; the database is quiet from then.
    eventually([&] { return contains(daemon_->err(), "next wake-up in"); });
    return static_cast<unsigned short>(std::stoi(match[1]));
  }

  TempDir dir_;
  std::filesystem::path project_ = dir_.path() / "me-aktiv-2025";
  std::unique_ptr<Child> daemon_;
};

TEST_F(DashboardTest, EveryRequestNeedsTheTokenAndTheApiAnswersAsTheCli) {
  const unsigned short port = start();
  ASSERT_NE(port, 0) << daemon_->err();

  const HttpAnswer refused = get(port, "/api/status", false);
  EXPECT_EQ(refused.status, 401) << refused.head;
  EXPECT_TRUE(contains(refused.head, "WWW-Authenticate: Bearer")) << refused.head;
  EXPECT_FALSE(contains(refused.body, "\"goals\""));
  EXPECT_EQ(
      http_exchange(port,
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token-of-"
                    "the-same-length\r\nConnection: close\r\n\r\n")
          .status,
      401);

  // The latest month with figures is December 2025: the same document as `evaluate`.
  const HttpAnswer status = get(port, "/api/status");
  ASSERT_EQ(status.status, 200) << status.head << status.body;
  EXPECT_TRUE(contains(status.head, "Content-Type: application/json")) << status.head;
  const CliRun evaluated = cli("evaluate", "--period 2025-12 --format json");
  ASSERT_EQ(evaluated.exit_code, 0);
  EXPECT_EQ(json::parse(status.body), json::parse(evaluated.out));

  // The audit trail's imports, as `audit query` gives them.
  const HttpAnswer imports = get(port, "/api/audit?operation=observations.import&oldest_first=1");
  ASSERT_EQ(imports.status, 200) << imports.body;
  const CliRun queried =
      cli("audit query", "--operation observations.import --oldest-first --format json");
  EXPECT_EQ(json::parse(imports.body), json::parse(queried.out));

  // A filter the CLI refuses is refused with the CLI's reason.
  const HttpAnswer typo = get(port, "/api/audit?operation=observations.imprt");
  EXPECT_EQ(typo.status, 400);
  EXPECT_TRUE(contains(typo.body, "did you mean 'observations.import'")) << typo.body;
  EXPECT_EQ(get(port, "/api/status?period=2025-13").status, 400);
  EXPECT_EQ(get(port, "/no/such/page").status, 404);

  const HttpAnswer measures = get(port, "/api/measures?open=1");
  ASSERT_EQ(measures.status, 200) << measures.body;
  EXPECT_TRUE(json::parse(measures.body).contains("measures"));
  const HttpAnswer meetings = get(port, "/api/meetings?from=2025-07-01&to=2025-07-31");
  ASSERT_EQ(meetings.status, 200) << meetings.body;
  EXPECT_EQ(json::parse(meetings.body),
            json::parse(cli("schedule", "--from 2025-07-01 --to 2025-07-31 --format json").out));

  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait(), 0) << daemon_->err();
}

TEST_F(DashboardTest, MalformedRequestsAndWritesChangeNothingAndTheServerGoesOn) {
  const unsigned short port = start();
  ASSERT_NE(port, 0) << daemon_->err();
  const CliRun before = cli("audit verify", "");
  ASSERT_EQ(before.exit_code, 0) << before.err;

  EXPECT_EQ(http_exchange(port, "GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(http_exchange(port, std::string("GET /\0 HTTP/1.1\r\n\r\n", 19)).status, 400);
  EXPECT_EQ(
      http_exchange(port,
                    "GET /api/status?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                        kToken + "\r\n\r\n")
          .status,
      400);
  EXPECT_EQ(http_exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                                    std::string(64 * 1024, 'a') + "\r\n\r\n")
                .status,
            431);
  const HttpAnswer post =
      http_exchange(port, "POST /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                              kToken + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(http_exchange(
                port, "DELETE /api/measures HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                          kToken + "\r\nConnection: close\r\n\r\n")
                .status,
            405);
  // A client that connects and says nothing does not block the others.
  const int idle = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(idle, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  EXPECT_EQ(get(port, "/api/status").status, 200);
  EXPECT_TRUE(daemon_->running());
  close(idle);

  const CliRun after = cli("audit verify", "");
  EXPECT_EQ(after.out, before.out) << "the dashboard wrote nothing";
  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait(), 0) << daemon_->err();
}

TEST_F(DashboardTest, ChromiumShowsTheGoalsWithChartsMeetingsAndTheAuditTrail) {
  ASSERT_TRUE(chromium_available());
  const unsigned short port = start();
  ASSERT_NE(port, 0) << daemon_->err();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  const auto overview = dump_dom(base + "/?token=" + kToken + "&period=2025-06");
  ASSERT_TRUE(overview.ok()) << overview;
  const std::string& dom = overview.out;
  EXPECT_TRUE(contains(dom, "data-period=\"2025-06\"")) << dom.substr(0, 2000);
  std::set<std::string> charted;
  const std::regex chart("<svg[^>]*data-goal=\"([a-z0-9-]+)\"");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), chart); it != std::sregex_iterator();
       ++it) {
    charted.insert((*it)[1]);
  }
  EXPECT_EQ(charted.size(), 10u);  // every target goal and the monitoring goal
  EXPECT_TRUE(charted.count("iq-frauen") == 1 && charted.count("kdu-kostensenkung") == 1);
  EXPECT_TRUE(contains(dom, "data-status=\"at_risk\""));
  EXPECT_TRUE(contains(dom, "id=\"meetings\""));
  EXPECT_TRUE(contains(dom, "id=\"measures\""));
  EXPECT_FALSE(contains(dom, "<script"));

  const auto audit = dump_dom(base + "/audit?token=" + kToken + "&operation=observations.import");
  ASSERT_TRUE(audit.ok()) << audit;
  const std::regex row("<tr data-seq=");
  EXPECT_EQ(std::distance(std::sregex_iterator(audit.out.begin(), audit.out.end(), row),
                          std::sregex_iterator()),
            3);  // the three imported files

  // Without the token the browser gets the 401 page, no figures.
  const auto refused = dump_dom(base + "/");
  ASSERT_TRUE(refused.ok()) << refused;
  EXPECT_FALSE(contains(refused.out, "data-goal="));
  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait(), 0) << daemon_->err();
}

TEST_F(DashboardTest, WithoutATokenInZielwerkYamlServeRefusesToStart) {
  const auto settings = project_ / "zielwerk.yaml";
  std::string text = read_file(settings);
  const auto at = text.find("dashboard:");
  ASSERT_NE(at, std::string::npos);
  text.erase(at);
  write_file(settings, text);
  const CliRun refused = cli("serve", "--actor zielwerk-dienst --http 127.0.0.1:0");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(contains(refused.err, "dashboard token")) << refused.err;
  EXPECT_EQ(cli("serve", "--actor zielwerk-dienst --http 127.0.0.1:99999").exit_code, 2);
}

}  // namespace
}  // namespace zielwerk::testing
