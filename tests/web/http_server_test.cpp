// The HTTP server against a raw TCP client that sends exact bytes. Nothing
// waits for real time to pass: every wait is a socket read bounded by a
// generous deadline, and the server's timeouts are the injected bounds (a
// 200 ms request_timeout makes the slow-client test fast).
#include "zielwerk/web/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace zielwerk::web {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using namespace std::string_literals;

constexpr std::string_view kToken = "s3cr3t-Token_1";
// Long enough for a loaded machine; only a failing test waits this long.
constexpr auto kPatience = 10s;

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return std::nullopt;
  }
};

// A blocking-looking client whose every read has a deadline (Asio's blocking
// reads have none, so they run asynchronously on the client's own io_context).
class Client {
 public:
  explicit Client(unsigned short port) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    connected_ = !ec;
  }

  bool connected() const { return connected_; }

  // False when the server has closed (reset) the connection already.
  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    net::write(socket_, net::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  void shutdown_send() {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
  }

  // One response; nullopt when the connection closed or the deadline passed
  // first. `head`: the response has no body whatever Content-Length says.
  std::optional<Response> read_response(bool head = false) {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!read_more()) return std::nullopt;
    Response response;
    std::string_view header(pending_.data(), end + 2);
    const std::size_t first_line_end = header.find("\r\n");
    const std::string_view status_line = header.substr(0, first_line_end);
    if (status_line.substr(0, 9) != "HTTP/1.1 " && status_line.substr(0, 9) != "HTTP/1.0 ")
      return std::nullopt;
    response.status = std::stoi(std::string(status_line.substr(9, 3)));
    std::size_t content_length = 0;
    for (std::size_t pos = first_line_end + 2; pos < header.size();) {
      const std::size_t line_end = header.find("\r\n", pos);
      const std::string_view line = header.substr(pos, line_end - pos);
      const std::size_t colon = line.find(':');
      std::string name = lower(std::string(line.substr(0, colon)));
      std::string value(line.substr(colon + 1));
      while (!value.empty() && value.front() == ' ')
        value.erase(0, 1);
      if (name == "content-length") content_length = std::stoul(value);
      response.headers.emplace_back(std::move(name), std::move(value));
      pos = line_end + 2;
    }
    pending_.erase(0, end + 4);
    if (head) content_length = 0;
    while (pending_.size() < content_length)
      if (!read_more()) return std::nullopt;
    response.body = pending_.substr(0, content_length);
    pending_.erase(0, content_length);
    return response;
  }

  // Reads until the server closes; true when it did before the deadline.
  // Whatever arrived meanwhile is in received().
  bool wait_closed() {
    while (read_more()) {
    }
    return closed_;
  }

  const std::string& received() const { return pending_; }

 private:
  // False on close, error or the deadline.
  bool read_more() {
    // After a reset Asio's edge-triggered reactor reports nothing more: a
    // second read would wait for the deadline.
    if (ended_) return false;
    std::array<char, 4096> chunk;
    std::optional<boost::system::error_code> result;
    std::size_t got = 0;
    socket_.async_read_some(net::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      got = n;
    });
    io_.restart();
    io_.run_for(kPatience);
    if (!result) {  // deadline: cancel and collect the handler
      socket_.cancel();
      io_.restart();
      io_.run();
      return false;
    }
    pending_.append(chunk.data(), got);
    if (*result) {
      ended_ = true;
      closed_ = *result == net::error::eof || *result == net::error::connection_reset;
      return false;
    }
    return true;
  }

  net::io_context io_;
  tcp::socket socket_{io_};
  bool connected_ = false;
  bool closed_ = false;  // by the server
  bool ended_ = false;   // by the server or an error
  std::string pending_;
};

// A server on an ephemeral port whose handler echoes what it saw.
class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    if (options.token.empty()) options.token = std::string(kToken);
    // The requests below name the host "x" (and "localhost", allowed on loopback).
    if (options.allowed_hosts.empty()) options.allowed_hosts = {"x"};
    options.log = [this](std::string_view line) {
      std::lock_guard lock(mutex_);
      logs_.emplace_back(line);
    };
    server_.emplace(std::move(options), [this](const HttpRequest& request) {
      {
        std::lock_guard lock(mutex_);
        seen_.push_back(request);
      }
      if (request.path == "/boom") throw std::runtime_error("kaputt at the database");
      HttpResponse response;
      response.content_type = "text/plain; charset=utf-8";
      response.body = request.method + " " + request.path;
      for (const auto& [name, value] : request.query)
        response.body += " " + name + "=" + value;
      return response;
    });
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    port_ = server_->bound_port();
  }

  std::optional<Response> get(std::string_view target, std::string_view extra_headers = "") {
    Client client(port_);
    if (!client.connected()) return std::nullopt;
    client.send("GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                std::string(kToken) + "\r\n" + std::string(extra_headers) + "\r\n");
    return client.read_response();
  }

  // The server still answers a good request.
  void expect_alive() {
    const auto response = get("/alive");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "GET /alive");
  }

  std::vector<HttpRequest> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::vector<std::string> logs() {
    std::lock_guard lock(mutex_);
    return logs_;
  }

  std::mutex mutex_;
  std::vector<HttpRequest> seen_;
  std::vector<std::string> logs_;
  std::optional<HttpServer> server_;
  unsigned short port_ = 0;
};

std::string request(std::string_view method, std::string_view target,
                    std::string_view headers = "") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" +
         std::string(headers) + "\r\n";
}

std::string bearer() {
  return "Authorization: Bearer " + std::string(kToken) + "\r\n";
}

// One request on a fresh connection.
std::optional<Response> roundtrip(unsigned short port, const std::string& bytes,
                                  bool head = false) {
  Client client(port);
  if (!client.connected()) return std::nullopt;
  client.send(bytes);
  return client.read_response(head);
}

TEST_F(HttpServerTest, ServesWithTheTokenInTheHeaderAndSetsSecurityHeaders) {
  start();
  const auto response = get("/api/goals?year=2025&name=a%20b+c");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /api/goals name=a b c year=2025");
  EXPECT_EQ(response->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(response->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response->header("content-security-policy"),
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(response->header("referrer-policy"), "no-referrer");
  EXPECT_EQ(response->header("cache-control"), "no-store");
  EXPECT_FALSE(response->header("set-cookie"));
  ASSERT_EQ(seen().size(), 1u);
  EXPECT_EQ(seen()[0].raw_target, "/api/goals?year=2025&name=a%20b+c");
}

TEST_F(HttpServerTest, TokenInTheQuerySetsTheCookieWhichThenSuffices) {
  start();
  const auto response = roundtrip(
      port_, request("GET", "/goals?token=" + std::string(kToken) + "&year=2025&year=2026"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /goals year=2026");  // the last one wins, no token
  EXPECT_EQ(response->header("set-cookie"),
            "zielwerk_token=" + std::string(kToken) + "; HttpOnly; SameSite=Strict; Path=/");
  ASSERT_EQ(seen().size(), 1u);
  EXPECT_FALSE(seen()[0].query.contains("token"));

  const auto follow_up = roundtrip(
      port_,
      request("GET", "/next",
              "Cookie: theme=dark; zielwerk_token=" + std::string(kToken) + "; other=1\r\n"));
  ASSERT_TRUE(follow_up);
  EXPECT_EQ(follow_up->status, 200);
  EXPECT_EQ(follow_up->body, "GET /next");
  EXPECT_FALSE(follow_up->header("set-cookie"));
}

TEST_F(HttpServerTest, MissingOrWrongTokenIs401AndTheHandlerIsNotCalled) {
  start();
  const std::vector<std::string> requests = {
      request("GET", "/"),
      request("GET", "/", "Authorization: Bearer wrong\r\n"),
      request("GET", "/", "Authorization: Bearer " + std::string(kToken) + "x\r\n"),
      request("GET", "/", "Authorization: Basic " + std::string(kToken) + "\r\n"),
      request("GET", "/?token=" + std::string(kToken.substr(1))),
      request("GET", "/", "Cookie: zielwerk_token=nope\r\n"),
      request("GET", "/", "Cookie: other_token=" + std::string(kToken) + "\r\n"),
  };
  for (const auto& bytes : requests) {
    const auto response = roundtrip(port_, bytes);
    ASSERT_TRUE(response) << bytes;
    EXPECT_EQ(response->status, 401) << bytes;
    EXPECT_EQ(response->header("www-authenticate"), "Bearer realm=\"zielwerk\"");
    EXPECT_NE(response->body.find("Authorization: Bearer"), std::string::npos);
    EXPECT_EQ(response->header("x-content-type-options"), "nosniff");
  }
  EXPECT_TRUE(seen().empty());
  for (const auto& line : logs())
    EXPECT_EQ(line.find(kToken), std::string::npos) << line;
}

TEST_F(HttpServerTest, OtherMethodsAre405) {
  start();
  for (std::string_view method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"}) {
    const auto response =
        roundtrip(port_, request(method, "/api/goals", bearer() + "Content-Length: 0\r\n"));
    ASSERT_TRUE(response) << method;
    EXPECT_EQ(response->status, 405) << method;
    EXPECT_EQ(response->header("allow"), "GET, HEAD");
  }
  EXPECT_TRUE(seen().empty());
}

TEST_F(HttpServerTest, RequestBodiesAreRefused) {
  start();
  auto response =
      roundtrip(port_, request("GET", "/", bearer() + "Content-Length: 5\r\n") + "hello");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  response = roundtrip(port_, request("GET", "/", bearer() + "Transfer-Encoding: chunked\r\n") +
                                  "5\r\nhello\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(seen().empty());
  expect_alive();
}

TEST_F(HttpServerTest, MalformedRequestsAre400AndTheConnectionCloses) {
  start();
  const std::vector<std::string> requests = {
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n",  // a TLS hello
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost x\r\n\r\n",
      "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n"s,
      "GET / HTTP/1.1\r\nHost: x\0y\r\n"s + bearer() + "\r\n",
      request("GET", "/a%zzb", bearer()),
      request("GET", "/a%2", bearer()),
      request("GET", "/a%00b", bearer()),
      request("GET", "/a?x=%0", bearer()),
      request("GET", "/a?x=%00", bearer()),
      request("GET", "/a%0Ab", bearer()),
      request("GET", "http://example.org/", bearer()),
      request("GET", "*", bearer()),
  };
  for (const auto& bytes : requests) {
    Client client(port_);
    ASSERT_TRUE(client.connected());
    client.send(bytes);
    const auto response = client.read_response();
    ASSERT_TRUE(response) << testing::PrintToString(bytes);
    EXPECT_EQ(response->status, 400) << testing::PrintToString(bytes);
    EXPECT_EQ(response->header("connection"), "close");
    EXPECT_TRUE(client.wait_closed());
  }
  EXPECT_TRUE(seen().empty());
  expect_alive();
}

TEST_F(HttpServerTest, OversizedHeadersAre431) {
  HttpServerOptions options;
  options.max_header_bytes = 4096;
  start(options);
  auto response =
      roundtrip(port_, request("GET", "/", bearer() + "X-Big: " + std::string(5000, 'a') + "\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  // A header that never ends is cut off at the limit, not buffered.
  Client endless(port_);
  endless.send("GET / HTTP/1.1\r\nX-Big: " + std::string(100000, 'a'));
  response = endless.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(endless.wait_closed());

  std::string many;
  for (int i = 0; i < 101; ++i)
    many += "X-" + std::to_string(i) + ": v\r\n";
  response = roundtrip(port_, request("GET", "/", bearer() + many));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(seen().empty());
  expect_alive();
}

TEST_F(HttpServerTest, SlowClientIsDisconnectedWhileOthersAreServed) {
  HttpServerOptions options;
  options.request_timeout = 200ms;
  start(options);
  Client slow(port_);
  ASSERT_TRUE(slow.connected());
  slow.send("GET / HTTP/1.1\r\nHost: x\r\n");  // ... and never the rest
  Client silent(port_);                        // connects and says nothing
  ASSERT_TRUE(silent.connected());
  expect_alive();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.wait_closed());
  EXPECT_TRUE(silent.wait_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, kPatience);
  EXPECT_TRUE(slow.received().empty());  // closed without an answer
  expect_alive();
  // Logged when the server saw its read fail, which it did before accepting
  // the connection of expect_alive (one thread, handlers in order).
  const auto lines = logs();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("not complete within 200 ms"), std::string::npos) << lines[0];
}

TEST_F(HttpServerTest, ThrowingHandlerIs500AndTheNextRequestSucceeds) {
  start();
  Client client(port_);
  client.send(request("GET", "/boom", bearer()));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body.find("kaputt"), std::string::npos);  // not shown to the client
  client.send(request("GET", "/fine", bearer()));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  const auto lines = logs();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("/boom"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("kaputt"), std::string::npos) << lines[0];
}

TEST_F(HttpServerTest, InvalidHandlerResponsesAre500) {
  HttpServerOptions options;
  options.token = std::string(kToken);
  options.allowed_hosts = {"x"};  // the host the requests name
  server_.emplace(options, [](const HttpRequest& r) {
    HttpResponse response;
    if (r.path == "/inject") response.headers.emplace_back("X-A", "b\r\nSet-Cookie: evil=1");
    if (r.path == "/length") response.headers.emplace_back("Content-Length", "99");
    if (r.path == "/status") response.status = 42;
    if (r.path == "/nocontent") response.status = 204;  // with the default body below
    if (r.path != "/empty") response.body = "body";
    if (r.path == "/empty") response.status = 204;
    if (r.path == "/header") {
      response.headers.emplace_back("Cache-Control", "max-age=5");
      response.headers.emplace_back("Link", "</a>");
      response.headers.emplace_back("Link", "</b>");
    }
    return response;
  });
  ASSERT_TRUE(server_->start().ok());
  port_ = server_->bound_port();
  for (const char* path : {"/inject", "/length", "/status", "/nocontent"}) {
    const auto response = get(path);
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->status, 500) << path;
    EXPECT_FALSE(response->header("set-cookie")) << path;
  }
  const auto empty = get("/empty");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 204);
  const auto response = get("/header");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("cache-control"), "max-age=5");
  int links = 0;
  for (const auto& [name, value] : response->headers)
    links += name == "link" ? 1 : 0;
  EXPECT_EQ(links, 2);
}

TEST_F(HttpServerTest, HeadHasTheHeadersButNoBody) {
  start();
  Client client(port_);
  client.send(request("HEAD", "/page", bearer() + "Connection: close\r\n"));
  const auto response = client.read_response(/*head=*/true);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-length"), std::to_string(std::string("HEAD /page").size()));
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(client.received().empty());  // no body followed the headers
  ASSERT_EQ(seen().size(), 1u);
  EXPECT_EQ(seen()[0].method, "HEAD");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  Client client(port_);
  client.send(request("GET", "/one", bearer()));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /one");
  client.send(request("GET", "/two", bearer()));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /two");
  // Pipelined: both requests in one write.
  client.send(request("GET", "/three", bearer()) + request("GET", "/four", bearer()));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /three");
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /four");
  // A 401 closes the connection: a client without the token keeps no slot.
  client.send(request("GET", "/five"));
  response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(HttpServerTest, RefusedRequestsCannotFloodTheLog) {
  start(HttpServerOptions{});
  for (int i = 0; i < 100; ++i) {
    Client client(port_);
    client.send(request("GET", "/x"));
    const auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401);
  }
  // 30 lines a minute at most; the rest are counted when the minute is over.
  EXPECT_LE(logs().size(), 30u);
  EXPECT_GE(logs().size(), 1u);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options;
  options.idle_timeout = 100ms;
  start(options);
  Client client(port_);
  client.send(request("GET", "/one", bearer()));
  ASSERT_TRUE(client.read_response());
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  HttpServerOptions options;
  options.max_connections = 2;
  start(options);
  // Two token holders keep their connections open (keep-alive).
  std::optional<Client> first(port_), second(port_);
  for (auto* holder : {&first, &second}) {
    (*holder)->send(request("GET", "/held", bearer()));
    const auto held = (*holder)->read_response();
    ASSERT_TRUE(held);
    EXPECT_EQ(held->status, 200);
  }
  std::deque<Client> extra;
  for (int i = 0; i < 30; ++i)
    extra.emplace_back(port_);
  int rejected = 0;
  for (auto& client : extra) {
    client.send(request("GET", "/", bearer()));
    const auto response = client.read_response();
    // The first ones get a 503, those beyond the few the server answers are closed.
    if (response) {
      ++rejected;
      EXPECT_EQ(response->status, 503);
      EXPECT_EQ(response->header("retry-after"), "1");
    }
    EXPECT_TRUE(client.wait_closed());
  }
  EXPECT_GT(rejected, 0);
  first->send(request("GET", "/first", bearer()));
  const auto response = first->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "GET /first");
  // Once the holders are gone, new connections are served again; the server
  // notices a closed connection asynchronously, so a few tries may still get 503.
  first.reset();
  second.reset();
  bool served = false;
  for (int attempt = 0; attempt < 1000 && !served; ++attempt) {
    const auto again = roundtrip(port_, request("GET", "/again", bearer()));
    served = again && again->status == 200;
  }
  EXPECT_TRUE(served);
}

// 70 clients without the token that open connections and send nothing (or
// half a request) never keep a token holder out: each new connection pushes
// out the oldest of those without a token, their own address first.
TEST_F(HttpServerTest, SlowClientsWithoutTheTokenCannotStarveATokenHolder) {
  HttpServerOptions options;
  options.first_line_timeout = 30s;  // not the deadline: the limits do it
  options.request_timeout = 30s;
  start(options);
  std::deque<Client> slow;
  for (int i = 0; i < 70; ++i) {
    slow.emplace_back(port_);
    if (i % 2 == 0) slow.back().send("GET / HTTP/1.1\r\nHost: x\r\n");
  }
  for (int i = 0; i < 20; ++i) {
    const auto response = get("/holder");
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_EQ(response->status, 200) << "request " << i;
  }
  // Of the 70, at most max_pending_per_address (8) are still open: the
  // oldest were closed to make room.
  for (std::size_t i = 0; i < 70 - 8; ++i)
    EXPECT_TRUE(slow[i].wait_closed()) << "slow client " << i;
}

TEST_F(HttpServerTest, ANewConnectionHasAShortTimeForItsRequestLine) {
  HttpServerOptions options;
  options.first_line_timeout = 100ms;
  start(options);
  Client silent(port_);
  ASSERT_TRUE(silent.connected());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.wait_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  expect_alive();
}

TEST_F(HttpServerTest, TargetsThatAreNotUtf8Are400) {
  start();
  for (const std::string target : {"/api/status?period=%ff", "/goal/%c3%28", "/x?%ff=1"}) {
    const auto response = roundtrip(port_, request("GET", target, bearer()));
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 400) << target;
    EXPECT_NE(response->body.find("not UTF-8 text"), std::string::npos) << response->body;
  }
  EXPECT_TRUE(seen().empty());
  const auto umlaut = get("/goal/d%C3%BCsseldorf?name=M%C3%A4rz");
  ASSERT_TRUE(umlaut);
  EXPECT_EQ(umlaut->body, "GET /goal/düsseldorf name=März");
}

TEST_F(HttpServerTest, HostMustNameThisServer) {
  HttpServerOptions options;
  options.allowed_hosts = {"zielwerk.jobcenter.example"};
  start(options);
  const auto with_host = [&](const std::string& host) {
    return roundtrip(port_, "GET /h HTTP/1.1\r\nHost: " + host + "\r\n" + bearer() + "\r\n");
  };
  for (const std::string& host :
       std::vector<std::string>{"127.0.0.1:" + std::to_string(port_), "localhost", "LOCALHOST:1",
                                "Zielwerk.Jobcenter.Example"}) {
    const auto response = with_host(host);
    ASSERT_TRUE(response) << host;
    EXPECT_EQ(response->status, 200) << host;
  }
  for (const std::string host : {"evil.example", "127.0.0.2", "[::1]", "zielwerk.jobcenter"}) {
    const auto response = with_host(host);
    ASSERT_TRUE(response) << host;
    EXPECT_EQ(response->status, 421) << host;
  }
  const auto without = roundtrip(port_, "GET /h HTTP/1.1\r\n" + bearer() + "\r\n");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 421);
  const auto old = roundtrip(port_, "GET /h HTTP/1.0\r\n" + bearer() + "\r\n");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200);  // HTTP/1.0 may leave Host out
}

TEST_F(HttpServerTest, ARequestCarriesOneTokenGuess) {
  start();
  const std::string wrong = "wrong-token-guess-0123";
  for (const auto& bytes :
       {request("GET", "/?token=" + wrong + "&token=" + std::string(kToken)),
        request("GET", "/?token=" + wrong, bearer()),
        request(
            "GET", "/",
            "Cookie: zielwerk_token=" + wrong + "; zielwerk_token=" + std::string(kToken) + "\r\n"),
        request("GET", "/", "Authorization: Bearer " + wrong + "\r\n" + bearer())}) {
    const auto response = roundtrip(port_, bytes);
    ASSERT_TRUE(response) << bytes;
    EXPECT_EQ(response->status, 400) << bytes;
  }
  EXPECT_TRUE(seen().empty());
  // The same token twice is one guess.
  const auto twice = roundtrip(port_, request("GET", "/?token=" + std::string(kToken), bearer()));
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 200);
}

TEST_F(HttpServerTest, StopIsIdempotentFastAndClosesConnections) {
  start();
  Client idle(port_);
  idle.send("GET / HTTP/1.1\r\n");
  expect_alive();
  const auto started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);  // not the 10 s request timeout
  server_->stop();
  EXPECT_TRUE(idle.wait_closed());
  Client late(port_);
  EXPECT_FALSE(late.connected() && late.send(request("GET", "/", bearer())) &&
               late.read_response());
  server_.reset();  // the destructor stops again
}

TEST_F(HttpServerTest, StopFromTwoThreadsAtOnce) {
  start();
  std::thread other([this] { server_->stop(); });
  server_->stop();
  other.join();
}

TEST_F(HttpServerTest, StopFromAHandlerDoesNotDeadlock) {
  HttpServerOptions options;
  options.token = std::string(kToken);
  options.allowed_hosts = {"x"};  // the host the requests name
  std::promise<void> stopped;
  server_.emplace(options, [this, &stopped](const HttpRequest&) {
    server_->stop();  // only asks: the join would wait for this very call
    stopped.set_value();
    return HttpResponse{};
  });
  ASSERT_TRUE(server_->start().ok());
  port_ = server_->bound_port();
  Client client(port_);
  client.send(request("GET", "/", bearer()));
  ASSERT_EQ(stopped.get_future().wait_for(kPatience), std::future_status::ready);
  server_->stop();  // joins and closes the connection
  EXPECT_TRUE(client.wait_closed());
}

TEST(HttpServer, BindingAPortInUseIsAUsageError) {
  HttpServerOptions options;
  options.token = std::string(kToken);
  HttpServer first(options, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(first.start().ok());
  options.port = first.bound_port();
  HttpServer second(options, [](const HttpRequest&) { return HttpResponse{}; });
  const Status status = second.start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  EXPECT_NE(status.error().message.find("127.0.0.1:" + std::to_string(options.port)),
            std::string::npos)
      << status.error().message;
  second.stop();  // never started: nothing to do
}

TEST(HttpServer, InvalidOptionsAreUsageErrors) {
  const auto start_with = [](HttpServerOptions options) {
    HttpServer server(std::move(options), [](const HttpRequest&) { return HttpResponse{}; });
    return server.start();
  };
  HttpServerOptions options;
  auto status = start_with(options);  // no token
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  options.token = "with space";
  status = start_with(options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  options.token = std::string(kToken);
  options.address = "999.1.1.1";
  status = start_with(options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::usage);
  EXPECT_NE(status.error().message.find("999.1.1.1"), std::string::npos);
  options.address = "192.0.2.1";  // TEST-NET: not on this machine
  status = start_with(options);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("192.0.2.1"), std::string::npos);
}

TEST(HttpServer, ParseListenAddress) {
  using Pair = std::pair<std::string, unsigned short>;
  const auto ok = [](std::string_view text) {
    auto result = parse_listen_address(text);
    EXPECT_TRUE(result.ok()) << text;
    return result.ok() ? result.value() : Pair{};
  };
  EXPECT_EQ(ok("127.0.0.1:8080"), (Pair{"127.0.0.1", 8080}));
  EXPECT_EQ(ok("8080"), (Pair{"127.0.0.1", 8080}));
  EXPECT_EQ(ok("[::1]:8080"), (Pair{"::1", 8080}));
  EXPECT_EQ(ok("0.0.0.0:1"), (Pair{"0.0.0.0", 1}));
  EXPECT_EQ(ok("localhost:65535"), (Pair{"127.0.0.1", 65535}));
  EXPECT_EQ(ok("127.0.0.1:0"), (Pair{"127.0.0.1", 0}));  // any free port
  for (std::string_view bad :
       {"", "65536", "99999999", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:80a",
        "127.0.0.1: 80", "::1:8080", "[::1]", "[::1]8080", "[127.0.0.1]:80", "example.org:80",
        "256.0.0.1:80", "127.0.0.1:-1", "127.0.0.1:+80"}) {
    const auto result = parse_listen_address(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().kind, ErrorKind::usage);
    EXPECT_NE(result.error().message.find("'" + std::string(bad) + "'"), std::string::npos);
  }
}

TEST(HttpServer, IsLoopback) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.1.2.3"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("::"));
  EXPECT_FALSE(is_loopback("192.168.1.1"));
  EXPECT_FALSE(is_loopback("nonsense"));
}

// Random mutations of a good request (seeded, so a failure reproduces): each
// connection must end with an answer or a close, and the server keeps serving.
TEST_F(HttpServerTest, SurvivesRandomlyMutatedRequests) {
  HttpServerOptions options;
  options.request_timeout = 2s;
  start(options);
  const std::string good = "GET /api/goals?year=2025&x=%41+b HTTP/1.1\r\nHost: localhost\r\n" +
                           bearer() + "Cookie: zielwerk_token=" + std::string(kToken) +
                           "\r\nAccept: text/html\r\n\r\n";
  std::mt19937 random(20250715);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  std::map<int, int> statuses;  // 0: closed without an answer
  for (int round = 0; round < 200; ++round) {
    std::string bytes = good;
    const std::size_t mutations = 1 + pick(4);
    for (std::size_t m = 0; m < mutations && !bytes.empty(); ++m) {
      switch (pick(6)) {
        case 0:  // flip a byte
          bytes[pick(bytes.size())] = static_cast<char>(pick(256));
          break;
        case 1:  // insert random bytes
          bytes.insert(pick(bytes.size()), std::string(1 + pick(8), static_cast<char>(pick(256))));
          break;
        case 2:  // delete a range
          bytes.erase(pick(bytes.size()), 1 + pick(16));
          break;
        case 3:  // duplicate a range
        {
          const std::size_t at = pick(bytes.size());
          bytes.insert(at, bytes.substr(at, 1 + pick(40)));
          break;
        }
        case 4:  // truncate
          bytes.resize(pick(bytes.size()));
          break;
        default:  // a special character somewhere
          bytes.insert(pick(bytes.size()), std::string(1, "\0\r\n%:? \t\x7f\xff"[pick(11)]));
          break;
      }
    }
    Client client(port_);
    ASSERT_TRUE(client.connected()) << "round " << round;
    client.send(bytes);
    client.shutdown_send();  // the server sees the end instead of waiting for more
    EXPECT_TRUE(client.wait_closed()) << "round " << round << ": " << testing::PrintToString(bytes);
    // Whatever came back is HTTP with one of the server's statuses.
    const std::string& received = client.received();
    if (received.empty()) {
      ++statuses[0];
      continue;
    }
    ASSERT_EQ(received.substr(0, 7), "HTTP/1.") << testing::PrintToString(bytes);
    const int status = std::stoi(received.substr(9, 3));
    // 421: a mutation changed the Host header.
    EXPECT_TRUE(status == 200 || status == 400 || status == 401 || status == 405 || status == 413 ||
                status == 421 || status == 431)
        << status;
    ++statuses[status];
  }
  // The mutations reach every part of the server, not only the parser.
  EXPECT_GT(statuses[200], 0) << testing::PrintToString(statuses);
  EXPECT_GT(statuses[400], 0) << testing::PrintToString(statuses);
  EXPECT_GT(statuses[401], 0) << testing::PrintToString(statuses);
  for (const auto& line : logs())
    EXPECT_EQ(line.find(kToken), std::string::npos) << line;
  expect_alive();
}

}  // namespace
}  // namespace zielwerk::web
