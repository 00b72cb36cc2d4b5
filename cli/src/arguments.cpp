#include "arguments.h"

#include <algorithm>

#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {
namespace {

bool is_global_option(std::string_view name) {
  const auto& names = global_option_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "--title=x" -> "--title"; "--title" -> "--title"; anything else -> "".
std::string_view option_name(std::string_view argument) {
  if (argument.size() < 3 || argument.substr(0, 2) != "--") return {};
  return argument.substr(0, argument.find('='));
}

}  // namespace

const std::vector<std::string>& global_option_names() {
  static const std::vector<std::string> names = {"--project", "--db", "--actor"};
  return names;
}

std::optional<std::string> non_utf8_argument(const std::vector<std::string>& arguments) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (is_valid_utf8(argument)) continue;
    std::string_view value = argument;
    std::string name;
    if (const auto equals = argument.find('=');
        argument.rfind("--", 0) == 0 && equals != std::string::npos &&
        is_valid_utf8(std::string_view(argument).substr(0, equals))) {
      name = argument.substr(0, equals);
      value = std::string_view(argument).substr(equals + 1);
    } else if (i > 0 && arguments[i - 1].rfind('-', 0) == 0 &&
               arguments[i - 1].find('=') == std::string::npos && is_valid_utf8(arguments[i - 1])) {
      name = arguments[i - 1];
    }
    // The option's name is the user's text too: it may hold control characters.
    const std::string what =
        name.empty() ? "argument " + std::to_string(i + 1) : escape_controls(name);
    return what + ": " + utf8_problem(value);
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> hoist_global_options(std::vector<std::string> arguments,
                                                             const CommandTree& commands,
                                                             std::string& problem) {
  std::vector<std::string> hoisted;
  std::size_t i = 0;
  while (i < arguments.size()) {
    const std::string& argument = arguments[i];
    const std::string_view name = option_name(argument);
    if (name.empty() || !is_global_option(name)) break;
    hoisted.push_back(argument);
    if (name.size() == argument.size()) {  // the value is the next argument
      if (i + 1 >= arguments.size()) {
        problem = std::string(name) + " needs a value";
        return std::nullopt;
      }
      hoisted.push_back(arguments[i + 1]);
      ++i;
    }
    ++i;
  }
  if (hoisted.empty()) return arguments;
  // The command's full name: as many arguments as name nested commands.
  const CommandTree* command = &commands;
  std::string command_name;
  std::size_t end = i;
  while (end < arguments.size()) {
    const auto found = command->subcommands.find(arguments[end]);
    if (found == command->subcommands.end()) break;
    command = &found->second;
    command_name += (command_name.empty() ? "" : " ") + arguments[end];
    ++end;
  }
  if (command_name.empty()) return arguments;  // no command: CLI11 says what is missing
  for (std::size_t k = 0; k < hoisted.size(); ++k) {
    const std::string_view name = option_name(hoisted[k]);
    if (name.empty()) continue;  // a value
    if (command->global_options.find(name) == command->global_options.end()) {
      problem = "`zielwerk " + command_name + "` takes no " + std::string(name);
      return std::nullopt;
    }
  }
  std::vector<std::string> out(arguments.begin() + static_cast<std::ptrdiff_t>(i),
                               arguments.begin() + static_cast<std::ptrdiff_t>(end));
  out.insert(out.end(), hoisted.begin(), hoisted.end());
  out.insert(out.end(), arguments.begin() + static_cast<std::ptrdiff_t>(end), arguments.end());
  return out;
}

}  // namespace zielwerk::cli
