// `zielwerk review list/show/record/close`: the review meetings `run` prepared,
// what was recorded in them, and closing them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {

// Everything about one review: its record (with the frozen snapshot and
// agenda), the minutes, the measures agreed in it and those followed up in it,
// and the escalations on its agenda.
struct ReviewDetails {
  storage::ReviewRecord review;
  std::vector<storage::ReviewEntry> entries;
  std::vector<storage::MeasureRecord> agreed_measures;  // agreed in this review
  std::vector<storage::MeasureFollowUp> follow_ups;     // recorded for this review
  std::vector<storage::Escalation> escalations;         // on its agenda
  // The missed reviews of its workflow since the last held one before it.
  std::vector<std::string> missed_before;
  // Why it cannot be closed yet (empty: it can, or it is closed or missed).
  std::vector<std::string> open_items;
};

// Filters: empty means any.
std::vector<storage::ReviewRecord> list_reviews(storage::Database& database,
                                                const std::string& workflow,
                                                std::optional<storage::ReviewState> state);

// An unknown id is a usage error with a did-you-mean among the stored reviews.
Result<ReviewDetails> show_review(const Project& project, storage::Database& database,
                                  const std::string& review_id);

struct ReviewMinutes {
  std::string review_id;
  std::string actor;
  Timestamp now{};
  std::vector<std::string> attendance;  // who took part: actor ids or role names
  std::string assessment;               // the joint assessment
  std::string external_conditions;      // notes on external conditions (labour market, law)
  std::vector<std::string> decisions;
  // Demanded measures decided without a measure: goal id -> reason.
  std::vector<std::pair<std::string, std::string>> no_measure;
};

// Appends to the minutes of a prepared review, one audit record for all of it.
// Refused (usage, nothing stored): an unknown, missed or closed review, nothing
// to record, a no_measure goal outside the workflow's scope.
Status record_review(const Project& project, storage::Database& database,
                     const ReviewMinutes& minutes);

// Closes a prepared review. Refused (usage, nothing stored) while attendance is
// not recorded, a measure the agenda demands is neither agreed in this review
// nor decided against (no_measure), or an open measure on the agenda has no
// follow-up recorded for this review; the message lists each.
Status close_review(const Project& project, storage::Database& database,
                    const std::string& review_id, const std::string& actor, Timestamp now);

}  // namespace zielwerk::engine
