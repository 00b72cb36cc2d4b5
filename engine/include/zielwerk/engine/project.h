// A project loaded as a whole: zielwerk.yaml, the rule set, the workflows and
// the rule-test files, validated together. `check` is exactly this load.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/project_config.h"
#include "zielwerk/rules/rule_loader.h"
#include "zielwerk/rules/rule_testing.h"
#include "zielwerk/workflows/schedule.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::engine {

struct Project {
  rules::ProjectConfig config;
  rules::RuleSet rules;
  std::vector<workflows::Workflow> workflows;
  std::vector<rules::RuleTestFile> tests;
};

// Loads and validates every file of the project in `directory`. Each problem of
// each file goes into `diagnostics` (sorted by file, line, column); a Project is
// returned only when there is no error. Files that depend on the rule set
// (workflows, tests, actors' parties) are validated only when the rule set is.
std::optional<Project> load_project(const std::filesystem::path& directory,
                                    Diagnostics& diagnostics);

// The calendar meetings follow: the project's time zone, holiday region and
// the regional days it keeps.
workflows::CalendarSettings calendar_of(const Project& project);

// One line for `check`: what was loaded and the rule-set version, e.g.
// "me-aktiv-2025: 12 goals, 23 metrics, 2 workflows, 1 test file in 6 files: valid (rule set
// 3f2a9c1d04b7)".
std::string summarize(const Project& project);

}  // namespace zielwerk::engine
