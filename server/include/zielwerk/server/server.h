// `zielwerk serve`: the composition root of everything that runs as one
// long-lived process around one project and its database. Today that is the
// daemon (engine/daemon.h), which performs the workflow steps at their due
// times, and, when asked, the dashboard's HTTP server beside it
// (web/dashboard.h, web/http_server.h) on the very project the daemon loaded
// and follows through its reloads. It is the place where the services the
// next features bring (tenants of a regional server, web sessions, the
// sender of queued e-mail) start, stop and share the project; the CLI only
// parses options and runs a Server.
//
// Threads: run() blocks the calling thread (the daemon's signal and timer
// thread); the daemon's worker performs steps and reloads; the HTTP server
// answers on a thread of its own. request_stop() may come from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "zielwerk/common/error.h"
#include "zielwerk/engine/daemon.h"

namespace zielwerk::server {

struct ServerOptions {
  // The project, database, actor, clock, logging and signals of the daemon.
  // Its on_start and on_project are the server's own: leave them empty.
  engine::DaemonOptions daemon;
  // [ADDRESS:]PORT of the dashboard (127.0.0.1 unless an address is given,
  // port 0 picks a free one); empty: no dashboard.
  std::string http;
  // Told the lines a person starting the server should read: where the
  // dashboard listens, and a warning when that is beyond this machine.
  std::function<void(std::string_view line)> announce;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts the services and blocks until the daemon stops (SIGTERM, SIGINT,
  // request_stop), then stops the HTTP server; call once. Errors before
  // serving, each logged: the daemon's (engine::Daemon::run), a listen
  // address that does not parse or cannot be bound (ErrorKind::usage), a
  // missing or weak dashboard token (as rules::dashboard_token says), a
  // database the dashboard cannot open (ErrorKind::storage).
  Status run();

  // Ends run() after the step in progress, as SIGTERM does.
  void request_stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk::server
