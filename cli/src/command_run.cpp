// zielwerk run [--now DATETIME] [--format table|json]
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "workflow_output.h"
#include "zielwerk/engine/workflow_run.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {
namespace {

struct RunOptions : DataOptions {
  std::string now;
  bool force = false;
  std::string format;
};

// How far --now may be ahead of the system clock without --force: a run in
// the far future would mark the year's meetings missed and date records ahead,
// and the trail's time never goes back.
constexpr auto kFutureTolerance = std::chrono::hours(1);

}  // namespace

Action register_run(Command app, const Clock& clock) {
  auto options = std::make_shared<RunOptions>();
  Command command = app.subcommand("run", "Perform every workflow step that is due");
  command.footer(
      std::string(
          "Perform every step that is due now, for cron: escalate measures past their due date "
          "and milestones not done in time, then prepare each review meeting whose preparation "
          "time has come (prepare_days_before its start): freeze the evaluation of the reviewed "
          "month on the figures known now and build the agenda. Meetings that passed while "
          "nothing ran are recorded as missed; the latest is prepared late. Each step is one "
          "transaction with its audit record; running again changes nothing more, and a run "
          "next to `zielwerk serve` never prepares a meeting twice.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(command, *options, true);
  command
      .option("--now", options->now,
              "the time to act at, in the project's zone: YYYY-MM-DDTHH:MM, a date (its "
              "end), or UTC ...Z (default: the system clock)")
      .type_name("DATETIME");
  command.flag("--force", options->force,
               "act at a --now more than an hour ahead of the system clock; its records say so");
  add_format_option(command, options->format, {"table", "json"});
  return [options, clock] {
    auto opened = open_for_change(*options);
    if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
    auto& context = std::get<ChangeContext>(opened);
    Timestamp now = clock();
    if (!options->now.empty()) {
      const auto parsed = engine::parse_point_in_time(context.project, options->now, "--now");
      if (!parsed) return report_error(parsed.error());
      const Timestamp system_now = now;
      now = parsed.value();
      if (now > system_now + kFutureTolerance && !options->force) {
        return report_error(Error::usage(
            "--now " + options->now + " is ahead of this machine's clock (" +
            local_time_text(context.project, system_now) +
            "): a run there would prepare reviews ahead of their time and record the meetings "
            "before it as missed, which later runs cannot undo. Give --force if that is meant; "
            "its records say so"));
      }
    }
    engine::RunRequest request;
    request.actor = context.actor;
    request.now = now;
    request.recorded_at = clock();
    request.forced_now = options->force && now > *request.recorded_at + kFutureTolerance;
    if (options->format == "table") {
      request.on_step = [](const engine::RunStep& step) {
        std::cout << step.subject << ": " << locale::step_summary(step, locale::Language::en)
                  << '\n'
                  << std::flush;
      };
    }
    const auto report = engine::run_due_steps(context.project, *context.database, request);
    if (!report) return report_error(report.error());
    const auto next = engine::next_preparation_time(context.project, now);
    if (options->format == "json") {
      nlohmann::json steps = nlohmann::json::array();
      for (const auto& step : report.value().steps) {
        steps.push_back({{"kind", domain::to_string(step.kind)},
                         {"subject", step.subject},
                         {"summary", locale::step_summary(step, locale::Language::en)}});
      }
      std::cout << nlohmann::json{{"now", format_timestamp(now)},
                                  {"steps", steps},
                                  {"next_preparation", next
                                                           ? nlohmann::json(format_timestamp(*next))
                                                           : nlohmann::json(nullptr)}}
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
    } else {
      const auto count = report.value().steps.size();
      std::cout << "run at " << local_time_text(context.project, now) << ": "
                << (count == 0 ? std::string("nothing due")
                               : std::to_string(count) + (count == 1 ? " step" : " steps"))
                << "; next preparation: "
                << (next ? local_time_text(context.project, *next) : std::string("none")) << '\n';
    }
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
