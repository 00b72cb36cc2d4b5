// Progress on qualitative goals: which milestone was done on which day,
// recorded by whom and when. One record per milestone; never changed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct MilestoneRecord {
  std::string goal;
  std::string milestone;
  std::chrono::year_month_day done_on{};
  Timestamp recorded_at{};
  std::string actor;
  std::int64_t audit_seq = 0;
};

// Inside Database::write; the (goal, milestone) must not be recorded yet.
void insert_milestone_record(Database& database, const MilestoneRecord& record);

// Records made at or before `known_at` (all without it), by goal and done date.
std::vector<MilestoneRecord> load_milestone_records(Database& database,
                                                    std::optional<Timestamp> known_at);

}  // namespace zielwerk::storage
