#include "command_line.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>

namespace zielwerk::cli {

Option Option::type_name(const std::string& name) {
  option_->type_name(name);
  return *this;
}

Option Option::required() {
  option_->required();
  return *this;
}

Option Option::envname(const std::string& variable) {
  option_->envname(variable);
  return *this;
}

Option Option::one_of(const std::vector<std::string>& choices) {
  option_->check(CLI::IsMember(choices));
  return *this;
}

Option Option::show_default() {
  option_->capture_default_str();
  return *this;
}

Option Option::delimiter(char separator) {
  option_->delimiter(separator);
  return *this;
}

Option Option::allow_extra_args(bool allow) {
  option_->allow_extra_args(allow);
  return *this;
}

bool Option::given() const {
  return option_ != nullptr && option_->count() > 0;
}

Command Command::subcommand(const std::string& name, const std::string& description) {
  return Command(app_->add_subcommand(name, description));
}

void Command::footer(const std::string& text) {
  app_->footer(text);
}

void Command::require_subcommand(int count) {
  app_->require_subcommand(count);
}

void Command::set_help_flag(const std::string& names, const std::string& description) {
  app_->set_help_flag(names, description);
}

void Command::set_version_flag(const std::string& names, const std::string& version) {
  app_->set_version_flag(names, version);
}

bool Command::parsed() const {
  return app_->parsed();
}

template <typename T>
Option Command::option(const std::string& names, T& target, const std::string& description) {
  return Option(app_->add_option(names, target, description));
}

Option Command::flag(const std::string& names, bool& target, const std::string& description) {
  return Option(app_->add_flag(names, target, description));
}

// The target types the commands use; another one is a link error naming it.
template Option Command::option(const std::string&, std::string&, const std::string&);
template Option Command::option(const std::string&, std::vector<std::string>&, const std::string&);
template Option Command::option(const std::string&, std::filesystem::path&, const std::string&);
template Option Command::option(const std::string&, std::optional<std::filesystem::path>&,
                                const std::string&);
template Option Command::option(const std::string&, std::optional<std::string>&,
                                const std::string&);
template Option Command::option(const std::string&, std::vector<std::filesystem::path>&,
                                const std::string&);
template Option Command::option(const std::string&, int&, const std::string&);
template Option Command::option(const std::string&, long&, const std::string&);
template Option Command::option(const std::string&, std::size_t&, const std::string&);

}  // namespace zielwerk::cli
