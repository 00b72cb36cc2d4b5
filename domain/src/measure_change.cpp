#include "zielwerk/domain/measure_change.h"

#include <algorithm>
#include <utility>

#include "zielwerk/common/text.h"

namespace zielwerk::domain {
namespace {

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::optional<std::string> date_text(const std::optional<std::chrono::year_month_day>& date) {
  return date ? std::optional<std::string>(format_date(*date)) : std::nullopt;
}

std::optional<std::string> text_or_none(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// Due and follow-up dates are about the time after the meeting that sets them.
Status check_dates(const ReviewRef& review, const std::optional<std::chrono::year_month_day>& due,
                   const std::optional<std::chrono::year_month_day>& follow_up) {
  if (!review.meeting_date) return Ok{};
  for (const auto& [date, name] :
       {std::pair{due, "due date"}, std::pair{follow_up, "follow-up date"}}) {
    if (date && *date < *review.meeting_date) {
      return Error::usage(std::string("the ") + name + " " + format_date(*date) +
                          " is before the meeting of review '" + review.id + "' on " +
                          format_date(*review.meeting_date));
    }
  }
  return Ok{};
}

Status check_follow_up_before_due(std::chrono::year_month_day due,
                                  const std::optional<std::chrono::year_month_day>& follow_up) {
  if (follow_up && due < *follow_up) {
    return Error::usage("the follow-up date " + format_date(*follow_up) +
                        " is after the due date " + format_date(due) +
                        "; follow a measure up before it is due");
  }
  return Ok{};
}

bool changes_field(const std::vector<FieldChange>& changes, MeasureField field) {
  return std::any_of(changes.begin(), changes.end(),
                     [&](const FieldChange& change) { return change.field == field; });
}

}  // namespace

Status check_new_measure(const NewMeasureRequest& request) {
  if (is_blank(request.title)) return Error::usage("a measure needs a title: what is to be done");
  if (is_blank(request.assignee)) {
    return Error::usage("a measure needs an assignee: the role or team that carries it out");
  }
  return check_follow_up_before_due(request.due, request.follow_up);
}

Result<Measure> plan_new_measure(const NewMeasureRequest& request, const rules::Goal& goal,
                                 const ReviewRef& review, const std::vector<std::string>& scope,
                                 const std::vector<std::string>& participants,
                                 const std::string& actor, Timestamp now) {
  if (std::find(scope.begin(), scope.end(), goal.id) == scope.end()) {
    return Error::usage("goal '" + goal.id + "' (" + goal.responsibility + ", section " +
                        goal.section + ") is not in the scope of the workflow '" + review.workflow +
                        "' of review '" + review.id + "'; its goals: " + join(scope, ", "));
  }
  if (std::find(participants.begin(), participants.end(), request.owner_party) ==
      participants.end()) {
    return Error::usage("the owner '" + request.owner_party +
                        "' is not a participant of the workflow '" + review.workflow + "'" +
                        did_you_mean(request.owner_party, participants) +
                        "; participants: " + join(participants, ", "));
  }
  if (const Status status = check_dates(review, request.due, request.follow_up); !status) {
    return status.error();
  }
  Measure measure;
  measure.goal = goal.id;
  measure.review_id = review.id;
  measure.title = request.title;
  measure.owner_party = request.owner_party;
  measure.assignee = request.assignee;
  measure.due_on = request.due;
  measure.follow_up_on = request.follow_up;
  measure.status = MeasureStatus::agreed;
  measure.created_at = now;
  measure.created_by = actor;
  measure.updated_at = now;
  return measure;
}

Status check_measure_change(const MeasureChangeRequest& request) {
  if (request.assignee && is_blank(*request.assignee)) {
    return Error::usage("the assignee must not be empty: name the role or team");
  }
  if (!is_blank(request.reason) && request.status != MeasureStatus::dropped) {
    return Error::usage(
        "a reason is recorded when a measure is dropped; for other remarks "
        "give a note");
  }
  return Ok{};
}

Result<MeasureChangePlan> plan_measure_change(const Measure& before,
                                              const MeasureChangeRequest& request,
                                              const ReviewRef& agreed_in,
                                              const std::optional<ReviewRef>& follow_up_in,
                                              Timestamp now) {
  const std::string name = "measure " + std::to_string(before.id);
  if (!is_open(before.status)) {
    return Error::usage(name + " is " + to_string(before.status) + " (since " +
                        format_timestamp(before.updated_at) +
                        "), which is final; agree a new measure instead");
  }
  if (follow_up_in) {
    if (follow_up_in->workflow != agreed_in.workflow) {
      return Error::usage(name + " belongs to the workflow '" + agreed_in.workflow +
                          "' (agreed in '" + before.review_id + "'); review '" + follow_up_in->id +
                          "' is one of '" + follow_up_in->workflow + "'");
    }
    if (follow_up_in->period < agreed_in.period) {
      return Error::usage(name + " was agreed in the later review '" + before.review_id +
                          "'; follow it up there or in a review after it");
    }
  }

  MeasureChangePlan plan{before, {}};
  Measure& after = plan.after;
  std::vector<FieldChange>& changes = plan.changes;
  if (request.status && *request.status != before.status) {
    if (!allowed_transition(before.status, *request.status)) {
      return Error::usage(name + " is " + to_string(before.status) + " and cannot go back to " +
                          to_string(*request.status) + "; it can become done or dropped");
    }
    after.status = *request.status;
    changes.push_back({MeasureField::status, to_string(before.status), to_string(after.status)});
  }
  if (after.status == MeasureStatus::dropped && before.status != MeasureStatus::dropped) {
    if (is_blank(request.reason)) {
      return Error::usage("dropping " + name + " needs a reason: why it is not carried out");
    }
    after.reason = request.reason;
    changes.push_back({MeasureField::reason, text_or_none(before.reason), request.reason});
  }
  if (request.due && *request.due != before.due_on) {
    after.due_on = *request.due;
    changes.push_back({MeasureField::due, format_date(before.due_on), format_date(after.due_on)});
  }
  if (request.follow_up && request.follow_up != before.follow_up_on) {
    after.follow_up_on = request.follow_up;
    changes.push_back(
        {MeasureField::follow_up, date_text(before.follow_up_on), date_text(after.follow_up_on)});
  }
  if (request.assignee && *request.assignee != before.assignee) {
    after.assignee = *request.assignee;
    changes.push_back({MeasureField::assignee, before.assignee, after.assignee});
  }
  if (changes.empty() && is_blank(request.note)) {
    return Error::usage("nothing to change for " + name + " (it is " + to_string(before.status) +
                        "): give a new status, dates, assignee or a note");
  }
  const ReviewRef& reference = follow_up_in ? *follow_up_in : agreed_in;
  const bool due_changed = changes_field(changes, MeasureField::due);
  const bool follow_up_changed = changes_field(changes, MeasureField::follow_up);
  if (const Status status = check_dates(reference, due_changed ? request.due : std::nullopt,
                                        follow_up_changed ? request.follow_up : std::nullopt);
      !status) {
    return status.error();
  }
  if (due_changed || follow_up_changed) {
    if (const Status status = check_follow_up_before_due(after.due_on, after.follow_up_on);
        !status) {
      return status.error();
    }
  }
  after.updated_at = now;
  return plan;
}

}  // namespace zielwerk::domain
