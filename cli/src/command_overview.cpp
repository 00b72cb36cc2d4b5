// zielwerk overview --period YYYY-MM [--format table|json|csv]
#include <iostream>
#include <memory>

#include "commands.h"
#include "csv_output.h"
#include "number_format.h"
#include "text_table.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/engine/overview.h"
#include "zielwerk/engine/workspace.h"

namespace zielwerk::cli {
namespace {

struct OverviewOptions : DataOptions {
  std::string period;
  std::string format;
};

// A cell of the table: the status, and the value where there is one.
std::string cell(const engine::OverviewGoal* goal) {
  if (goal == nullptr) return "-";
  std::string text = rules::to_string(goal->status);
  if (goal->value && goal->unit) text += " " + format_quantity(*goal->value, *goal->unit);
  return text;
}

void write_overview_table(const engine::Overview& overview, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"AGREEMENT", "REVIEW"};
  for (const auto& goal : overview.goals)
    header.push_back(goal);
  rows.push_back(std::move(header));
  for (const auto& row : overview.rows) {
    std::vector<std::string> line = {row.agreement, row.review.empty() ? "none" : row.review};
    for (const auto& goal : overview.goals)
      line.push_back(cell(row.find(goal)));
    rows.push_back(std::move(line));
  }
  out << "Overview of " << overview.rows.size() << " agreement"
      << (overview.rows.size() == 1 ? "" : "s") << ", reviews of " << overview.period.to_string()
      << "\n\n";
  write_table(rows, {}, out);
}

void write_overview_csv(const engine::Overview& overview, std::ostream& out) {
  out << "period,agreement,review,goal,status,value,unit\n";
  for (const auto& row : overview.rows) {
    for (const auto& goal : row.goals) {
      out << overview.period.to_string() << ',' << csv_field(row.agreement) << ','
          << csv_field(row.review) << ',' << csv_field(goal.id) << ','
          << rules::to_string(goal.status) << ','
          << (goal.value ? format_plain(*goal.value) : std::string()) << ','
          << (goal.unit ? rules::to_string(*goal.unit) : std::string()) << '\n';
    }
  }
}

}  // namespace

Action register_overview(Command app) {
  auto options = std::make_shared<OverviewOptions>();
  Command command =
      app.subcommand("overview", "Every visible agreement's goals at a month, side by side");
  command.footer(
      std::string(
          "List every agreement the database lets you read (on a region's PostgreSQL server: "
          "those of your role, or all of them for a regional reader; a SQLite file holds one) "
          "with each goal's status and value, as the agreement's review of that month froze "
          "them. An agreement without a prepared review of the month shows none "
          "(docs/deployment.md).") +
      "\n\n" + kExitCodesHelp);
  add_data_options(command, *options, false);
  command.option("--period", options->period, "reviewed month, YYYY-MM")
      .type_name("YYYY-MM")
      .required();
  add_format_option(command, options->format, {"table", "json", "csv"});
  return [options] {
    const auto period = YearMonth::parse(options->period);
    if (!period) {
      return report_error(Error::usage("--period: " + quote(options->period) + " " +
                                       month_problem(options->period)));
    }
    auto project = load_project_or_report(*options);
    if (!project) return static_cast<int>(kInvalidInput);
    auto database = engine::open_database(*project, options->db, engine::OpenMode::must_exist);
    if (!database) return report_error(database.error());
    const auto overview = engine::regional_overview(*database.value(), *period);
    if (!overview) return report_error(overview.error());
    if (options->format == "json") {
      std::cout << engine::overview_json(overview.value());
    } else if (options->format == "csv") {
      write_overview_csv(overview.value(), std::cout);
    } else {
      write_overview_table(overview.value(), std::cout);
    }
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
