#include "zielwerk/engine/project.h"

#include <algorithm>

#include "zielwerk/common/text.h"
#include "zielwerk/workflows/holidays.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::engine {
namespace {

std::string plural(std::size_t count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

// Settings in zielwerk.yaml that refer to the rule set or the machine.
void check_config_against(const rules::ProjectConfig& config, const rules::RuleSet& rules,
                          Diagnostics& diagnostics) {
  std::vector<std::string> parties;
  for (const auto& party : rules.agreement.parties)
    parties.push_back(party.id);
  for (std::size_t i = 0; i < config.actors.size(); ++i) {
    const auto& actor = config.actors[i];
    if (!actor.party.empty() && rules.agreement.find_party(actor.party) == nullptr) {
      diagnostics.error(actor.party_location, "actors[" + std::to_string(i) + "] \"" + actor.id +
                                                  "\".party: unknown party '" + actor.party + "'" +
                                                  did_you_mean(actor.party, parties));
    }
  }
}

// The holiday region is a Land the calendar knows, and every regional day is
// one that Land has.
void check_holidays(const rules::ProjectConfig& config, Diagnostics& found) {
  std::vector<std::string> codes;
  for (const auto& region : workflows::holiday_regions())
    codes.push_back(region.code);
  const workflows::HolidayRegion* region = workflows::find_holiday_region(config.holiday_region);
  if (region == nullptr) {
    found.error(config.holiday_region_location,
                "holiday_region: unknown region '" + config.holiday_region + "'" +
                    did_you_mean(config.holiday_region, codes) +
                    "; a Land by its ISO 3166-2 code: " + join(codes, ", "));
    return;
  }
  std::vector<std::string> known;
  for (const auto& regional : region->regional)
    known.push_back(regional.id);
  for (const auto& [id, location] : config.regional_holidays) {
    if (std::find(known.begin(), known.end(), id) != known.end()) continue;
    found.error(location,
                "regional_holidays: '" + id + "' is not a regional holiday of " + region->code +
                    " (" + region->name + ")" +
                    (known.empty() ? std::string(", which has none")
                                   : did_you_mean(id, known) + "; it has " + join(known, ", ")));
  }
}

}  // namespace

workflows::CalendarSettings calendar_of(const Project& project) {
  workflows::CalendarSettings calendar;
  calendar.time_zone = project.config.time_zone;
  calendar.holidays.region = project.config.holiday_region;
  for (const auto& [id, location] : project.config.regional_holidays)
    calendar.holidays.regional.push_back(id);
  return calendar;
}

std::optional<Project> load_project(const std::filesystem::path& directory,
                                    Diagnostics& diagnostics) {
  Diagnostics found;
  auto config = rules::load_project_config(directory, found);
  if (!config) {
    diagnostics.append(found);
    return std::nullopt;
  }
  if (!workflows::is_known_time_zone(config->time_zone)) {
    found.error(config->time_zone_location, "time_zone: unknown time zone '" + config->time_zone +
                                                "' (an IANA name such as Europe/Berlin)");
  }
  check_holidays(*config, found);
  std::optional<Project> project;
  // Without a readable rule file (already reported) there is nothing to validate against.
  std::optional<rules::RuleSet> rule_set;
  if (!config->rule_files.empty()) rule_set = rules::load_rule_set(config->rule_files, found);
  if (rule_set) {
    check_config_against(*config, *rule_set, found);
    auto workflows = workflows::load_workflows(config->workflow_files, *rule_set, found);
    std::vector<rules::RuleTestFile> tests;
    for (const auto& file : config->test_files) {
      if (auto test_file = rules::load_rule_test_file(file, *rule_set, found)) {
        tests.push_back(std::move(*test_file));
      }
    }
    if (workflows && !found.has_errors()) {
      project = Project{std::move(*config), std::move(*rule_set), std::move(*workflows),
                        std::move(tests)};
    }
  }
  found.sort();
  diagnostics.append(found);
  if (found.has_errors()) return std::nullopt;
  return project;
}

std::string summarize(const Project& project) {
  const std::size_t files = 1 + project.config.rule_files.size() +
                            project.config.workflow_files.size() + project.config.test_files.size();
  return project.rules.agreement.id + ": " + plural(project.rules.goals.size(), "goal", "goals") +
         ", " + plural(project.rules.metrics.size(), "metric", "metrics") + ", " +
         plural(project.workflows.size(), "workflow", "workflows") + ", " +
         plural(project.tests.size(), "test file", "test files") + " in " +
         plural(files, "file", "files") + ": valid (rule set " +
         project.rules.version.substr(0, 12) + ")";
}

}  // namespace zielwerk::engine
