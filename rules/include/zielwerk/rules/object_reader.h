// Reads one YAML map as an object of a known shape and reports every problem
// as "file:line:col: error: <path>: <message>", where <path> names the object
// like `goal_groups[0].goals[1] "iq-frauen"`. Used by every zielwerk file
// decoder, so all files share the same rules for types and the same messages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/rules/yaml_document.h"

namespace zielwerk::rules {

// Lower-case id: [a-z0-9][a-z0-9_-]*, at most 64 characters.
bool is_valid_id(std::string_view text);

class ObjectReader {
 public:
  // Reports "expected a map" when `node` is not one, and every key not in
  // `allowed_keys` (with a did-you-mean). `path` names the object in messages.
  ObjectReader(const Node& node, std::string path, std::vector<std::string> allowed_keys,
               Diagnostics& diagnostics);

  // Like the above, but keys in `foreign_keys` are reported as "does not apply
  // to <what>" instead of unknown (e.g. `milestones` on a target goal).
  ObjectReader(const Node& node, std::string path, std::vector<std::string> allowed_keys,
               const std::vector<std::string>& foreign_keys, const std::string& what,
               Diagnostics& diagnostics);

  bool is_map() const { return node_.is_map(); }
  const Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  // Once the object's id is known, messages name it: `goals[3] "iq-frauen"`.
  void name_object(std::string_view id);

  const Node* get(std::string_view key) const;  // nullptr when absent or null
  bool has(std::string_view key) const { return get(key) != nullptr; }
  // The location of the key's value, or of the object when the key is absent.
  SourceLocation location_of(std::string_view key) const;

  // Typed fields: nullopt when absent (reported if `required`) or malformed (reported).
  std::optional<std::string> text(std::string_view key, bool required);
  std::optional<std::string> id(std::string_view key, bool required);
  std::optional<double> number(std::string_view key, bool required);
  std::optional<long> integer(std::string_view key, bool required, long min, long max);
  std::optional<bool> boolean(std::string_view key, bool required);
  std::optional<std::chrono::year_month_day> date(std::string_view key, bool required);
  std::optional<YearMonth> period(std::string_view key, bool required);
  // One of fixed words; reports the allowed words (and a did-you-mean) otherwise.
  std::optional<std::string> choice(std::string_view key, bool required,
                                    const std::vector<std::string>& allowed);
  // A list node (nullptr when absent, reported if required or not a list).
  const Node* list(std::string_view key, bool required);
  // A list of ids (e.g. `participants: [agentur, jobcenter]`), each with its location.
  std::vector<std::pair<std::string, SourceLocation>> id_list(std::string_view key, bool required);

  // Reports an error about `key` (at its value, or at the object when absent).
  void error(std::string_view key, const std::string& message);
  void error_at(const SourceLocation& where, const std::string& message);

  // "<path>.<key>" for naming child objects: child_path("goals", 3) == "<path>.goals[3]".
  std::string child_path(std::string_view key) const;
  std::string child_path(std::string_view key, std::size_t index) const;

 private:
  void check_keys(const std::vector<std::string>& foreign_keys, const std::string& what);
  const Node* required_value(std::string_view key, bool required);
  void type_error(std::string_view key, const Node& value, const std::string& expected);

  const Node& node_;
  std::string path_;
  std::vector<std::string> allowed_keys_;
  Diagnostics& diagnostics_;
};

// Reads a plain YAML number (no quotes, no hex, no inf/nan).
std::optional<double> parse_number(std::string_view text);

}  // namespace zielwerk::rules
