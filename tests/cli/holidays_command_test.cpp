// `zielwerk holidays`: the calendar of every Land as the command prints it,
// against the outside table the holiday tests use, and its usage errors.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli_support.h"

namespace zielwerk::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// "DE-BY+mariae-himmelfahrt" -> the command's options.
std::string options_of(const std::string& calendar) {
  std::string args;
  std::istringstream parts(calendar);
  std::string region;
  std::getline(parts, region, '+');
  args = "--region " + region;
  for (std::string option; std::getline(parts, option, '+');)
    args += " --regional " + option;
  return args;
}

TEST(HolidaysCommand, PrintsEveryLandAsTheReferenceHasIt) {
  std::ifstream in(source_dir() / "tests/workflows/holidays_reference.txt");
  std::map<std::string, std::set<std::string>> expected;  // "calendar year" -> dates
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string date = line.substr(space + 1);
    const std::string year = date.substr(0, 4);
    if (year == "2017" || year == "2028") expected[line.substr(0, space) + " " + year].insert(date);
  }
  ASSERT_EQ(expected.size(), 40u);
  for (const auto& [key, dates] : expected) {
    const auto space = key.find(' ');
    const CliRun run = zielwerk("holidays " + options_of(key.substr(0, space)) + " --year " +
                                key.substr(space + 1) + " --format json");
    ASSERT_EQ(run.exit_code, 0) << key << "\n" << run.err;
    std::set<std::string> printed;
    for (const auto& holiday : nlohmann::json::parse(run.out)) {
      printed.insert(holiday["date"].get<std::string>());
      EXPECT_FALSE(holiday["name"].get<std::string>().empty()) << key;
    }
    EXPECT_EQ(printed, dates) << key;
  }
}

TEST(HolidaysCommand, TheTableNamesTheWeekdayAndTheProjectGivesTheDefaults) {
  const CliRun run = zielwerk("holidays --project " + kExample);  // DE-NW, 2025
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.out, "2025-06-19  Do   Fronleichnam")) << run.out;
  EXPECT_TRUE(has(run.out, "2025-11-01  Sa   Allerheiligen")) << run.out;
  EXPECT_FALSE(has(run.out, "Mariä Himmelfahrt"));
}

TEST(HolidaysCommand, AnUnknownRegionOrRegionalDayIsAUsageError) {
  CliRun run = zielwerk("holidays --region DE-XY --year 2025");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, "unknown region 'DE-XY' (did you mean 'DE-BY'?)")) << run.err;
  EXPECT_TRUE(has(run.err, "DE-BW, DE-BY, DE-BE")) << run.err;
  run = zielwerk("holidays --region DE-NW --regional fronleichnam --year 2025");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(
      has(run.err, "is not a regional holiday of DE-NW (Nordrhein-Westfalen), which has none"))
      << run.err;
  run = zielwerk("holidays --region DE-BY --year 25");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, "--year: '25' is not a year from 1900 to 2999")) << run.err;
  TempDir empty;
  run = zielwerk("holidays --project " + empty.path().string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, "name the Land with --region CODE")) << run.err;
}

}  // namespace
}  // namespace zielwerk::testing
