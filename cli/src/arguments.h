// The command line as it comes in, before CLI11 parses it: every argument must
// be UTF-8 text, and the options every command takes may also stand before
// the command's name (`zielwerk --project X import FILE`), as people write
// them from habit. Pure functions, no CLI11: the fuzz target for command-line
// text (fuzz/fuzz_cli_text.cpp) runs them on arbitrary arguments.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zielwerk::cli {

// The options that may stand before the command's name; each takes a value
// (`--project DIR` or `--project=DIR`).
const std::vector<std::string>& global_option_names();

// The commands by name, each with the global options it takes and its own
// subcommands (`audit` -> `query`, ...).
struct CommandTree {
  std::set<std::string, std::less<>> global_options;
  std::map<std::string, CommandTree, std::less<>> subcommands;
};

// nullopt when every argument is UTF-8 text. Otherwise the message for the
// first one that is not, naming the option it is the value of when the
// argument before it (or its own `--name=` part) is an option:
// "--title: 'Ma\xdfnahme' is not UTF-8 text (byte 0xDF at position 3: ...)".
std::optional<std::string> non_utf8_argument(const std::vector<std::string>& arguments);

// The arguments (without the program name) with the global options that
// stand before the command moved to just after its full name (`audit query`),
// where each command declares them; everything else in its order. nullopt
// and `problem` set when a moved option is one the command does not take
// ("`zielwerk check` takes no --db") or lacks its value.
std::optional<std::vector<std::string>> hoist_global_options(std::vector<std::string> arguments,
                                                             const CommandTree& commands,
                                                             std::string& problem);

}  // namespace zielwerk::cli
