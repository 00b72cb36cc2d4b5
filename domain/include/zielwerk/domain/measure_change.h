// Deciders for control measures: whether a new measure or a change may be
// made, and what it then is. Pure: the engine loads what they need, asks them,
// and writes the plan with its audit record (engine/measures.h). A refusal is
// a usage error whose message names what is wrong; nothing is planned then.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::domain {

// What a decision needs of a review: which meeting of which workflow.
struct ReviewRef {
  std::string id;
  std::string workflow;
  YearMonth period;
  std::optional<std::chrono::year_month_day> meeting_date;
};

struct NewMeasureRequest {
  std::string goal;
  std::string title;
  std::string owner_party;
  std::string assignee;
  std::chrono::year_month_day due{};
  std::optional<std::chrono::year_month_day> follow_up;
};

// What can be refused before anything is read: an empty title or assignee, a
// follow-up date after the due date.
Status check_new_measure(const NewMeasureRequest& request);

// The measure (status agreed) that `request` agrees in `review`, a prepared
// review of the workflow with `participants` whose scope is `scope` (goal ids).
// Refused: a goal outside the scope, an owner that is not a participant, a due
// or follow-up date before the meeting.
Result<Measure> plan_new_measure(const NewMeasureRequest& request, const rules::Goal& goal,
                                 const ReviewRef& review, const std::vector<std::string>& scope,
                                 const std::vector<std::string>& participants,
                                 const std::string& actor, Timestamp now);

struct MeasureChangeRequest {
  std::optional<MeasureStatus> status;
  std::string reason;  // required for dropped
  std::string note;    // the follow-up note
  std::optional<std::chrono::year_month_day> due;
  std::optional<std::chrono::year_month_day> follow_up;
  std::optional<std::string> assignee;
};

// What can be refused before anything is read: an empty assignee, a reason
// without dropping.
Status check_measure_change(const MeasureChangeRequest& request);

struct MeasureChangePlan {
  Measure after;
  std::vector<FieldChange> changes;  // in MeasureField order; empty for a note only
};

// The measure after `request`, agreed in `agreed_in` and followed up in
// `follow_up_in` (a prepared review of the same workflow, or none). Refused: a
// measure already done or dropped, a move back from in_progress to agreed,
// dropped without a reason, nothing to change and no note, a review of another
// workflow or before the one that agreed it, dates before the meeting judged
// against or a follow-up date after the due date.
Result<MeasureChangePlan> plan_measure_change(const Measure& before,
                                              const MeasureChangeRequest& request,
                                              const ReviewRef& agreed_in,
                                              const std::optional<ReviewRef>& follow_up_in,
                                              Timestamp now);

}  // namespace zielwerk::domain
