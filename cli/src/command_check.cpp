// zielwerk check: loads and validates every file of the project.
#include <iostream>
#include <memory>

#include "commands.h"
#include "diagnostics_output.h"
#include "zielwerk/engine/project.h"

namespace zielwerk::cli {

Action register_check(Command app) {
  auto options = std::make_shared<ProjectOptions>();
  Command command =
      app.subcommand("check", "Validate all rule, workflow and rule-test files of the project");
  command.footer(std::string("Load and validate all rule, workflow and rule-test files of the "
                             "project. Prints every error "
                             "as file:line:col (exit 3), or a one-line summary (exit 0).") +
                 "\n\n" + kExitCodesHelp);
  add_project_options(command, *options);
  return [options] {
    Diagnostics diagnostics;
    const auto project = engine::load_project(options->project, diagnostics);
    print_diagnostics(diagnostics, std::cerr);
    if (!project) return static_cast<int>(kInvalidInput);
    std::cout << engine::summarize(*project) << '\n';
    return static_cast<int>(kSuccess);
  };
}

}  // namespace zielwerk::cli
