// The read-only dashboard of `zielwerk serve --http`: the pages and JSON
// documents the HTTP server answers with. docs/dashboard.md is the user's view.
//
// Pages (HTML, self-contained: inline CSS and SVG, no scripts):
//   /                    the goals at the latest reporting month with data (or
//                        ?period=YYYY-MM) with their charts, the meetings of the
//                        next 60 days, the open measures (overdue first)
//   /audit               a filter form and the matching audit records
//   /report/review?id=ID the agenda or minutes of a review (as `report review`)
//   /report/year?period= the year overview (as `report year`)
//   Each takes ?lang=de|en (default de).
// JSON (the very documents the CLI prints with --format json):
//   /api/status?period=&known_at=   `evaluate` (default: the latest period)
//   /api/meetings?from=&to=         `schedule` (default: the next 60 days)
//   /api/measures?open=&overdue=&goal=&review=   `measure list`
//   /api/audit?goal=&measure=&review=&object=&actor=&operation=&since=&until=&limit=&all=&oldest_first=
//                                   `audit query`
// A bad parameter is 400 with the same message the CLI gives; an unknown path
// 404; a failing database 503. The dashboard never writes: its connection
// forbids writes (storage::Database::forbid_writes), and every answer is read
// in one snapshot.
//
// Threads: handle() is called by the HTTP server's one thread, one request at
// a time; set_project() may be called from any thread (the daemon's worker
// after a reload).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/web/http_server.h"

namespace zielwerk::web {

// How many days ahead the dashboard lists meetings.
inline constexpr int kUpcomingDays = 60;

class Dashboard {
 public:
  // Opens the project's database (it must exist) for reading only.
  static Result<std::unique_ptr<Dashboard>> open(std::shared_ptr<const engine::Project> project,
                                                 const std::filesystem::path& database,
                                                 Clock clock);

  // Answers one request; never throws for any input.
  HttpResponse handle(const HttpRequest& request);

  // The project to answer with from the next request on (after SIGHUP).
  void set_project(std::shared_ptr<const engine::Project> project);

 private:
  Dashboard(std::shared_ptr<const engine::Project> project,
            std::unique_ptr<storage::Database> database, Clock clock);
  std::shared_ptr<const engine::Project> project() const;

  mutable std::mutex project_mutex_;
  std::shared_ptr<const engine::Project> project_;
  std::unique_ptr<storage::Database> database_;
  Clock clock_;
};

}  // namespace zielwerk::web
