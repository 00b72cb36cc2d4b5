#include "zielwerk/domain/follow_up.h"

#include <algorithm>

#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::domain {

std::string escalation_party(const rules::Agreement& agreement, const workflows::Workflow& workflow,
                             const rules::Goal& goal) {
  // The participant of the goal's own carrier (the agency for a BA goal), else
  // any participant acting on the goal's side, else the first participant.
  for (const auto& id : workflow.participants) {
    const rules::Party* party = agreement.find_party(id);
    if (party != nullptr && rules::to_string(party->carrier) == goal.responsibility) return id;
  }
  for (const auto& id : workflow.participants) {
    const rules::Party* party = agreement.find_party(id);
    if (party != nullptr && party->acts_on_side(goal.responsibility)) return id;
  }
  return workflow.participants.front();
}

std::vector<workflows::Meeting> agreement_meetings(const workflows::Workflow& workflow,
                                                   int agreement_year,
                                                   const workflows::CalendarSettings& calendar) {
  using namespace std::chrono;
  // A meeting reviews a month up to twelve months before its own.
  const year first{agreement_year};
  const year last{agreement_year + 1};
  std::vector<workflows::Meeting> meetings;
  for (auto& meeting :
       workflows::meetings_between(workflow, first / January / 1, last / December / 31, calendar)) {
    if (meeting.reviews.year() != agreement_year || meeting.skipped()) continue;
    meetings.push_back(std::move(meeting));
  }
  return meetings;
}

Timestamp preparation_time(const workflows::Workflow& workflow, const workflows::Meeting& meeting,
                           const std::string& time_zone) {
  using namespace std::chrono;
  const sys_days day = sys_days(*meeting.date) - days(workflow.meetings.prepare_days_before);
  const local_time<milliseconds> local{local_days(day.time_since_epoch()) + meeting.time_of_day};
  return workflows::local_to_utc(time_zone, local);
}

DuePlan plan_due_steps(const rules::RuleSet& rules,
                       const std::vector<workflows::Workflow>& workflows,
                       const workflows::CalendarSettings& calendar, const FollowUpState& state,
                       Timestamp now, std::chrono::year_month_day today) {
  DuePlan plan;
  for (const auto& [measure, workflow] : state.measures) {
    if (!is_overdue(measure, today) || workflow == nullptr) continue;
    const std::string& to = workflow->escalation.overdue_measures_to;
    plan.measures.push_back({measure, workflow, to.empty() ? measure.owner_party : to});
  }

  for (const auto& goal : rules.goals) {
    const auto* spec = std::get_if<rules::MilestoneSpec>(&goal.spec);
    if (spec == nullptr) continue;
    const auto in_scope = [&](const workflows::Workflow& workflow) {
      const auto goals = workflows::goals_in_scope(workflow.scope, rules);
      return std::find(goals.begin(), goals.end(), &goal) != goals.end();
    };
    for (const auto& milestone : spec->milestones) {
      if (!(milestone.due < today) || state.done_milestones.count({goal.id, milestone.id}) > 0) {
        continue;
      }
      for (const auto& workflow : workflows) {
        if (!in_scope(workflow)) continue;
        plan.milestones.push_back(
            {&goal, &milestone, &workflow, escalation_party(rules.agreement, workflow, goal)});
      }
    }
  }

  for (const auto& workflow : workflows) {
    std::vector<workflows::Meeting> due;
    for (auto& meeting : agreement_meetings(workflow, rules.agreement.year, calendar)) {
      if (state.reviews.count(meeting.id()) > 0) continue;
      if (preparation_time(workflow, meeting, calendar.time_zone) <= now) {
        due.push_back(std::move(meeting));
      }
    }
    for (std::size_t i = 0; i < due.size(); ++i) {
      const bool latest = i + 1 == due.size();
      const bool started = due[i].starts_at <= now;
      MeetingStep step{&workflow, due[i], false, false};
      if (latest) {
        step.late = started;
      } else {
        step.missed = started;
      }
      plan.meetings.push_back(std::move(step));
    }
  }
  return plan;
}

std::optional<Timestamp> next_preparation_time(const std::vector<workflows::Workflow>& workflows,
                                               int agreement_year,
                                               const workflows::CalendarSettings& calendar,
                                               Timestamp now) {
  std::optional<Timestamp> next;
  for (const auto& workflow : workflows) {
    for (const auto& meeting : agreement_meetings(workflow, agreement_year, calendar)) {
      const Timestamp at = preparation_time(workflow, meeting, calendar.time_zone);
      if (at > now && (!next || at < *next)) next = at;
    }
  }
  return next;
}

std::vector<MeasureDemand> plan_measure_demands(const workflows::EscalationRules& rules,
                                                YearMonth period,
                                                const std::vector<GoalAtReview>& goals,
                                                std::vector<EarlierReview> earlier,
                                                const std::set<std::string>& open_measure_goals) {
  const auto counts = [&](rules::GoalStatus status) {
    return std::find(rules.demand_measure_on.begin(), rules.demand_measure_on.end(), status) !=
           rules.demand_measure_on.end();
  };
  const auto needed = static_cast<std::size_t>(rules.demand_measure_after - 1);
  // The latest `needed` held reviews before this one, latest first.
  std::sort(earlier.begin(), earlier.end(),
            [](const auto& a, const auto& b) { return a.period > b.period; });
  std::erase_if(earlier, [&](const EarlierReview& review) { return !(review.period < period); });
  if (earlier.size() > needed) earlier.resize(needed);

  std::vector<MeasureDemand> demands;
  if (earlier.size() < needed) return demands;
  for (const auto& goal : goals) {
    if (!goal.binding_target || !counts(goal.status)) continue;
    MeasureDemand demand{goal.id, {{period, goal.status}}};
    bool behind = true;
    for (std::size_t i = 0; i < needed && behind; ++i) {
      const auto it = earlier[i].statuses.find(goal.id);
      behind = it != earlier[i].statuses.end() && counts(it->second);
      if (behind) demand.history.push_back({earlier[i].period, it->second});
    }
    if (!behind || open_measure_goals.count(goal.id) > 0) continue;
    demands.push_back(std::move(demand));
  }
  return demands;
}

std::string to_string(StepKind kind) {
  switch (kind) {
    case StepKind::measure_overdue:
      return "measure_overdue";
    case StepKind::milestone_overdue:
      return "milestone_overdue";
    case StepKind::review_prepared:
      return "review_prepared";
    case StepKind::review_missed:
      return "review_missed";
  }
  return "unknown";
}

}  // namespace zielwerk::domain
