// A small HTTP/1.1 server for the read-only dashboard and JSON API of
// `zielwerk serve --http`. It knows HTTP, the access token and how to survive
// hostile clients; what a path means is the handler's business
// (web/dashboard.h). Boost.Beast stays inside http_server.cpp.
//
// What reaches the handler: a complete, well-formed GET or HEAD request
// without a body, whose target starts with '/', carrying the right token. The
// server itself answers everything else:
//  - 400 malformed request (bad request line or header, NUL bytes, invalid
//    percent-encoding, a target not in origin form, a path or query parameter
//    that does not decode to UTF-8 text, several different tokens), then
//    closes;
//  - 421 a Host header that names neither the address listened on (any IP
//    address when listening on all), nor "localhost" on loopback, nor a name
//    of allowed_hosts (DNS rebinding), and an HTTP/1.1 request without Host;
//  - 431 header larger than max_header_bytes or more than 100 header fields,
//    then closes;
//  - 405 (Allow: GET, HEAD) any other method, then closes;
//  - 413 a request with a body (Content-Length > 0 or chunked), then closes;
//  - 401 (WWW-Authenticate: Bearer realm="zielwerk") a missing or wrong token;
//  - 500 a handler that throws or returns an invalid response (logged);
//  - 503 a connection beyond max_connections (a few are answered, the rest
//    refused at once, so memory stays bounded), then closes.
// A new connection must send its request line within first_line_timeout and
// the whole request within request_timeout; a keep-alive connection idle for
// idle_timeout is closed without an answer.
//
// Capacity for token holders: a connection is "pending" until it made an
// authorised request. At most max_connections - reserved_connections (the
// reserve is at most a quarter) are pending, at most max_pending_per_address of them from one IP
// address; a new connection that finds no room closes the oldest pending one (of its own address
// first) instead of being refused. So clients without the token, however many and however slow,
// never hold the slots of those with it, and a token holder's new connection always gets in.
//
// The token is accepted as `Authorization: Bearer <token>`, as the query
// parameter `token=<token>` (links a browser can open) or as the cookie
// `zielwerk_token=<token>`. When it came in the query, the response sets that
// cookie (HttpOnly; SameSite=Strict; Path=/) so later links work without it.
// Tokens are compared in constant time and never logged; the `token`
// parameter is removed from HttpRequest::query. A request carries one guess:
// the token in several places must be the same token.
//
// Every response carries X-Content-Type-Options: nosniff, a
// Content-Security-Policy that allows no scripts (inline styles and data:
// images only), Referrer-Policy: no-referrer and Cache-Control: no-store.
//
// Threads: the server runs one io_context on one thread of its own. The
// handler and the log callback are called on that thread only, one call at a
// time: handlers run sequentially and need no locking against each other (the
// dashboard uses one SQLite connection). A slow handler delays every client.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zielwerk/common/error.h"

namespace zielwerk::web {

// What a handler sees; already authenticated.
struct HttpRequest {
  std::string method;  // "GET" or "HEAD"
  std::string path;    // percent-decoded path without the query, e.g. "/api/goals"
  // Percent-decoded ('+' is a space); the last of repeated names wins; without `token`.
  std::map<std::string, std::string, std::less<>> query;
  std::string raw_target;  // as received (may carry the token: do not log or echo it)
};

// What a handler answers. For HEAD the server sends the headers of this
// response (Content-Length included) without the body.
struct HttpResponse {
  int status = 200;  // 200..599; anything else is a handler bug and becomes 500
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  // Extra headers. The first one of a name replaces a header the server would
  // set (e.g. Cache-Control); Content-Length, Transfer-Encoding and Connection
  // are the server's. A name that is not an HTTP token, or a value with CR, LF
  // or NUL, is a handler bug and becomes 500.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called on the server's thread, one request at a time. An exception becomes a
// 500 with a generic body; its what() is logged.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // an IP address; loopback by default
  unsigned short port = 0;            // 0: an ephemeral port (tests); bound_port() tells
  // Required: non-empty, only the URL-safe characters A-Z a-z 0-9 - . _ ~ so it
  // can travel unchanged in a link, a cookie and a header.
  std::string token;
  std::size_t max_connections = 64;  // open connections served at once
  // Of those, how many are kept for connections that made an authorised
  // request (at most a quarter of max_connections).
  std::size_t reserved_connections = 16;
  // Connections without an authorised request yet, from one IP address.
  std::size_t max_pending_per_address = 8;
  // A new connection's request line must arrive within it.
  std::chrono::milliseconds first_line_timeout{2000};
  // Host names (without port) requests may name besides the listen address;
  // compared without regard to case.
  std::vector<std::string> allowed_hosts;
  // The whole request (line and headers) must arrive within it, counted from
  // the connection (first request) or from its first byte (later ones); writing
  // a response is bounded by it too. Defends against slowloris clients.
  std::chrono::milliseconds request_timeout{10000};
  // A keep-alive connection waiting for its next request is closed after it.
  std::chrono::milliseconds idle_timeout{15000};
  std::size_t max_header_bytes = 8 * 1024;  // request line and headers together
  // One line per problem (malformed request, refused token, handler failure,
  // overload), without a newline; called on the server's thread. Optional.
  std::function<void(std::string_view)> log;
};

// Parses the argument of `--http`: "127.0.0.1:8080", "8080" (loopback),
// "[::1]:8080", "0.0.0.0:8080", "localhost:8080" (127.0.0.1). The address must
// be an IP literal; the port 0..65535 (0: any free port, bound_port() tells
// which). Otherwise ErrorKind::usage naming the text.
Result<std::pair<std::string, unsigned short>> parse_listen_address(std::string_view text);

// Whether `address` (an IP literal or "localhost") is a loopback address
// (127.0.0.0/8, ::1, ::ffff:127.x.y.z). False for anything unparsable.
bool is_loopback(std::string_view address);

class HttpServer {
 public:
  // The handler is owned by the server and called until stop() returns.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts serving on the server's own thread; returns once
  // listening. Call once (a second call after success is a programming error:
  // std::logic_error). Fails with ErrorKind::usage when the options are
  // invalid (token, limits) or the address cannot be used (not an IP address,
  // port in use, address not on this machine; the message names the address);
  // nothing is started then.
  Status start();

  // Closes the listener and every connection and joins the server's thread;
  // a request in the handler finishes first. Idempotent and thread-safe. Called
  // from a handler it only asks the server to stop; the join happens in the
  // next stop() from another thread or in the destructor.
  void stop();

  // The port listened on (the ephemeral one when options.port was 0); 0 before start().
  unsigned short bound_port() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk::web
