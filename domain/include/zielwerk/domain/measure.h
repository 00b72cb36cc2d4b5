// Control measures and their life cycle: the vocabulary every module shares
// (statuses, what "open" and "overdue" mean, which status may follow which)
// and the measure as a value. Pure code: no I/O, no clock ("today" is an
// argument), no storage.
//
//   agreed ──> in_progress ──> done
//     │             │
//     └─────────────┴────────> dropped (with a reason)
//
// done and dropped are final; in_progress never goes back to agreed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/timestamp.h"

namespace zielwerk::domain {

enum class MeasureStatus { agreed, in_progress, done, dropped };
std::string to_string(MeasureStatus status);  // "agreed", "in_progress", "done", "dropped"
std::optional<MeasureStatus> parse_measure_status(std::string_view text);
// The names in declaration order, for messages and option choices.
const std::vector<std::string>& measure_status_names();

// agreed or in_progress: still to be carried out and followed up.
constexpr bool is_open(MeasureStatus status) {
  return status == MeasureStatus::agreed || status == MeasureStatus::in_progress;
}

// Whether a measure may go from `from` to `to` (a different status): every
// open status may become done or dropped, agreed may become in_progress.
bool allowed_transition(MeasureStatus from, MeasureStatus to);

struct Measure {
  std::int64_t id = 0;
  std::string goal;
  std::string review_id;  // the review that agreed it
  std::string title;
  std::string owner_party;
  std::string assignee;  // a role or team, never a person's name
  std::chrono::year_month_day due_on{};
  std::optional<std::chrono::year_month_day> follow_up_on;
  MeasureStatus status = MeasureStatus::agreed;
  std::string reason;  // why it was dropped
  Timestamp created_at{};
  std::string created_by;
  Timestamp updated_at{};
};

// Open after its due day: a measure due on the 31st is overdue from the 1st.
inline bool is_overdue(const Measure& measure, std::chrono::year_month_day today) {
  return is_open(measure.status) && measure.due_on < today;
}

// Its follow-up date has come (open or not: the agenda says so either way).
inline bool follow_up_due(const Measure& measure, std::chrono::year_month_day today) {
  return measure.follow_up_on.has_value() && *measure.follow_up_on <= today;
}

// The fields a follow-up can change, in the order people think of them.
enum class MeasureField { status, reason, due, follow_up, assignee };
std::string to_string(MeasureField field);  // "status", "reason", "due", "follow_up", "assignee"
std::optional<MeasureField> parse_measure_field(std::string_view text);

// One changed field: its value before and after as text (a status name, a
// date YYYY-MM-DD, the assignee or reason); nullopt for "none".
struct FieldChange {
  MeasureField field = MeasureField::status;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// One entry of a measure's follow-up log: every change of a measure (status,
// dates, assignee, a note at a later review) with who and when. FollowUpInfo
// is what the value and the stored row (storage/measure_store.h) share.
struct FollowUpInfo {
  std::int64_t id = 0;
  std::int64_t measure_id = 0;
  std::string review_id;  // the review it was followed up in; may be empty
  Timestamp recorded_at{};
  std::string actor;
  MeasureStatus status = MeasureStatus::agreed;  // after the change
  std::string note;
  std::int64_t audit_seq = 0;
};

struct MeasureFollowUp : FollowUpInfo {
  std::vector<FieldChange> changes;  // by field, in MeasureField order
};

}  // namespace zielwerk::domain
