#include "zielwerk/engine/overview.h"

#include <nlohmann/json.hpp>
#include <set>

#include "zielwerk/engine/documents.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {
namespace {

// The review of `period` whose snapshot the row shows: the one prepared last
// (several workflows may review the same month), missed ones have none. One
// query of one row: the region reads hundreds of agreements.
Result<OverviewRow> row_of(storage::Database& database, const std::string& agreement,
                           YearMonth period) {
  OverviewRow row;
  row.agreement = agreement;
  std::optional<storage::ReviewSnapshot> latest;
  const Status read = database.read([&]() -> Status {
    latest = storage::latest_snapshot_of_period(database, period);
    return Ok{};
  });
  if (!read) return read.error();
  if (!latest) return row;
  auto snapshot = decode_snapshot(latest->snapshot_json);
  if (!snapshot) {
    return Error::storage(agreement + ": the snapshot of review " + latest->id +
                          " cannot be read: " + snapshot.error().message);
  }
  row.review = latest->id;
  row.prepared_at = latest->prepared_at;
  for (const auto& goal : snapshot.value().evaluation.goals) {
    row.goals.push_back({goal.id, goal.status, goal.actual, goal.unit});
  }
  return row;
}

}  // namespace

const OverviewGoal* OverviewRow::find(const std::string& goal) const {
  for (const auto& entry : goals) {
    if (entry.id == goal) return &entry;
  }
  return nullptr;
}

Result<Overview> regional_overview(storage::Database& database, YearMonth period) {
  Overview overview;
  overview.period = period;
  std::vector<std::string> agreements;
  const Status listed = database.read([&]() -> Status {
    agreements = database.visible_agreements();
    return Ok{};
  });
  if (!listed) return listed.error();
  const std::string opened_for = database.current_agreement();
  std::optional<Error> failure;
  std::set<std::string> seen;
  for (const auto& agreement : agreements) {
    if (const Status used = database.use_agreement(agreement); !used) {
      failure = used.error();
      break;
    }
    auto row = row_of(database, agreement, period);
    if (!row) {
      failure = row.error();
      break;
    }
    for (const auto& goal : row.value().goals) {
      if (seen.insert(goal.id).second) overview.goals.push_back(goal.id);
    }
    overview.rows.push_back(std::move(row).value());
  }
  if (!opened_for.empty()) {
    if (const Status back = database.use_agreement(opened_for); !back && !failure) {
      failure = back.error();
    }
  }
  if (failure) return *failure;
  return overview;
}

std::string overview_json(const Overview& overview) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : overview.rows) {
    nlohmann::ordered_json goals = nlohmann::ordered_json::array();
    for (const auto& goal : row.goals) {
      nlohmann::ordered_json entry;
      entry["id"] = goal.id;
      entry["status"] = rules::to_string(goal.status);
      entry["value"] = goal.value ? nlohmann::ordered_json(*goal.value) : nullptr;
      entry["unit"] = goal.unit ? nlohmann::ordered_json(rules::to_string(*goal.unit)) : nullptr;
      goals.push_back(std::move(entry));
    }
    nlohmann::ordered_json entry;
    entry["agreement"] = row.agreement;
    entry["review"] =
        row.review.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(row.review);
    entry["prepared_at"] = row.prepared_at
                               ? nlohmann::ordered_json(format_timestamp(*row.prepared_at))
                               : nlohmann::ordered_json(nullptr);
    entry["goals"] = std::move(goals);
    rows.push_back(std::move(entry));
  }
  nlohmann::ordered_json document;
  document["period"] = overview.period.to_string();
  document["goals"] = overview.goals;
  document["agreements"] = std::move(rows);
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace zielwerk::engine
