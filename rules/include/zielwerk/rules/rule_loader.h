// Loads the rule files of a project into one validated RuleSet.
//
// Every problem of every file is reported in one pass (syntax, unknown keys,
// types, references across files, cycles, plausibility); a RuleSet is returned
// only when there is no error. Warnings (e.g. an unused metric) do not block.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/model.h"
#include "zielwerk/rules/yaml_document.h"

namespace zielwerk::rules {

struct FileReference {
  std::filesystem::path path;    // where to read it
  std::string display_name;      // how diagnostics name it
  SourceLocation referenced_at;  // the entry in zielwerk.yaml naming it
  // The path as zielwerk.yaml names it, relative to the project directory: the
  // rule-set version hashes this name, so it does not depend on where zielwerk runs.
  std::string name_in_project;
};

std::optional<RuleSet> load_rule_set(const std::vector<FileReference>& files,
                                     Diagnostics& diagnostics, const YamlLimits& limits = {});

// The same from texts already in memory (display name -> content), for tests.
std::optional<RuleSet> load_rule_set_from_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, Diagnostics& diagnostics,
    const YamlLimits& limits = {});

// The keys each rule-file object accepts, by the names of the JSON Schema's
// $defs (ruleFile, agreement, party, ...), so a test keeps schema and code in step.
std::map<std::string, std::vector<std::string>> rule_file_keys();

}  // namespace zielwerk::rules
