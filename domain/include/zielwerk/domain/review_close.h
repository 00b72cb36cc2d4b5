// Decider for closing a review: what is still open before it can be closed.
// Pure; the engine loads the review's minutes, measures and escalations, asks,
// and refuses the close while anything is open (engine/reviews.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/domain/review.h"

namespace zielwerk::domain {

enum class OpenItemKind {
  attendance_missing,  // nobody is recorded as attending
  measure_demanded,    // the agenda demands a measure for `goal`, neither agreed nor declined
  follow_up_missing,   // an open measure on the agenda has no follow-up in this review
};

struct OpenItem {
  OpenItemKind kind = OpenItemKind::attendance_missing;
  std::string goal;  // measure_demanded, follow_up_missing
  // follow_up_missing: the measure as it stands now.
  std::int64_t measure_id = 0;
  std::string measure_title;
  MeasureStatus measure_status = MeasureStatus::agreed;
  std::chrono::year_month_day measure_due{};
};

// Why `review` cannot be closed yet, in this order: attendance, each demanded
// measure (once per goal), each open measure of its agenda without a follow-up
// recorded in it. Empty when it can be closed, or when it is not prepared.
// `escalations`: those on its agenda; `measures`: every stored measure;
// `follow_ups`: those recorded in this review.
std::vector<OpenItem> review_open_items(const Review& review,
                                        const std::vector<ReviewEntry>& entries,
                                        const std::vector<Escalation>& escalations,
                                        const std::vector<Measure>& measures,
                                        const std::vector<MeasureFollowUp>& follow_ups);

}  // namespace zielwerk::domain
