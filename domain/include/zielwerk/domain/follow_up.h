// Deciders of the follow-up process: which workflow steps are due at a moment,
// which measures a review's agenda demands, and to whom an escalation goes.
// Pure: the rules, workflows and stored state come in as values, "now" as an
// argument. The engine asks, then performs each step in a transaction of its
// own that first checks whether another run did it (engine/workflow_run.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/rules/evaluation.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/workflows/schedule.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::domain {

// The party an escalation about `goal` goes to when the workflow names none:
// the workflow's participant whose carrier is the goal's side (the agency for a
// BA goal), else one that acts on the side, else its first participant.
std::string escalation_party(const rules::Agreement& agreement, const workflows::Workflow& workflow,
                             const rules::Goal& goal);

// The meetings of `workflow` that review a month of the agreement year
// `agreement_year` and take place (a meeting skipped for a holiday has nothing
// to prepare).
std::vector<workflows::Meeting> agreement_meetings(const workflows::Workflow& workflow,
                                                   int agreement_year,
                                                   const workflows::CalendarSettings& calendar);

// `prepare_days_before` days before the meeting, at the meeting's local time.
Timestamp preparation_time(const workflows::Workflow& workflow, const workflows::Meeting& meeting,
                           const std::string& time_zone);

// An overdue measure to escalate to the next review of its workflow.
struct MeasureEscalation {
  Measure measure;
  const workflows::Workflow* workflow = nullptr;
  std::string party;  // the workflow's overdue_measures_to, else the measure's owner
};

// An overdue milestone to escalate to the next review of a workflow whose
// scope holds its goal.
struct MilestoneEscalation {
  const rules::Goal* goal = nullptr;
  const rules::Milestone* milestone = nullptr;
  const workflows::Workflow* workflow = nullptr;
  std::string party;
};

// A meeting whose preparation time has come and that has no review yet.
struct MeetingStep {
  const workflows::Workflow* workflow = nullptr;
  workflows::Meeting meeting;
  bool missed = false;  // its start passed and a later meeting is due: record as missed
  bool late = false;    // prepared after its start (after downtime)
};

struct DuePlan {
  std::vector<MeasureEscalation> measures;
  std::vector<MilestoneEscalation> milestones;
  std::vector<MeetingStep> meetings;  // per workflow in declaration order, by meeting
};

// What the follow-up state needs to decide what is due.
struct FollowUpState {
  // Every stored measure with the workflow of the review that agreed it (none
  // when that review's workflow is no longer defined).
  std::vector<std::pair<Measure, const workflows::Workflow*>> measures;
  std::set<std::pair<std::string, std::string>> done_milestones;  // (goal, milestone)
  std::set<std::string> reviews;                                  // ids of stored reviews
};

// Every step that is due at `now` (`today` its local date), in the order they
// are performed: overdue measures, overdue milestones (once per workflow whose
// scope holds the goal), then each workflow's due meetings. After downtime only
// a workflow's latest due meeting can still be held: the ones before it whose
// start has passed are missed; the latest is prepared, late when it started.
// The plan lists steps another run may already have done; performing one
// checks that first.
DuePlan plan_due_steps(const rules::RuleSet& rules,
                       const std::vector<workflows::Workflow>& workflows,
                       const workflows::CalendarSettings& calendar, const FollowUpState& state,
                       Timestamp now, std::chrono::year_month_day today);

// When the next meeting's preparation falls due after `now`, if any meeting of
// the agreement year is still ahead.
std::optional<Timestamp> next_preparation_time(const std::vector<workflows::Workflow>& workflows,
                                               int agreement_year,
                                               const workflows::CalendarSettings& calendar,
                                               Timestamp now);

// The statuses of the goals in one earlier review (from its snapshot).
struct EarlierReview {
  YearMonth period;
  std::map<std::string, rules::GoalStatus> statuses;
};

// A goal in the review being prepared, as its demand rule sees it.
struct GoalAtReview {
  std::string id;
  bool binding_target = false;  // a binding target goal (only those can demand a measure)
  rules::GoalStatus status = rules::GoalStatus::no_data;
};

struct MeasureDemand {
  std::string goal;
  std::vector<ReviewedStatus> history;  // this review first, then the earlier ones
};

// The binding target goals among `goals` that are behind (a status the rule
// counts) in this review of `period` and in the `demand_measure_after − 1`
// reviews before it (`earlier`: the workflow's held reviews, any order), and
// have no open measure (`open_measure_goals`).
std::vector<MeasureDemand> plan_measure_demands(const workflows::EscalationRules& rules,
                                                YearMonth period,
                                                const std::vector<GoalAtReview>& goals,
                                                std::vector<EarlierReview> earlier,
                                                const std::set<std::string>& open_measure_goals);

// ---- What was done --------------------------------------------------------

enum class StepKind { measure_overdue, milestone_overdue, review_prepared, review_missed };
std::string to_string(StepKind kind);  // "measure_overdue", ...

// A step as performed, as facts: ids, dates, statuses and parties only, never
// free text such as a measure's title or assignee (which might name a person),
// so a log line made of it names no one (a milestone's title is the agreement's). The catalogue
// words it (zielwerk/locale/catalogue.h).
struct CompletedStep {
  StepKind kind = StepKind::review_prepared;
  std::string subject;  // the review id, "measure 4", "goal/milestone"
  std::string workflow;
  std::string review;  // review_prepared, review_missed
  std::string goal;    // measure_overdue, milestone_overdue
  std::optional<std::int64_t> measure;
  std::string milestone;
  std::string title;  // milestone_overdue: the milestone's title in the agreement
  std::string owner;  // measure_overdue: the measure's owner party
  std::string party;  // escalated to
  std::optional<std::chrono::year_month_day> due;
  std::optional<MeasureStatus> measure_status;
  std::optional<std::chrono::year_month_day> meeting_date;
  YearMonth period;  // the reviewed month
  bool late = false;
  std::size_t escalations = 0;  // review_prepared: escalations on its agenda
};

}  // namespace zielwerk::domain
