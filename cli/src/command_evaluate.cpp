// zielwerk evaluate --period YYYY-MM [--known-at DATE] [--explain GOAL]
#include <iostream>
#include <memory>

#include "commands.h"
#include "evaluation_output.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {
namespace {

struct EvaluateOptions : DataOptions {
  std::string period;
  std::string known_at;
  std::string explain;
  std::string format;
};

}  // namespace

Action register_evaluate(Command app, const Clock& clock) {
  auto options = std::make_shared<EvaluateOptions>();
  Command command = app.subcommand("evaluate", "Evaluate every goal for a reporting month");
  command.footer(
      std::string(
          "Evaluate every goal of the agreement for a reporting month on the imported figures: "
          "the value, its status against the target and tolerance (met, at_risk, missed, "
          "no_data; observed for monitoring goals; done, open, overdue for milestones) and the "
          "year-end forecast with whether the target is still reachable (docs/evaluation.md).\n"
          "--known-at evaluates with the figures as they were known then, --explain shows the "
          "numbers behind one goal's value.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(command, *options, false);
  command.option("--period", options->period, "reporting month, YYYY-MM")
      .type_name("YYYY-MM")
      .required();
  command
      .option("--known-at", options->known_at,
              "use the figures as known then: YYYY-MM-DD (end of that day) or "
              "YYYY-MM-DDTHH:MM in the project's time zone")
      .type_name("DATE");
  command
      .option("--explain", options->explain,
              "show formula, series, months and revisions behind one goal's value")
      .type_name("GOAL");
  add_format_option(command, options->format, {"table", "json", "csv"});
  return [options, clock] {
    const auto period = YearMonth::parse(options->period);
    if (!period) {
      return report_error(Error::usage("--period: " + quote(options->period) + " " +
                                       month_problem(options->period)));
    }
    auto project = load_project_or_report(*options);
    if (!project) return static_cast<int>(kInvalidInput);
    std::optional<Timestamp> known_at;
    if (!options->known_at.empty()) {
      auto parsed = engine::parse_point_in_time(*project, options->known_at, "--known-at");
      if (!parsed) return report_error(parsed.error());
      known_at = parsed.value();
    }
    if (!options->explain.empty() && project->rules.find_goal(options->explain) == nullptr) {
      return report_error(Error::usage("--explain: unknown goal '" + options->explain + "'" +
                                       did_you_mean(options->explain, project->rules.goal_ids())));
    }
    auto database = engine::open_database(*project, options->db, engine::OpenMode::must_exist);
    if (!database) return report_error(database.error());
    // Release lags count to this day when there is no --known-at.
    const auto today = workflows::local_date(project->config.time_zone, clock());
    if (!options->explain.empty()) {
      if (options->format == "csv") {
        return report_error(Error::usage("--explain writes table or json, not csv"));
      }
      const auto explanation = engine::explain_goal(*project, *database.value(), options->explain,
                                                    *period, known_at, today);
      if (!explanation) return report_error(explanation.error());
      if (options->format == "json") {
        write_explanation_json(explanation.value(), *period, std::cout);
      } else {
        write_explanation_text(explanation.value(), *period, std::cout);
      }
      return static_cast<int>(kSuccess);
    }
    const auto inputs = engine::load_evaluation_inputs(*project, *database.value(), known_at);
    if (!inputs) return report_error(inputs.error());
    const auto report = engine::evaluate_period(*project, inputs.value(), *period, known_at, today);
    if (options->format == "json") {
      write_evaluation_json(report, std::cout);
    } else if (options->format == "csv") {
      write_evaluation_csv(report, std::cout);
    } else {
      write_evaluation_table(report, project->rules.agreement.title, std::cout);
    }
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
