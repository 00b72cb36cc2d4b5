// Control measures agreed in reviews, and their follow-up log: every change
// of a measure (status, dates, assignee, a note at a later review) is one
// follow-up row with who and when, so the measure's history can be told.
// What a measure is and may become is domain/measure.h; this stores it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

// One follow-up as stored: what changed is kept as the JSON object the
// engine wrote ({"field": [before, after], ...}), whose bytes the audit
// trail vouches for.
struct FollowUpRecord : domain::FollowUpInfo {
  std::string changes_json = "{}";
};

// Inside Database::write. Returns the new measure's id.
std::int64_t insert_measure(Database& database, const domain::Measure& measure);
// Writes every field of `measure` (by id) except id, goal, review and creation.
void update_measure(Database& database, const domain::Measure& measure);
// Returns the follow-up's id.
std::int64_t insert_measure_follow_up(Database& database, const FollowUpRecord& follow_up);

std::optional<domain::Measure> find_measure(Database& database, std::int64_t id);
std::vector<domain::Measure> load_measures(Database& database);  // by id
// One measure's follow-ups, oldest first.
std::vector<FollowUpRecord> load_measure_follow_ups(Database& database, std::int64_t measure_id);
// Every follow-up, by measure, then oldest first: one read for many measures.
std::vector<FollowUpRecord> load_all_follow_ups(Database& database);

}  // namespace zielwerk::storage
