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

Action register_milestone(CLI::App& app, Clock clock) {
  auto options = std::make_shared<MilestoneOptions>();
  CLI::App* command =
      app.add_subcommand("milestone", "Record progress on qualitative goals (milestones)");
  command->require_subcommand(1);
  command->set_help_flag("-h,--help", "print this help and exit");
  command->set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command->footer(kExitCodesHelp);
  CLI::App* done = command->add_subcommand("done", "Record that a milestone was done");
  done->footer(std::string("Record that MILESTONE of goal GOAL was done on DATE. For goals whose "
                           "milestones are ordered, the one before must be done first. The "
                           "record is kept in the audit trail with the actor.") +
               "\n\n" + kExitCodesHelp);
  add_data_options(*done, *options, true);
  done->add_option("GOAL", options->goal, "goal id of a milestone goal")->required();
  done->add_option("MILESTONE", options->milestone, "milestone id")->required();
  done->add_option("--date", options->date, "the day it was done, YYYY-MM-DD")
      ->type_name("DATE")
      ->required();
  return [options, clock] {
    const auto date = parse_date(options->date);
    if (!date) {
      return report_error(Error::usage("--date: '" + options->date + "' is not a date YYYY-MM-DD"));
    }
    auto project = load_project_or_report(*options);
    if (!project) return static_cast<int>(kInvalidInput);
    const auto actor = engine::require_actor(*project, options->actor);
    if (!actor) return report_error(actor.error());
    auto database =
        engine::open_database(*project, options->db, engine::OpenMode::create_if_missing);
    if (!database) return report_error(database.error());
    const Status recorded = engine::record_milestone_done(
        *project, *database.value(),
        {options->goal, options->milestone, *date, actor.value()->id, clock()});
    if (!recorded) return report_error(recorded.error());
    std::cout << options->goal << ": milestone " << options->milestone << " done on "
              << format_date(*date) << " (recorded by " << actor.value()->id << ")\n";
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
