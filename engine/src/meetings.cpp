#include "zielwerk/engine/meetings.h"

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"

namespace zielwerk::engine {

Result<ProjectSchedule> project_schedule(const Project& project, const ScheduleRequest& request) {
  using namespace std::chrono;
  const year agreement_year{project.rules.agreement.year};
  ProjectSchedule result;
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
  for (auto& meeting : workflows::schedule(selected, result.from, result.to, calendar)) {
    const workflows::Workflow* owner = nullptr;
    for (const auto& workflow : project.workflows) {
      if (workflow.id == meeting.workflow) owner = &workflow;
    }
    result.meetings.push_back({std::move(meeting), owner});
  }
  return result;
}

}  // namespace zielwerk::engine
