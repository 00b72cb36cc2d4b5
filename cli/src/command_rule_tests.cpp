// zielwerk test [FILE...]: runs rule tests against the project's rule set.
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "diagnostics_output.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/rules/rule_testing.h"

namespace zielwerk::cli {
namespace {

struct TestOptions : ProjectOptions {
  std::vector<std::string> files;
};

}  // namespace

Action register_test(Command app) {
  auto options = std::make_shared<TestOptions>();
  Command command =
      app.subcommand("test", "Run rule tests (expected goal statuses for given series)");
  command.footer(
      std::string(
          "Run rule tests: evaluate the goals on the series a test file gives and compare with the "
          "statuses it expects. Exit 0 when all pass, 1 when one fails, 3 when a file is "
          "invalid.") +
      "\n\n" + kExitCodesHelp);
  add_project_options(command, *options);
  command.option("FILE", options->files,
                 "rule-test files (default: the `tests` listed in zielwerk.yaml)");
  return [options] {
    Diagnostics diagnostics;
    auto project = engine::load_project(options->project, diagnostics);
    if (!project) {
      print_diagnostics(diagnostics, std::cerr);
      return static_cast<int>(kInvalidInput);
    }
    std::vector<rules::RuleTestFile> files;
    if (options->files.empty()) {
      files = std::move(project->tests);
      if (files.empty()) {
        std::cerr << "zielwerk: no rule-test files given and none listed under `tests` in "
                  << project->config.file_display_name << '\n';
        return static_cast<int>(kUsage);
      }
    } else {
      for (const auto& name : options->files) {
        const rules::FileReference reference{name, name, {}, {}};
        if (auto file = rules::load_rule_test_file(reference, project->rules, diagnostics)) {
          files.push_back(std::move(*file));
        }
      }
    }
    print_diagnostics(diagnostics, std::cerr);
    if (diagnostics.has_errors()) return static_cast<int>(kInvalidInput);

    std::size_t passed = 0;
    std::size_t failed = 0;
    for (const auto& file : files) {
      for (const auto& outcome : rules::run_rule_tests(file, project->rules)) {
        const auto& test_case = *outcome.test_case;
        if (outcome.passed()) {
          ++passed;
          std::cout << "PASS  " << file.display_name << ": " << test_case.name << '\n';
          continue;
        }
        ++failed;
        std::cout << "FAIL  " << file.display_name << ": " << test_case.name << '\n';
        for (const auto& failure : outcome.failures)
          std::cout << "      " << failure << '\n';
      }
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return static_cast<int>(failed == 0 ? kSuccess : kCheckFailed);
  };
}

}  // namespace zielwerk::cli
