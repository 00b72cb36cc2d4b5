// `zielwerk review list/show/record/close`: the review meetings `run` prepared,
// what was recorded in them, and closing them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/domain/review.h"
#include "zielwerk/domain/review_close.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

// Everything about one review: the review with the snapshot and agenda frozen
// at its preparation, the minutes, the measures agreed in it and those followed
// up in it, and the escalations on its agenda.
struct ReviewDetails {
  domain::Review review;
  std::vector<domain::ReviewEntry> entries;
  std::vector<domain::Measure> agreed_measures;     // agreed in this review
  std::vector<domain::MeasureFollowUp> follow_ups;  // recorded for this review, oldest first
  std::vector<domain::Escalation> escalations;      // on its agenda
  // The missed reviews of its workflow since the last held one before it.
  std::vector<std::string> missed_before;
  // Why it cannot be closed yet (empty: it can, or it is closed or missed).
  std::vector<domain::OpenItem> open_items;
};

struct ReviewFilter {
  std::string workflow;  // empty: any
  std::optional<domain::ReviewState> state;
};

struct ReviewSummary {
  domain::Review review;
  std::vector<domain::OpenItem> open_items;  // prepared reviews only
};

// The stored reviews by meeting, read in one snapshot. A workflow the project
// does not define and no stored review names is a usage error with a
// did-you-mean; a failing or damaged database is ErrorKind::storage.
Result<std::vector<ReviewSummary>> list_reviews(const Project& project, storage::Database& database,
                                                const ReviewFilter& filter);

// One review, read in one snapshot. An unknown id is a usage error with a
// did-you-mean among the stored reviews; a failing database ErrorKind::storage.
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

// Closes a prepared review. Refused (usage, nothing stored) while anything is
// open (domain::review_open_items: attendance, a demanded measure neither
// agreed in this review nor decided against, an open measure on the agenda
// without a follow-up in it); the message lists each.
Status close_review(const Project& project, storage::Database& database,
                    const std::string& review_id, const std::string& actor, Timestamp now);

}  // namespace zielwerk::engine
