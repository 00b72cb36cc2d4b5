// Escalations: what the follow-up raises when something falls behind, as
// facts, never as sentences. Words for them are the catalogue's
// (zielwerk/locale/catalogue.h), in the reader's language.
//
//  - measure_overdue: an open measure past its due date (once per due date);
//  - milestone_overdue: a milestone not done by its due date (once);
//  - measure_demanded: a binding goal behind in consecutive reviews without an
//    open measure; the review must agree one or decide against it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/evaluation.h"

namespace zielwerk::domain {

enum class EscalationKind { measure_demanded, measure_overdue, milestone_overdue };
std::string to_string(EscalationKind kind);  // "measure_demanded", ...
std::optional<EscalationKind> parse_escalation_kind(std::string_view text);

// A goal's status in one review: one step of the history behind a demand.
struct ReviewedStatus {
  YearMonth period;
  rules::GoalStatus status = rules::GoalStatus::no_data;
};

struct EscalationFacts {
  // measure_overdue and milestone_overdue: the due date it passed.
  std::optional<std::chrono::year_month_day> due;
  // measure_overdue: the measure's status then, its owner party and title;
  // milestone_overdue: the milestone's title.
  std::optional<MeasureStatus> status;
  std::string owner;
  std::string title;
  // measure_demanded: the goal's status in this and the reviews before,
  // latest first; its length is the number of consecutive reviews.
  std::vector<ReviewedStatus> history;
  // Escalations stored before zielwerk kept facts carry their English sentence
  // instead; shown as it is.
  std::string legacy_reason;
};

// What is known of an escalation besides its facts: the same for the value
// and the stored row (storage/review_store.h).
struct EscalationInfo {
  std::int64_t id = 0;
  EscalationKind kind = EscalationKind::measure_demanded;
  std::string subject;  // what it is about, unique per kind and workflow
  std::string workflow;
  std::string goal;
  std::optional<std::int64_t> measure_id;
  std::string milestone;
  std::string party;  // escalated to
  Timestamp raised_at{};
  std::string review_id;  // the agenda it is on; empty until the next review is prepared
  std::int64_t audit_seq = 0;
};

struct Escalation : EscalationInfo {
  EscalationFacts facts;
};

// The subjects that make each escalation unique within its kind and workflow.
std::string overdue_measure_subject(std::int64_t measure_id, std::chrono::year_month_day due);
std::string overdue_milestone_subject(std::string_view goal, std::string_view milestone);
std::string demanded_measure_subject(std::string_view review_id, std::string_view goal);

}  // namespace zielwerk::domain
