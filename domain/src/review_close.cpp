#include "zielwerk/domain/review_close.h"

#include <algorithm>
#include <set>

namespace zielwerk::domain {

std::vector<OpenItem> review_open_items(const Review& review,
                                        const std::vector<ReviewEntry>& entries,
                                        const std::vector<Escalation>& escalations,
                                        const std::vector<Measure>& measures,
                                        const std::vector<MeasureFollowUp>& follow_ups) {
  std::vector<OpenItem> items;
  if (review.state != ReviewState::prepared) return items;
  const auto has_entry = [&](EntryKind kind, const std::string& goal) {
    return std::any_of(entries.begin(), entries.end(), [&](const ReviewEntry& entry) {
      return entry.kind == kind && (goal.empty() || entry.goal == goal);
    });
  };
  if (!has_entry(EntryKind::attendance, "")) {
    OpenItem item;
    item.kind = OpenItemKind::attendance_missing;
    items.push_back(std::move(item));
  }

  std::set<std::string> demanded_goals;
  for (const auto& escalation : escalations) {
    if (escalation.kind != EscalationKind::measure_demanded) continue;
    if (!demanded_goals.insert(escalation.goal).second) continue;
    const bool agreed = std::any_of(measures.begin(), measures.end(), [&](const Measure& m) {
      return m.goal == escalation.goal && m.review_id == review.id;
    });
    if (!agreed && !has_entry(EntryKind::no_measure, escalation.goal)) {
      OpenItem item;
      item.kind = OpenItemKind::measure_demanded;
      item.goal = escalation.goal;
      items.push_back(std::move(item));
    }
  }

  if (!review.agenda) return items;
  std::set<std::int64_t> seen;
  for (const auto& listed : review.agenda->measures) {
    // Only those open when the agenda was prepared are up for follow-up.
    if (!is_open(listed.status) || !seen.insert(listed.id).second) continue;
    const auto measure = std::find_if(measures.begin(), measures.end(),
                                      [&](const Measure& m) { return m.id == listed.id; });
    if (measure == measures.end() || !is_open(measure->status)) continue;
    const bool followed_up =
        std::any_of(follow_ups.begin(), follow_ups.end(), [&](const MeasureFollowUp& f) {
          return f.measure_id == listed.id && f.review_id == review.id;
        });
    if (followed_up) continue;
    OpenItem item;
    item.kind = OpenItemKind::follow_up_missing;
    item.goal = measure->goal;
    item.measure_id = measure->id;
    item.measure_title = measure->title;
    item.measure_status = measure->status;
    item.measure_due = measure->due_on;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace zielwerk::domain
