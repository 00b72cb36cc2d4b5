// The region's view: for every agreement the database lets its reader see (on
// a server the agreements of its role, or all of them for a regional reader;
// a file holds one), each goal's status and value at a reporting month, as
// the agreement's own review of that month froze them. The snapshot is read,
// not recomputed: every jobcenter's agreement has rules of its own (targets,
// Soll paths) that the region need not hold, and the figures are those the
// review meeting discussed. An agreement whose review of the month is not
// prepared yet is listed without goals.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

struct OverviewGoal {
  std::string id;
  rules::GoalStatus status = rules::GoalStatus::no_data;
  std::optional<double> value;
  std::optional<rules::Unit> unit;
};

struct OverviewRow {
  std::string agreement;
  std::string review;  // the review whose snapshot is shown; empty: none prepared
  std::optional<Timestamp> prepared_at;
  std::vector<OverviewGoal> goals;  // in the snapshot's order

  const OverviewGoal* find(const std::string& goal) const;
};

struct Overview {
  YearMonth period;
  // Every goal id of any row, in the order first met: the columns.
  std::vector<std::string> goals;
  std::vector<OverviewRow> rows;  // by agreement
};

// Reads one snapshot per agreement (a storage error as for every read). The
// connection is switched from agreement to agreement and back to the one it
// was opened for; call it outside any transaction.
Result<Overview> regional_overview(storage::Database& database, YearMonth period);

// The overview as `overview --format json` prints it.
std::string overview_json(const Overview& overview);

}  // namespace zielwerk::engine
