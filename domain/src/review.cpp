#include "zielwerk/domain/review.h"

#include <array>
#include <cstdio>

namespace zielwerk::domain {
namespace {

constexpr std::array<std::string_view, 5> kEntryKinds = {
    "attendance", "assessment", "external_conditions", "decision", "no_measure"};
constexpr std::array<std::string_view, 3> kEscalationKinds = {"measure_demanded", "measure_overdue",
                                                              "milestone_overdue"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names,
                               std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& review_state_names() {
  static const std::vector<std::string> names = {"prepared", "missed", "closed"};
  return names;
}

std::string to_string(ReviewState state) {
  return review_state_names()[static_cast<std::size_t>(state)];
}

std::optional<ReviewState> parse_review_state(std::string_view text) {
  const auto& names = review_state_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i]) return static_cast<ReviewState>(i);
  }
  return std::nullopt;
}

std::string to_string(EntryKind kind) {
  return std::string(kEntryKinds[static_cast<std::size_t>(kind)]);
}

std::optional<EntryKind> parse_entry_kind(std::string_view text) {
  return parse_name<EntryKind>(kEntryKinds, text);
}

std::string to_string(EscalationKind kind) {
  return std::string(kEscalationKinds[static_cast<std::size_t>(kind)]);
}

std::optional<EscalationKind> parse_escalation_kind(std::string_view text) {
  return parse_name<EscalationKind>(kEscalationKinds, text);
}

std::string overdue_measure_subject(std::int64_t measure_id, std::chrono::year_month_day due) {
  return "measure/" + std::to_string(measure_id) + "/due/" + format_date(due);
}

std::string overdue_milestone_subject(std::string_view goal, std::string_view milestone) {
  return std::string(goal) + "/" + std::string(milestone);
}

std::string demanded_measure_subject(std::string_view review_id, std::string_view goal) {
  return std::string(review_id) + "/" + std::string(goal);
}

std::optional<double> AgendaGoal::gap() const {
  if (!actual || !target) return std::nullopt;
  return *actual - *target;
}

std::vector<double> AgendaGoal::edges() const {
  std::vector<double> out;
  if (const auto at = reference()) {
    out.push_back(*at);
    if (judged_tolerance > 0) {
      const bool floor = !op || rules::is_floor(*op);
      out.push_back(floor ? *at - judged_tolerance : *at + judged_tolerance);
    }
  }
  if (target) out.push_back(*target);
  return out;
}

std::optional<double> AgendaGoal::soll_gap() const {
  if (!actual || !soll) return std::nullopt;
  return *actual - *soll;
}

AgendaMeasure agenda_measure(const Measure& measure, std::chrono::year_month_day meeting_day) {
  AgendaMeasure item;
  item.id = measure.id;
  item.goal = measure.goal;
  item.title = measure.title;
  item.agreed_in = measure.review_id;
  item.owner = measure.owner_party;
  item.assignee = measure.assignee;
  item.due = measure.due_on;
  item.follow_up = measure.follow_up_on;
  item.status = measure.status;
  item.overdue = is_overdue(measure, meeting_day);
  item.follow_up_due = follow_up_due(measure, meeting_day);
  return item;
}

AgendaEscalation agenda_escalation(const Escalation& escalation) {
  AgendaEscalation item;
  item.kind = escalation.kind;
  item.goal = escalation.goal;
  item.measure = escalation.measure_id;
  item.milestone = escalation.milestone;
  item.party = escalation.party;
  item.raised_at = escalation.raised_at;
  item.facts = escalation.facts;
  return item;
}

}  // namespace zielwerk::domain
