// zielwerk milestone done GOAL MILESTONE --date DATE
#include <iostream>
#include <memory>

#include "commands.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/engine/milestones.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/version.h"

namespace zielwerk::cli {
namespace {

struct MilestoneOptions : DataOptions {
  std::string goal;
  std::string milestone;
  std::string date;
};

}  // namespace

Action register_milestone(Command app, const Clock& clock) {
  auto options = std::make_shared<MilestoneOptions>();
  Command command =
      app.subcommand("milestone", "Record progress on qualitative goals (milestones)");
  command.require_subcommand(1);
  command.set_help_flag("-h,--help", "print this help and exit");
  command.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command.footer(kExitCodesHelp);
  Command done = command.subcommand("done", "Record that a milestone was done");
  done.footer(std::string("Record that MILESTONE of goal GOAL was done on DATE. For goals whose "
                          "milestones are ordered, the one before must be done first. The "
                          "record is kept in the audit trail with the actor.") +
              "\n\n" + kExitCodesHelp);
  add_data_options(done, *options, true);
  done.option("GOAL", options->goal, "goal id of a milestone goal").required();
  done.option("MILESTONE", options->milestone, "milestone id").required();
  done.option("--date", options->date, "the day it was done, YYYY-MM-DD")
      .type_name("DATE")
      .required();
  return [options, clock] {
    const auto date = date_option("--date", options->date);
    if (!date) return report_error(date.error());
    auto opened = open_for_change(*options, engine::OpenMode::create_if_missing);
    if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
    auto& context = std::get<ChangeContext>(opened);
    const Status recorded = engine::record_milestone_done(
        context.project, *context.database,
        {options->goal, options->milestone, date.value(), context.actor, clock()});
    if (!recorded) return report_error(recorded.error());
    std::cout << options->goal << ": milestone " << options->milestone << " done on "
              << format_date(date.value()) << " (recorded by " << context.actor << ")\n";
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
