// The HTTP server on Boost.Beast; http_server.h shows none of it.
//
// One io_context, run by one thread of the server's own. Each connection is a
// Session (shared_ptr kept alive by its pending operation) on a beast::tcp_stream,
// whose deadline bounds every phase: the request's line and headers
// (request_timeout), the wait for the next request on a keep-alive connection
// (idle_timeout), writing the answer (request_timeout) and the lingering close
// (below). Only the header is ever read (async_read_header); a request that
// announces a body is answered and the connection closed, so no body is ever
// buffered. Memory per connection is bounded by the read buffer
// (max_header_bytes plus a little) and the response; the number of connections
// by max_connections plus a few that only get a 503.
//
// Everything in Core and Session is touched on the server's thread only;
// HttpServer::State holds what other threads touch (the thread, the stop flag,
// the bound port) behind a mutex or an atomic.
#include "zielwerk/web/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <cstdint>
#include <exception>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "zielwerk/common/utf8.h"

namespace zielwerk::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// Beast limits the header's bytes, not its fields; 100 is far beyond what a
// browser sends and keeps per-request work small.
constexpr std::size_t kMaxHeaderFields = 100;
// Connections beyond max_connections that still get a 503 before the close;
// beyond these they are closed at once, so an overload costs no memory.
constexpr std::size_t kMaxRejectedConnections = 16;
// After an answer that closes the connection the server shuts down its sending
// side and reads what the client still sends before closing: closing a socket
// with unread data makes the kernel send a reset, which can destroy the answer
// before the client read it. Bounded in bytes and time.
constexpr std::size_t kMaxLingerBytes = 256 * 1024;
constexpr std::chrono::milliseconds kMaxLingerTime = 2s;
// accept() failing (e.g. out of file descriptors) is retried after a pause
// instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetry = 100ms;

constexpr std::string_view kCookieName = "zielwerk_token";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'";
constexpr std::string_view kPlainText = "text/plain; charset=utf-8";

bool is_url_safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 9110 tchar.
bool is_token_char(char c) {
  return is_url_safe(c) || std::string_view("!#$%&'*+^`|").find(c) != std::string_view::npos;
}

bool is_http_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::string_view view(beast::string_view text) {
  return {text.data(), text.size()};
}

// The fields of one name, for a range-for.
template <typename Fields>
auto fields(const Fields& all, http::field name) {
  struct Range {
    typename Fields::const_iterator first, last;
    auto begin() const { return first; }
    auto end() const { return last; }
  };
  const auto [first, last] = all.equal_range(name);
  return Range{first, last};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// Request bytes in a log line: printable ASCII only, short, so a request can
// neither forge log lines nor flood them.
std::string printable(std::string_view text) {
  constexpr std::size_t kMax = 200;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  if (text.size() > kMax) out += "...";
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// nullopt for a '%' not followed by two hex digits and for a decoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

struct ParsedTarget {
  std::string problem;  // non-empty: the target is refused, this says why
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  std::vector<std::string> tokens;  // values of `token`, removed from query
};

// Origin form only ("/path?query"): absolute URLs, "*" and authority forms are
// not for this server. The path must not decode to control characters; path,
// parameter names and values must decode to UTF-8 text (what the dashboard
// passes on to the engine and quotes back).
std::optional<ParsedTarget> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  ParsedTarget parsed;
  const auto refuse = [&](std::string why) {
    ParsedTarget refused;
    refused.problem = std::move(why);
    return refused;
  };
  const std::size_t question = target.find('?');
  auto path = percent_decode(target.substr(0, question), /*plus_is_space=*/false);
  if (!path) return std::nullopt;
  if (std::any_of(path->begin(), path->end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return std::nullopt;
  if (!is_valid_utf8(*path)) return refuse("the path is not UTF-8 text");
  parsed.path = std::move(*path);
  if (question == std::string_view::npos) return parsed;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    if (!is_valid_utf8(*name) || !is_valid_utf8(*value)) {
      return refuse("the query parameter " + quote(*name, 40) + " is not UTF-8 text");
    }
    if (*name == "token") {
      parsed.tokens.push_back(std::move(*value));
    } else {
      parsed.query.insert_or_assign(std::move(*name), std::move(*value));
    }
  }
  return parsed;
}

// Constant time in the candidate: the loop runs over the expected token's
// length whatever the candidate is, and never exits early.
bool token_matches(std::string_view expected, std::string_view candidate) {
  unsigned difference = expected.size() == candidate.size() ? 0u : 1u;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char c = i < candidate.size() ? candidate[i] : '\0';
    difference |= static_cast<unsigned char>(expected[i] ^ c);
  }
  return difference == 0;
}

// "127.0.0.1:8080", "[::1]:8080".
std::string endpoint_text(std::string_view address, unsigned short port) {
  const bool v6 = address.find(':') != std::string_view::npos;
  std::string text = v6 ? "[" + std::string(address) + "]" : std::string(address);
  return text + ":" + std::to_string(port);
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  return endpoint_text(endpoint.address().to_string(), endpoint.port());
}

class Session;

// The host part of a Host header, lower case: "127.0.0.1:8080" -> "127.0.0.1",
// "[::1]:8080" -> "::1", "Zielwerk.Example" -> "zielwerk.example".
std::string host_of(std::string_view header) {
  std::string_view host = trim(header);
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    host = close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);
  return lower;
}

// Whether a request naming `host` (host_of) is for this server: the address
// it listens on, any IP address when it listens on all of them, "localhost"
// when it listens on loopback, or a name of the allow-list. A browser lured to
// another name that resolves here (DNS rebinding) sends that name.
bool host_allowed(const HttpServerOptions& options, const std::string& host) {
  for (const auto& allowed : options.allowed_hosts) {
    if (iequals(allowed, host)) return true;
  }
  beast::error_code ec;
  const auto listening = net::ip::make_address(options.address, ec);
  if (ec) return false;
  if (host == "localhost") return listening.is_loopback() || listening.is_unspecified();
  const auto named = net::ip::make_address(host, ec);
  if (ec) return false;
  return listening.is_unspecified() || named == listening;
}

// What the sessions share: options, handler, the io_context and the counters.
// Touched on the server's thread only (and by start()/stop() while it is not
// running).
struct Core {
  HttpServerOptions options;
  HttpHandler handler;
  std::unique_ptr<net::io_context> io;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> accept_retry;
  std::size_t connections = 0;  // sessions being served (evicted ones until they are gone)
  std::size_t rejected = 0;     // sessions answering 503
  std::size_t evicted = 0;      // sessions closed to make room, not yet gone
  // Sessions that have not yet made an authorised request, oldest first; a
  // new connection that finds no room pushes out the oldest of them (of its
  // own address first). Raw pointers: a Session removes itself on its way out.
  std::list<Session*> pending;
  std::map<std::string, std::size_t, std::less<>> pending_per_address;

  // Room for a new connection from `address`: closes the oldest pending
  // connection of that address when it has max_pending_per_address, and the
  // oldest pending one overall when max_pending_connections are pending.
  void make_room(const std::string& address);

  // At most kLogLinesPerMinute problem lines a minute, then a count: a
  // client without the token must not be able to fill the daemon's log.
  static constexpr std::size_t kLogLinesPerMinute = 30;
  std::chrono::steady_clock::time_point log_window_start{};
  std::size_t log_window_lines = 0;
  std::size_t log_suppressed = 0;

  void log(std::string_view line) {
    if (!options.log) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - log_window_start >= std::chrono::minutes(1)) {
      if (log_suppressed > 0) {
        options.log(std::to_string(log_suppressed) +
                    " further problems in the last minute were not logged");
      }
      log_window_start = now;
      log_window_lines = 0;
      log_suppressed = 0;
    }
    if (log_window_lines >= kLogLinesPerMinute) {
      ++log_suppressed;
      return;
    }
    ++log_window_lines;
    options.log(line);
  }
  void accept();
  // Of max_connections, the reserve for token holders is at most a quarter.
  std::size_t max_pending() const {
    const std::size_t reserve = std::min(options.reserved_connections, options.max_connections / 4);
    return options.max_connections - reserve;
  }
};

// The parts of a response Session::send writes.
struct Answer {
  HttpResponse response;
  bool keep_alive = false;
  bool head = false;
};

Answer plain(int status, std::string body) {
  Answer answer;
  answer.response.status = status;
  answer.response.content_type = std::string(kPlainText);
  answer.response.body = std::move(body) + "\n";
  return answer;
}

// Beast fills in the reason phrase for known statuses; an unknown one (e.g. a
// handler's 299) goes out with an empty reason, which HTTP allows.
http::response<http::string_body> to_beast(Answer answer, unsigned version) {
  HttpResponse& r = answer.response;
  http::response<http::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  res.set(http::field::content_type, r.content_type);
  // Beast 1.74 has no field constants for these three.
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy",
          beast::string_view(kContentSecurityPolicy.data(), kContentSecurityPolicy.size()));
  res.set("Referrer-Policy", "no-referrer");
  res.set(http::field::cache_control, "no-store");
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : r.headers) {
    // Named, not the binding: lambdas capture structured bindings only since C++20,
    // which clang 14 (the fuzz build) does not implement.
    const std::string_view header = name;
    if (std::find_if(seen.begin(), seen.end(),
                     [&](std::string_view s) { return iequals(s, header); }) == seen.end()) {
      res.set(name, value);
      seen.push_back(name);
    } else {
      res.insert(name, value);
    }
  }
  res.keep_alive(answer.keep_alive);
  if (answer.head) {
    // The headers a GET would get, without the body.
    res.content_length(r.body.size());
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

// Empty when the handler's response can be sent; else what is wrong with it.
std::string check_response(const HttpResponse& r) {
  const auto bad_value = [](std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  if (r.status < 200 || r.status > 599) return "status " + std::to_string(r.status);
  if ((r.status == 204 || r.status == 304) && !r.body.empty())
    return "body with status " + std::to_string(r.status);
  if (bad_value(r.content_type)) return "content type with CR, LF or NUL";
  for (const auto& [name, value] : r.headers) {
    if (!is_http_token(name)) return "header name '" + printable(name) + "'";
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
        iequals(name, "connection"))
      return "header " + name + " (the server's)";
    if (bad_value(value)) return "header " + name + " with CR, LF or NUL";
  }
  return {};
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `rejected`: the connection is over the limit and only gets a 503.
  Session(Core& core, tcp::socket socket, std::string address, bool rejected)
      : core_(core),
        stream_(std::move(socket)),
        buffer_(core.options.max_header_bytes + 4096),
        address_(std::move(address)),
        rejected_(rejected),
        accepted_(std::chrono::steady_clock::now()) {
    ++(rejected_ ? core_.rejected : core_.connections);
    beast::error_code ec;
    // Each answer is one write; without this, Nagle's algorithm holds the
    // second of two pipelined answers until the client's delayed ACK (40 ms).
    stream_.socket().set_option(tcp::no_delay(true), ec);
    const auto remote = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? std::string("?") : endpoint_text(remote);
    if (!rejected_) {
      pending_ = core_.pending.insert(core_.pending.end(), this);
      ++core_.pending_per_address[address_];
    }
  }
  ~Session() {
    leave_pending();
    if (evicted_) --core_.evicted;
    --(rejected_ ? core_.rejected : core_.connections);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    if (rejected_) {
      Answer answer = plain(503, "Too many connections; try again later.");
      answer.response.headers.emplace_back("Retry-After", "1");
      send(std::move(answer), 11);
      return;
    }
    // A new connection has a short time for its request line: a client that
    // opens connections and sends nothing (or a byte at a time) cannot hold
    // a slot for the whole request_timeout.
    stream_.expires_after(
        std::min(core_.options.first_line_timeout, core_.options.request_timeout));
    read_first_line();
  }

  const std::string& address() const { return address_; }

  // Closes a pending connection to make room for a new one.
  void evict() {
    leave_pending();
    evicted_ = true;
    ++core_.evicted;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

 private:
  void leave_pending() {
    if (!pending_) return;
    core_.pending.erase(*pending_);
    pending_.reset();
    const auto count = core_.pending_per_address.find(address_);
    if (count != core_.pending_per_address.end() && --count->second == 0)
      core_.pending_per_address.erase(count);
  }

  // Whether the bytes so far cannot begin a request line: a control
  // character (a TLS handshake, binary noise) or, in the method, anything but
  // letters. The parser then answers 400 at once instead of waiting for a line.
  static bool cannot_be_a_request_line(std::string_view data) {
    const std::size_t method_end = std::min(data.find(' '), data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto byte = static_cast<unsigned char>(data[i]);
      if ((byte < 0x20U && byte != '\r' && byte != '\t') || byte == 0x7FU) return true;
      if (i < method_end && !((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z')))
        return true;
    }
    return false;
  }

  // Reads until the first line is complete (or the header limit is reached,
  // which the parser then reports), then the rest of the header in what is
  // left of request_timeout.
  void read_first_line() {
    const std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (data.find('\n') != std::string_view::npos || cannot_be_a_request_line(data) ||
        buffer_.size() >= core_.options.max_header_bytes) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - accepted_);
      read_header(std::max(core_.options.request_timeout - elapsed, std::chrono::milliseconds(1)));
      return;
    }
    const std::size_t room = std::min<std::size_t>(1024, buffer_.max_size() - buffer_.size());
    stream_.async_read_some(
        buffer_.prepare(room), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->buffer_.commit(n);
          if (ec == beast::error::timeout && self->buffer_.size() > 0) {
            self->problem("no request line within " +
                          std::to_string(self->core_.options.first_line_timeout.count()) +
                          " ms; closed");
          }
          if (ec) return;  // timeout, eviction or the client closed
          self->read_first_line();
        });
  }

  void problem(std::string_view what) const {
    core_.log("http " + peer_ + ": " + std::string(what));
  }

  // Reads the next request's line and headers within `timeout`.
  void read_header(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(core_.options.max_header_bytes, UINT32_MAX)));
    stream_.expires_after(timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // Keep-alive: wait up to idle_timeout for the next request to begin, then
  // give it request_timeout. Bytes already buffered (pipelining) begin it now.
  void await_next_request() {
    if (buffer_.size() > 0) {
      read_header(core_.options.request_timeout);
      return;
    }
    stream_.expires_after(core_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(1024),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return;  // idle timeout, or the client closed: both normal
                              self->read_header(self->core_.options.request_timeout);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) {
      on_read_error(ec);
      return;
    }
    const auto& req = parser_->get();
    const unsigned version = req.version();
    if (static_cast<std::size_t>(std::distance(req.begin(), req.end())) > kMaxHeaderFields) {
      problem("more than " + std::to_string(kMaxHeaderFields) + " header fields");
      send(plain(431, "Too many header fields."), version);
      return;
    }
    for (const auto& field : req) {
      const auto value = field.value();
      if (std::any_of(value.begin(), value.end(), [](char c) {
            return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
          })) {
        problem("control character in header " + printable(view(field.name_string())));
        send(plain(400, "Bad request: control character in a header."), version);
        return;
      }
    }
    const bool head = req.method() == http::verb::head;
    if (req.method() != http::verb::get && !head) {
      problem("method " + printable(view(req.method_string())) + " not allowed");
      Answer answer = plain(405, "Only GET and HEAD are allowed: this server changes nothing.");
      answer.response.headers.emplace_back("Allow", "GET, HEAD");
      send(std::move(answer), version);
      return;
    }
    if (!parser_->is_done()) {
      // Content-Length > 0 or chunked; the body is never read.
      problem("request with a body");
      Answer answer = plain(413, "Requests must not have a body.");
      answer.head = head;
      send(std::move(answer), version);
      return;
    }
    const std::string_view target(req.target().data(), req.target().size());
    auto parsed = parse_target(target);
    if (!parsed) {
      problem("malformed target (not /path?query, bad percent-encoding or a control character)");
      Answer answer = plain(400, "Bad request: malformed target.");
      answer.head = head;
      send(std::move(answer), version);
      return;
    }
    if (!parsed->problem.empty()) {
      problem("target refused: " + printable(parsed->problem));
      Answer answer = plain(400, "Bad request: " + parsed->problem + ".");
      answer.head = head;
      send(std::move(answer), version);
      return;
    }
    {
      const auto host_field = req.find(http::field::host);
      const bool has_host = host_field != req.end();
      const std::string host = has_host ? host_of(view(host_field->value())) : std::string();
      if ((has_host || version >= 11) && !host_allowed(core_.options, host)) {
        problem("Host " + printable(host) + " is not this dashboard's");
        Answer answer = plain(421,
                              "Misdirected request: the Host header names no address of this "
                              "dashboard (add the name to dashboard.hosts in zielwerk.yaml).");
        answer.head = head;
        send(std::move(answer), version);
        return;
      }
    }
    const bool keep_alive = req.keep_alive();

    // Each way of passing the token is checked; any match is enough.
    const std::string_view token = core_.options.token;
    // One guess per request: a request carrying several different tokens
    // (query, header, cookie, repeated) is refused before any is compared.
    std::vector<std::string_view> candidates;
    bool from_query = false;
    for (const auto& candidate : parsed->tokens) {
      candidates.push_back(candidate);
      from_query = true;
    }
    for (const auto& field : fields(req, http::field::authorization)) {
      const std::string_view value(field.value().data(), field.value().size());
      const std::size_t space = value.find(' ');
      if (space == std::string_view::npos || !iequals(value.substr(0, space), "bearer")) continue;
      candidates.push_back(trim(value.substr(space + 1)));
    }
    for (const auto& field : fields(req, http::field::cookie)) {
      std::string_view rest(field.value().data(), field.value().size());
      while (!rest.empty()) {
        const std::size_t semicolon = rest.find(';');
        const std::string_view pair = trim(rest.substr(0, semicolon));
        rest =
            semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != kCookieName) continue;
        candidates.push_back(trim(pair.substr(eq + 1)));
      }
    }
    const bool presented = !candidates.empty();
    if (std::any_of(candidates.begin(), candidates.end(),
                    [&](std::string_view c) { return c != candidates.front(); })) {
      problem("several different tokens in one request for " + printable(parsed->path));
      Answer answer = plain(400, "Bad request: more than one token; send one.");
      answer.head = head;
      send(std::move(answer), version);
      return;
    }
    const bool authorized = presented && token_matches(token, candidates.front());
    from_query = from_query && authorized;
    if (!authorized) {
      problem(std::string(presented ? "wrong token" : "no token") + " for " +
              printable(parsed->path));
      Answer answer = plain(401,
                            "Unauthorized. Pass the dashboard token of zielwerk.yaml: open "
                            "the link with ?token=<token>, or send the header "
                            "'Authorization: Bearer <token>'.");
      answer.response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"zielwerk\"");
      // Closed: a client without the token gets no connection slot to keep.
      answer.keep_alive = false;
      answer.head = head;
      send(std::move(answer), version);
      return;
    }

    // A token holder's connection is no longer one a newcomer may push out.
    leave_pending();
    HttpRequest request;
    request.method = head ? "HEAD" : "GET";
    request.path = std::move(parsed->path);
    request.query = std::move(parsed->query);
    request.raw_target = std::string(target);
    Answer answer;
    try {
      answer.response = core_.handler(request);
      if (const std::string wrong = check_response(answer.response); !wrong.empty()) {
        problem("handler for " + printable(request.path) + " answered an invalid " + wrong);
        answer = plain(500, "Internal server error.");
      }
    } catch (const std::exception& error) {
      problem("handler for " + printable(request.path) + " failed: " + printable(error.what()));
      answer = plain(500, "Internal server error.");
    } catch (...) {
      problem("handler for " + printable(request.path) + " failed with an unknown exception");
      answer = plain(500, "Internal server error.");
    }
    if (from_query) {
      answer.response.headers.emplace_back("Set-Cookie", std::string(kCookieName) + "=" +
                                                             std::string(token) +
                                                             "; HttpOnly; SameSite=Strict; Path=/");
    }
    answer.keep_alive = keep_alive;
    answer.head = head;
    send(std::move(answer), version);
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) return;
    if (ec == beast::error::timeout) {
      // tcp_stream closed the socket. A connection that sent nothing at all is
      // usually a browser's speculative preconnect: closed, but not worth a line.
      if (parser_->got_some() || buffer_.size() > 0)
        problem("request not complete within " +
                std::to_string(core_.options.request_timeout.count()) + " ms; closed");
      return;
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      problem("header larger than " + std::to_string(core_.options.max_header_bytes) + " bytes");
      send(plain(431, "Request header fields too large."), 11);
      return;
    }
    if (ec.category() == beast::error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message) {
      problem("malformed request: " + ec.message());
      send(plain(400, "Bad request."), 11);
      return;
    }
    // A connection reset, or the client closed in the middle of a request:
    // nobody to answer.
  }

  // Writes the answer; then reads the next request or closes.
  void send(Answer answer, unsigned version) {
    const bool keep_alive = answer.keep_alive;
    response_ = to_beast(std::move(answer), version == 10 ? 10 : 11);
    stream_.expires_after(core_.options.request_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (keep_alive) {
                          self->await_next_request();
                        } else {
                          self->linger_close();
                        }
                      });
  }

  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return;
    buffer_.consume(buffer_.size());
    stream_.expires_after(
        std::min(core_.options.request_timeout, std::chrono::milliseconds(kMaxLingerTime)));
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              // Ends with the client's close, the deadline or the byte limit; the
                              // socket is closed when the session goes.
                              if (ec || self->drained_ > kMaxLingerBytes) return;
                              self->drain();
                            });
  }

  Core& core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::string_body> response_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
  std::string peer_;
  std::string address_;  // the client's IP address, for the per-address limit
  bool rejected_;
  bool evicted_ = false;
  std::chrono::steady_clock::time_point accepted_;
  std::optional<std::list<Session*>::iterator> pending_;  // set while pending
};

void Core::make_room(const std::string& address) {
  const auto oldest_of = [&](auto matches) -> Session* {
    for (Session* session : pending) {
      if (matches(*session)) return session;
    }
    return nullptr;
  };
  const auto count = pending_per_address.find(address);
  if (count != pending_per_address.end() && count->second >= options.max_pending_per_address) {
    if (Session* victim = oldest_of([&](const Session& s) { return s.address() == address; })) {
      log("http: more than " + std::to_string(options.max_pending_per_address) +
          " connections without a token from " + address + "; closing the oldest");
      victim->evict();
    }
  }
  if (pending.size() >= max_pending() && !pending.empty()) {
    log("http: " + std::to_string(pending.size()) +
        " connections without a token; closing the oldest");
    pending.front()->evict();
  }
}

void Core::accept() {
  acceptor->async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      log("http: accept failed: " + ec.message() + "; retrying");
      accept_retry->expires_after(kAcceptRetry);
      accept_retry->async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) accept();
      });
      return;
    }
    beast::error_code remote_error;
    const auto remote = socket.remote_endpoint(remote_error);
    const std::string address = remote_error ? std::string("?") : remote.address().to_string();
    make_room(address);
    if (connections - evicted < options.max_connections) {
      std::make_shared<Session>(*this, std::move(socket), address, false)->start();
    } else if (rejected < kMaxRejectedConnections) {
      log("http: more than " + std::to_string(options.max_connections) +
          " connections; answering 503");
      std::make_shared<Session>(*this, std::move(socket), address, true)->start();
    } else {
      log("http: more than " + std::to_string(options.max_connections) + " connections; refusing");
      // The socket closes as it goes out of scope.
    }
    accept();
  });
}

Status check_options(const HttpServerOptions& options) {
  if (options.token.empty()) return Error::usage("the HTTP server needs a token");
  if (!std::all_of(options.token.begin(), options.token.end(), is_url_safe))
    return Error::usage(
        "the HTTP token may contain only the characters A-Z, a-z, 0-9, '-', '.', '_' and '~'");
  if (options.max_connections == 0)
    return Error::usage("the HTTP server needs max_connections of at least 1");
  if (options.max_pending_per_address == 0)
    return Error::usage("the HTTP server needs max_pending_per_address of at least 1");
  if (options.max_header_bytes < 256)
    return Error::usage("the HTTP server needs max_header_bytes of at least 256");
  if (options.request_timeout <= 0ms || options.idle_timeout <= 0ms ||
      options.first_line_timeout <= 0ms)
    return Error::usage("the HTTP server's timeouts must be positive");
  return Ok{};
}

}  // namespace

Result<std::pair<std::string, unsigned short>> parse_listen_address(std::string_view text) {
  const auto fail = [&] {
    return Error::usage("invalid HTTP listen address '" + std::string(text) +
                        "': expected PORT, IPv4:PORT or [IPv6]:PORT with a port 0..65535 "
                        "(0: any free port)");
  };
  std::string_view host = "127.0.0.1";
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return fail();
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    if (host.find(':') == std::string_view::npos) return fail();  // brackets are for IPv6
  } else if (const std::size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return fail();  // bare IPv6 is ambiguous
  }
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail();
  unsigned port = 0;
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  // 0 lets the system choose a free port (bound_port() tells which): for
  // tests and for starting several instances without coordinating ports.
  if (port > 65535) return fail();
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  const auto address = net::ip::make_address(std::string(host), ec);
  if (ec || host.empty()) return fail();
  return std::pair{address.to_string(), static_cast<unsigned short>(port)};
}

bool is_loopback(std::string_view address) {
  if (address == "localhost") return true;
  beast::error_code ec;
  const auto parsed = net::ip::make_address(std::string(address), ec);
  if (ec) return false;
  if (parsed.is_v6() && parsed.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, parsed.to_v6()).is_loopback();
  return parsed.is_loopback();
}

struct HttpServer::State {
  Core core;
  std::mutex mutex;  // start() and stop()
  std::thread thread;
  bool started = false;
  bool joined = false;
  std::atomic<unsigned short> port{0};
  std::atomic<std::thread::id> thread_id{};  // the server's thread, for stop() from a handler
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : state_(std::make_unique<State>()) {
  state_->core.options = std::move(options);
  state_->core.handler = std::move(handler);
}

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start() {
  std::lock_guard lock(state_->mutex);
  if (state_->started) throw std::logic_error("HttpServer::start called twice");
  Core& core = state_->core;
  if (auto ok = check_options(core.options); !ok) return ok.error();
  if (!core.handler) throw std::logic_error("HttpServer needs a handler");

  const std::string where = endpoint_text(core.options.address, core.options.port);
  beast::error_code ec;
  const auto address = net::ip::make_address(core.options.address, ec);
  if (ec) return Error::usage("cannot listen on '" + core.options.address + "': not an IP address");

  auto io = std::make_unique<net::io_context>(1);
  tcp::acceptor acceptor(*io);
  const tcp::endpoint endpoint(address, core.options.port);
  const auto failed = [&](std::string_view step) {
    return Error::usage("cannot listen on " + where + ": " + std::string(step) + ": " +
                        ec.message());
  };
  if (acceptor.open(endpoint.protocol(), ec)) return failed("open");
  // Lets a restarted server bind while old connections are in TIME_WAIT; on
  // Linux it does not let two servers listen on one port.
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec)) return failed("open");
  if (acceptor.bind(endpoint, ec)) return failed("bind");
  if (acceptor.listen(net::socket_base::max_listen_connections, ec)) return failed("listen");
  state_->port = acceptor.local_endpoint(ec).port();

  core.io = std::move(io);
  core.acceptor.emplace(std::move(acceptor));
  core.accept_retry.emplace(*core.io);
  core.accept();
  state_->thread = std::thread([&core, state = state_.get()] {
    state->thread_id = std::this_thread::get_id();
    // An exception escaping a completion handler (e.g. bad_alloc) ends only
    // the operation it came from; the server keeps serving.
    for (;;) {
      try {
        core.io->run();
        return;
      } catch (const std::exception& error) {
        core.log(std::string("http: internal error: ") + error.what());
      }
    }
  });
  state_->started = true;
  return Ok{};
}

void HttpServer::stop() {
  Core& core = state_->core;
  // From a handler: the io_context exists while its thread runs. Taking the
  // mutex here could deadlock with a stop() that holds it and joins.
  if (std::this_thread::get_id() == state_->thread_id.load()) {
    core.io->stop();
    return;
  }
  std::lock_guard lock(state_->mutex);
  if (!state_->started || state_->joined) return;
  core.io->stop();
  state_->thread.join();
  state_->joined = true;
  // The thread is gone: what it used can be destroyed here. The listener and
  // the timer go before the io_context; destroying the io_context destroys the
  // pending operations and with them every Session, closing its socket.
  core.acceptor.reset();
  core.accept_retry.reset();
  core.io.reset();
}

unsigned short HttpServer::bound_port() const {
  return state_->port;
}

}  // namespace zielwerk::web
