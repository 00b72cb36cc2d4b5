// `zielwerk measure add/update/list`: control measures agreed in a review for
// a goal behind its target, and their follow-up until done or dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

struct NewMeasure {
  std::string review_id;  // a prepared (not closed, not missed) review
  std::string goal;       // in the scope of the review's workflow
  std::string title;
  std::string owner_party;  // a participant of the workflow
  std::string assignee;     // a role or team, never a person's name
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> follow_up;
  std::string actor;
  Timestamp now{};
};

// Stores the measure (status agreed) with an audit record; returns its id.
// Refused (usage, nothing stored): unknown review or goal (did-you-mean), a
// review that is missed or closed, a goal outside the workflow's scope, an
// owner that is not a participant, an empty title or assignee, a due or
// follow-up date before the meeting, a follow-up date after the due date.
Result<std::int64_t> add_measure(const Project& project, storage::Database& database,
                                 const NewMeasure& measure);

struct MeasureChange {
  std::int64_t id = 0;
  std::optional<domain::MeasureStatus> status;
  std::string reason;     // required for dropped
  std::string note;       // the follow-up note
  std::string review_id;  // the review it is followed up in (same workflow, prepared)
  std::optional<std::chrono::year_month_day> due;
  std::optional<std::chrono::year_month_day> follow_up;
  std::optional<std::string> assignee;
  std::string actor;
  Timestamp now{};
};

// Applies the change and appends a follow-up entry (with what changed) and an
// audit record. Refused (usage, nothing stored): unknown measure, a measure
// already done or dropped, a move back from in_progress to agreed, dropped
// without a reason, nothing to change and no note, a review of another
// workflow or one not prepared.
Status update_measure(const Project& project, storage::Database& database,
                      const MeasureChange& change);

struct MeasureFilter {
  std::string goal;
  std::string review_id;  // agreed in this review
  std::optional<domain::MeasureStatus> status;
  bool open_only = false;
  bool overdue_only = false;
};

struct MeasureView {
  domain::Measure measure;
  std::string workflow;
  bool overdue = false;                             // open and past its due date as of `today`
  std::vector<domain::MeasureFollowUp> follow_ups;  // oldest first
};

// By id, read in one snapshot. `today` is the local date overdue is judged
// on. A failing or damaged database is ErrorKind::storage.
Result<std::vector<MeasureView>> list_measures(storage::Database& database,
                                               const MeasureFilter& filter,
                                               std::chrono::year_month_day today);

}  // namespace zielwerk::engine
