#include "zielwerk/server/server.h"

#include <cstdint>
#include <utility>

#include "zielwerk/web/dashboard.h"
#include "zielwerk/web/http_server.h"

namespace zielwerk::server {
namespace {

// The dashboard and its HTTP server, started once the daemon has its
// project and database, and following the daemon's reloads.
class DashboardService {
 public:
  DashboardService(const ServerOptions& options, std::pair<std::string, std::uint16_t> listen,
                   engine::Daemon& daemon)
      : options_(options), listen_(std::move(listen)), daemon_(daemon) {}

  ~DashboardService() { stop(); }
  DashboardService(const DashboardService&) = delete;
  DashboardService& operator=(const DashboardService&) = delete;

  Status start(const engine::Project& project, const std::filesystem::path& database) {
    auto token = rules::dashboard_token(project.config);
    if (!token) return token.error();
    // Beyond this machine the token is all that guards the figures.
    if (!web::is_loopback(listen_.first)) {
      if (const std::string exposed = rules::token_exposure(project.config, token.value());
          !exposed.empty()) {
        return Error::usage("the dashboard would listen on " + listen_.first +
                            ", beyond this machine, but " + exposed +
                            "; not serving (loopback needs no such care)");
      }
    }
    auto dashboard = web::Dashboard::open(std::make_shared<const engine::Project>(project),
                                          database, options_.daemon.clock);
    if (!dashboard) return dashboard.error();
    dashboard_ = std::move(dashboard).value();

    web::HttpServerOptions server_options;
    server_options.address = listen_.first;
    server_options.port = listen_.second;
    server_options.token = token.value();
    server_options.allowed_hosts = project.config.dashboard.hosts;
    server_options.log = [this](std::string_view line) {
      daemon_.log(engine::LogLevel::warn, line);
    };
    web::Dashboard* handler = dashboard_.get();
    http_ = std::make_unique<web::HttpServer>(
        server_options,
        [handler](const web::HttpRequest& request) { return handler->handle(request); });
    if (const Status started = http_->start(); !started) return started.error();
    running_ = true;

    const std::string& address = server_options.address;
    if (!web::is_loopback(address)) {
      announce("warning: the dashboard listens on " + address +
               ", not only on this machine; put it behind TLS (docs/dashboard.md)");
    }
    const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
    announce("dashboard on http://" + host + ":" + std::to_string(http_->bound_port()) + "/");
    return Ok{};
  }

  // After a reload, on the daemon's worker thread.
  void follow(const engine::Project& project) {
    if (dashboard_) dashboard_->set_project(std::make_shared<const engine::Project>(project));
  }

  void stop() {
    if (running_) http_->stop();
    running_ = false;
  }

 private:
  void announce(const std::string& line) const {
    if (options_.announce) options_.announce(line);
  }

  const ServerOptions& options_;
  const std::pair<std::string, std::uint16_t> listen_;
  engine::Daemon& daemon_;
  std::unique_ptr<web::Dashboard> dashboard_;
  std::unique_ptr<web::HttpServer> http_;
  bool running_ = false;
};

}  // namespace

struct Server::State {
  explicit State(ServerOptions server_options)
      : options(std::move(server_options)), daemon(daemon_options()) {}

  // The daemon's options with the server's services attached: they start
  // once the daemon has its project and database, and follow its reloads.
  engine::DaemonOptions daemon_options() {
    engine::DaemonOptions attached = options.daemon;
    attached.on_start = [this](const engine::Project& project,
                               const std::filesystem::path& database) -> Status {
      return dashboard ? dashboard->start(project, database) : Status(Ok{});
    };
    attached.on_project = [this](const engine::Project& project) {
      if (dashboard) dashboard->follow(project);
    };
    return attached;
  }

  ServerOptions options;
  std::unique_ptr<DashboardService> dashboard;
  engine::Daemon daemon;
};

Server::Server(ServerOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Server::~Server() = default;

Status Server::run() {
  State& state = *state_;
  if (!state.options.http.empty()) {
    // A listen address that cannot be read is refused before the daemon starts.
    auto listen = web::parse_listen_address(state.options.http);
    if (!listen) return listen.error();
    state.dashboard =
        std::make_unique<DashboardService>(state.options, std::move(listen).value(), state.daemon);
  }
  const Status served = state.daemon.run();
  if (state.dashboard) state.dashboard->stop();
  return served;
}

void Server::request_stop() {
  state_->daemon.request_stop();
}

}  // namespace zielwerk::server
