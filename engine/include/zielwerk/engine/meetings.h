// `zielwerk schedule`: the review meetings of the project's workflows.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/workflows/schedule.h"

namespace zielwerk::engine {

struct ScheduleRequest {
  // Neither given: the meetings `run` prepares (those reviewing a month of the
  // agreement year, without skipped ones), the range widened to hold them.
  // One given: the other defaults to January 1 / December 31 of the year.
  std::optional<std::chrono::year_month_day> from;
  std::optional<std::chrono::year_month_day> to;
  std::string workflow;  // only this workflow; empty: all
};

struct ScheduledMeeting {
  workflows::Meeting meeting;
  const workflows::Workflow* workflow = nullptr;  // into the project
};

struct ProjectSchedule {
  std::chrono::year_month_day from{};
  std::chrono::year_month_day to{};
  std::vector<ScheduledMeeting> meetings;  // by start
};

// The meetings in the range, in the project's time zone and holiday region.
// An unknown workflow id or a range that ends before it starts is a usage error.
Result<ProjectSchedule> project_schedule(const Project& project, const ScheduleRequest& request);

}  // namespace zielwerk::engine
