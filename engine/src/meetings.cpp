#include "zielwerk/engine/meetings.h"

#include <algorithm>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/domain/follow_up.h"

namespace zielwerk::engine {

Result<ProjectSchedule> project_schedule(const Project& project, const ScheduleRequest& request) {
  using namespace std::chrono;
  const year agreement_year{project.rules.agreement.year};
  ProjectSchedule result;
  // Without a range: the meetings `run` prepares, those that review a month of
  // the agreement year (the last one falls in January of the next year).
  const bool agreement_range = !request.from && !request.to;
  result.from = request.from.value_or(agreement_year / January / 1);
  result.to = request.to.value_or(agreement_year / December / 31);
  if (result.to < result.from) {
    return Error::usage("--to " + format_date(result.to) + " is before --from " +
                        format_date(result.from));
  }
  std::vector<workflows::Workflow> selected;
  if (request.workflow.empty()) {
    selected = project.workflows;
  } else {
    std::vector<std::string> ids;
    for (const auto& workflow : project.workflows) {
      ids.push_back(workflow.id);
      if (workflow.id == request.workflow) selected.push_back(workflow);
    }
    if (selected.empty()) {
      return Error::usage("unknown workflow '" + request.workflow + "'" +
                          did_you_mean(request.workflow, ids) + "; workflows: " + join(ids, ", "));
    }
  }
  const workflows::CalendarSettings calendar = calendar_of(project);
  std::vector<workflows::Meeting> meetings;
  if (agreement_range) {
    for (const auto& workflow : selected) {
      auto own = domain::agreement_meetings(workflow, project.rules.agreement.year, calendar);
      meetings.insert(meetings.end(), std::make_move_iterator(own.begin()),
                      std::make_move_iterator(own.end()));
    }
    workflows::sort_by_start(meetings);
    if (!meetings.empty()) {
      result.from = std::min(result.from, *meetings.front().date);
      result.to = std::max(result.to, *meetings.back().date);
    }
  } else {
    meetings = workflows::schedule(selected, result.from, result.to, calendar);
  }
  for (auto& meeting : meetings) {
    const workflows::Workflow* owner = nullptr;
    for (const auto& workflow : project.workflows) {
      if (workflow.id == meeting.workflow) owner = &workflow;
    }
    result.meetings.push_back({std::move(meeting), owner});
  }
  return result;
}

}  // namespace zielwerk::engine
