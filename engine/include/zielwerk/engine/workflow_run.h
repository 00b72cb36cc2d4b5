// `zielwerk run` and the daemon's timer: every workflow step that is due.
//
// What is due is decided by domain::plan_due_steps (domain/follow_up.h); this
// performs it. Steps, in this order, each in its own write transaction with
// its audit record:
//  1. a measure still open after its due date is escalated (once per due date)
//     to the next review of its workflow and to the workflow's
//     `overdue_measures_to` party (default: the measure's owner);
//  2. a milestone not done after its due date is escalated (once) to the next
//     review of every workflow whose scope holds its goal;
//  3. each meeting whose preparation time has come (`prepare_days_before` its
//     start) and that has no review yet: its review is prepared. Preparing
//     freezes the evaluation of the reviewed month on the figures known now
//     (the snapshot, with the rule-set version and the imports it read) and
//     builds the agenda: the goals in scope with statuses and forecasts, the
//     open measures up for follow-up, the escalations, and a measure demanded
//     for every binding goal that is behind (per the workflow's escalation
//     rules) without an open measure.
//     After downtime, a workflow's meetings whose start has passed unprepared
//     are recorded as missed, except the latest due one: when it has started
//     too, it is prepared once and marked late.
// Meetings are those reviewing a month of the agreement's year.
//
// Idempotent: each step checks inside its transaction whether it was done,
// so a second run at the same time, or a daemon and a cron job at once,
// change nothing more. A process killed between steps leaves every finished
// step stored and no half step.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/follow_up.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

// A step as performed: facts only (ids, dates, statuses, parties), worded for
// people by the catalogue (locale::step_summary).
using RunStep = domain::CompletedStep;
using domain::StepKind;

struct RunRequest {
  std::string actor;  // a known actor id (the system actor for scheduled runs)
  // The moment the run acts as of: which steps are due, and the times its rows
  // carry (a review's prepared_at, an escalation's raised_at).
  Timestamp now{};
  // When its audit records are recorded: the system clock, which never goes
  // back (a record's time is never before the last one's). Unset: `now`. A
  // run acting as of another moment (`run --now`) says so in each record's
  // details ("as_of").
  std::optional<Timestamp> recorded_at;
  // `now` is far ahead of the system clock and was given with `run --force`:
  // every record of the run says so ("forced_now": true).
  bool forced_now = false;
  // Asked between steps; true ends the run after the step in progress (SIGTERM).
  std::function<bool()> should_stop;
  // Told about each step once it is committed.
  std::function<void(const RunStep&)> on_step;
};

struct RunReport {
  std::vector<RunStep> steps;  // done by this run, in order
  bool stopped = false;        // ended early on should_stop
};

// Storage failures are ErrorKind::storage; the steps committed before stay.
Result<RunReport> run_due_steps(const Project& project, storage::Database& database,
                                const RunRequest& request);

// When the next meeting's preparation falls due after `now`, if any meeting of
// the agreement's year is still ahead. Overdue measures and milestones fall due
// at local midnight, which the daemon's wake-up every minute catches.
std::optional<Timestamp> next_preparation_time(const Project& project, Timestamp now);

}  // namespace zielwerk::engine
