// Control measures agreed in reviews, and their follow-up log: every change
// of a measure (status, dates, assignee, a note at a later review) is one
// follow-up entry with who and when, so the measure's history can be told.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

enum class MeasureStatus { agreed, in_progress, done, dropped };
std::string to_string(MeasureStatus status);
std::optional<MeasureStatus> parse_measure_status(std::string_view text);
const std::vector<std::string>& measure_status_names();
inline bool is_open(MeasureStatus status) {
  return status == MeasureStatus::agreed || status == MeasureStatus::in_progress;
}

struct MeasureRecord {
  std::int64_t id = 0;
  std::string goal;
  std::string review_id;  // the review that agreed it
  std::string title;
  std::string owner_party;
  std::string assignee;
  std::chrono::year_month_day due_on{};
  std::optional<std::chrono::year_month_day> follow_up_on;
  MeasureStatus status = MeasureStatus::agreed;
  std::string reason;  // why it was dropped
  Timestamp created_at{};
  std::string created_by;
  Timestamp updated_at{};
};

// Open after its due day: a measure due on the 31st is overdue from the 1st.
inline bool is_overdue(const MeasureRecord& measure, std::chrono::year_month_day today) {
  return is_open(measure.status) && measure.due_on < today;
}

struct MeasureFollowUp {
  std::int64_t id = 0;
  std::int64_t measure_id = 0;
  std::string review_id;  // the review it was followed up in; may be empty
  Timestamp recorded_at{};
  std::string actor;
  MeasureStatus status = MeasureStatus::agreed;  // after the change
  std::string note;
  std::string changes_json = "{}";  // {"field": [before, after], ...}
  std::int64_t audit_seq = 0;
};

// Inside Database::write. Returns the new measure's id.
std::int64_t insert_measure(Database& database, const MeasureRecord& measure);
// Writes every field of `measure` (by id) except id, goal, review and creation.
void update_measure(Database& database, const MeasureRecord& measure);
// Returns the follow-up's id.
std::int64_t insert_measure_follow_up(Database& database, const MeasureFollowUp& follow_up);

std::optional<MeasureRecord> find_measure(Database& database, std::int64_t id);
std::vector<MeasureRecord> load_measures(Database& database);  // by id
std::vector<MeasureFollowUp> load_measure_follow_ups(Database& database, std::int64_t measure_id);

}  // namespace zielwerk::storage
