// zielwerk schedule [--from DATE] [--to DATE] [--workflow ID] [--format table|json|ics]
#include <iostream>
#include <memory>

#include "commands.h"
#include "schedule_output.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/engine/meetings.h"

namespace zielwerk::cli {
namespace {

struct ScheduleOptions : ProjectOptions {
  std::string from;
  std::string to;
  std::string workflow;
  std::string format;
};

}  // namespace

Action register_schedule(Command app, const Clock& clock) {
  auto options = std::make_shared<ScheduleOptions>();
  Command command = app.subcommand("schedule", "List the review meetings the workflows produce");
  command.footer(
      std::string("List the review meetings of the project's workflows: each with its identity "
                  "(workflow/reviewed month), day and local time, moved or skipped for the "
                  "holidays of the project's region. Without --from and --to: the meetings "
                  "`run` prepares, those that review a month of the agreement's year. "
                  "--format ics writes an iCalendar file for calendar programs.") +
      "\n\n" + kExitCodesHelp);
  add_project_options(command, *options);
  command.option("--from", options->from, "first day, YYYY-MM-DD (with --to only: January 1)")
      .type_name("DATE");
  command.option("--to", options->to, "last day, YYYY-MM-DD (with --from only: December 31)")
      .type_name("DATE");
  command.option("--workflow", options->workflow, "only this workflow").type_name("ID");
  add_format_option(command, options->format, {"table", "json", "ics"});
  return [options, clock] {
    engine::ScheduleRequest request;
    for (const auto& [text, target, name] : {std::tuple{&options->from, &request.from, "--from"},
                                             std::tuple{&options->to, &request.to, "--to"}}) {
      if (text->empty()) continue;
      const auto date = date_option(name, *text);
      if (!date) return report_error(date.error());
      *target = date.value();
    }
    request.workflow = options->workflow;
    auto project = load_project_or_report(*options);
    if (!project) return static_cast<int>(kInvalidInput);
    const auto schedule = engine::project_schedule(*project, request);
    if (!schedule) return report_error(schedule.error());
    if (options->format == "json") {
      std::cout << engine::schedule_json(schedule.value(), *project) << '\n';
    } else if (options->format == "ics") {
      write_schedule_ics(schedule.value(), *project, clock(), std::cout);
    } else {
      write_schedule_table(schedule.value(), project->config.time_zone, std::cout);
    }
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
