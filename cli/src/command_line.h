// The command line as the command files see it: subcommands, options and flags
// declared through a thin facade over CLI11.
//
// Why a facade: CLI11 (the Debian package is header-only) compiles about 8 s
// of inline code into every file that includes it, and the build compiles
// every file twice in CI (normal and sanitizer build). Only command_line.cpp
// and main.cpp include CLI11; the command files include this header. The
// facade adds no behaviour: each call is the CLI11 call of the same name, so
// --help, parsing and error messages are CLI11's own.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace zielwerk::cli {

// One option of a command; the setters return the option for chaining. A
// default-constructed Option names no option: only given() may be asked.
class Option {
 public:
  Option() = default;
  explicit Option(CLI::Option* option) : option_(option) {}

  Option type_name(const std::string& name);    // shown in --help: --from DATE
  Option required();                            // parsing fails without it
  Option envname(const std::string& variable);  // taken from the environment if not given
  Option one_of(const std::vector<std::string>& choices);  // any other value is a usage error
  Option show_default();                                   // --help shows the value it starts with
  Option delimiter(char separator);                        // "a,b" gives two values
  Option allow_extra_args(bool allow);                     // whether values may follow the first
  // Whether the option was on the command line (after parsing).
  bool given() const;

 private:
  CLI::Option* option_ = nullptr;
};

// A command or subcommand. Cheap to copy: it names a command owned by the
// parser in main.cpp, which outlives every Command.
class Command {
 public:
  explicit Command(CLI::App* app) : app_(app) {}

  Command subcommand(const std::string& name, const std::string& description);
  void footer(const std::string& text);  // printed after the options in --help
  void require_subcommand(int count);
  void set_help_flag(const std::string& names, const std::string& description);
  void set_version_flag(const std::string& names, const std::string& version);
  // Whether this command was chosen on the command line (after parsing).
  bool parsed() const;

  // An option storing its value in `target`, which must outlive parsing.
  // Defined for the target types the commands use (command_line.cpp).
  template <typename T>
  Option option(const std::string& names, T& target, const std::string& description);
  Option flag(const std::string& names, bool& target, const std::string& description);

 private:
  CLI::App* app_;
};

}  // namespace zielwerk::cli
