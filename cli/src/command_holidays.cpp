// zielwerk holidays [--region CODE [--regional ID]...] [--year YYYY] [--project DIR]
//                   [--format table|json]
#include <charconv>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "text_table.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/workflows/holidays.h"

namespace zielwerk::cli {
namespace {

struct HolidaysOptions : ProjectOptions {
  std::string region;
  std::vector<std::string> regional;
  std::string year;
  std::string format;
};

constexpr const char* kWeekdays[] = {"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"};

// The calendar the options name, or the project's when no --region is given.
Result<workflows::HolidayCalendar> calendar_of(const HolidaysOptions& options,
                                               const std::optional<engine::Project>& project) {
  if (options.region.empty()) {
    if (!options.regional.empty()) {
      return Error::usage("--regional needs --region: the Land whose regional holidays they are");
    }
    return engine::calendar_of(*project).holidays;
  }
  std::vector<std::string> codes;
  for (const auto& region : workflows::holiday_regions())
    codes.push_back(region.code);
  const workflows::HolidayRegion* region = workflows::find_holiday_region(options.region);
  if (region == nullptr) {
    return Error::usage("--region: unknown region '" + options.region + "'" +
                        did_you_mean(options.region, codes) +
                        "; a Land by its ISO 3166-2 code: " + join(codes, ", "));
  }
  std::vector<std::string> known;
  for (const auto& regional : region->regional)
    known.push_back(regional.id);
  for (const auto& id : options.regional) {
    if (std::find(known.begin(), known.end(), id) == known.end()) {
      return Error::usage("--regional: '" + id + "' is not a regional holiday of " + region->code +
                          " (" + region->name + ")" +
                          (known.empty()
                               ? std::string(", which has none")
                               : did_you_mean(id, known) + "; it has " + join(known, ", ")));
    }
  }
  return workflows::HolidayCalendar{region->code, options.regional};
}

Result<int> year_of(const HolidaysOptions& options, const std::optional<engine::Project>& project) {
  if (options.year.empty()) return project->rules.agreement.year;
  int year = 0;
  const auto [end, error] =
      std::from_chars(options.year.data(), options.year.data() + options.year.size(), year);
  if (error != std::errc{} || end != options.year.data() + options.year.size() || year < 1900 ||
      year > 2999) {
    return Error::usage("--year: '" + options.year + "' is not a year from 1900 to 2999");
  }
  return year;
}

int run(const HolidaysOptions& options) {
  // A project is needed only for what the options leave open.
  std::optional<engine::Project> project;
  if (options.region.empty() || options.year.empty()) {
    if (options.region.empty() && !std::filesystem::exists(options.project / "zielwerk.yaml")) {
      return report_error(Error::usage(
          "name the Land with --region CODE (e.g. --region DE-BY --year 2025), or run in a "
          "project directory (or give --project) to use its holiday_region"));
    }
    project = load_project_or_report(options);
    if (!project) return static_cast<int>(kInvalidInput);
  }
  const auto calendar = calendar_of(options, project);
  if (!calendar) return report_error(calendar.error());
  const auto year = year_of(options, project);
  if (!year) return report_error(year.error());
  const auto holidays = workflows::public_holidays(calendar.value(), year.value());
  if (options.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& holiday : holidays)
      list.push_back({{"date", format_date(holiday.date)}, {"name", holiday.name}});
    std::cout << list.dump(2) << '\n';
    return kSuccess;
  }
  std::vector<std::vector<std::string>> rows = {{"DATE", "DAY", "NAME"}};
  for (const auto& holiday : holidays) {
    const std::chrono::weekday day{std::chrono::sys_days{holiday.date}};
    rows.push_back({format_date(holiday.date), kWeekdays[day.c_encoding()], holiday.name});
  }
  write_table(rows, {}, std::cout);
  return kSuccess;
}

}  // namespace

Action register_holidays(Command app) {
  auto options = std::make_shared<HolidaysOptions>();
  Command command =
      app.subcommand("holidays", "List the public holidays of a Land, as meetings avoid them");
  std::string regions;
  for (const auto& region : workflows::holiday_regions()) {
    regions += "\n  " + region.code + "  " + region.name;
    for (const auto& regional : region.regional)
      regions += "\n           --regional " + regional.id + ": " + regional.description;
  }
  command.footer(std::string("The public holidays of one year in a Land (ISO 3166-2 code), "
                             "computed as zielwerk's schedule uses them, with the regional days "
                             "given by --regional. Without --region: the project's "
                             "holiday_region and regional_holidays (zielwerk.yaml); without "
                             "--year: the project's agreement year. --format json writes an "
                             "array of {\"date\", \"name\"}.\n\nLänder:") +
                 regions + "\n\n" + kExitCodesHelp);
  add_project_options(command, *options);
  command.option("--region", options->region, "the Land, e.g. DE-BY").type_name("CODE");
  command
      .option("--regional", options->regional,
              "a regional holiday the region keeps, e.g. mariae-himmelfahrt (repeatable)")
      .type_name("ID")
      .allow_extra_args(false);
  command.option("--year", options->year, "the year, YYYY").type_name("YEAR");
  add_format_option(command, options->format, {"table", "json"});
  return [options] { return run(*options); };
}

}  // namespace zielwerk::cli
