// Review meetings as values: their states, the kinds of minutes entries, a
// review with what it froze at preparation, and one entry of its minutes.
//
//   (due) ──prepare──> prepared ──close──> closed
//     └──(its start passed unprepared)──> missed
//
// A review's id is its meeting's identity, "workflow/reviewed month".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/agenda.h"

namespace zielwerk::domain {

enum class ReviewState { prepared, missed, closed };
std::string to_string(ReviewState state);  // "prepared", "missed", "closed"
std::optional<ReviewState> parse_review_state(std::string_view text);
const std::vector<std::string>& review_state_names();

// What is known of a review besides the documents it froze: the same for the
// review as a value and as a stored row (storage/review_store.h).
struct ReviewInfo {
  std::string id;  // "workflow/YYYY-MM"
  std::string workflow;
  YearMonth period;                                         // the reporting month reviewed
  std::optional<std::chrono::year_month_day> meeting_date;  // local
  Timestamp starts_at{};
  ReviewState state = ReviewState::prepared;
  bool late = false;  // prepared after its meeting's start (after downtime)
  Timestamp prepared_at{};
  std::string prepared_by;
  std::string rule_set_version;
  std::optional<Timestamp> figures_known_at;  // the snapshot used the revisions known then
  std::optional<Timestamp> closed_at;
  std::string closed_by;
  std::int64_t audit_seq = 0;
};

struct Review : ReviewInfo {
  std::optional<Snapshot> snapshot;  // none for a missed review
  std::optional<Agenda> agenda;      // none for a missed review
};

enum class EntryKind { attendance, assessment, external_conditions, decision, no_measure };
std::string to_string(EntryKind kind);
std::optional<EntryKind> parse_entry_kind(std::string_view text);

struct ReviewEntry {
  std::int64_t id = 0;
  std::string review_id;
  EntryKind kind = EntryKind::decision;
  std::string goal;  // no_measure: the goal the decision is about
  std::string text;
  Timestamp recorded_at{};
  std::string actor;
  std::int64_t audit_seq = 0;
};

}  // namespace zielwerk::domain
