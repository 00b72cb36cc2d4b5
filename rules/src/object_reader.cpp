#include "zielwerk/rules/object_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"

namespace zielwerk::rules {

bool is_valid_id(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return false;
  }
  const auto lower_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (!lower_or_digit(text.front())) {
    return false;
  }
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return lower_or_digit(c) || c == '-' || c == '_'; });
}

std::optional<double> parse_number(std::string_view text) {
  // YAML 1.2 core schema decimal numbers only: digits, one '.', sign, exponent.
  if (text.empty() || text.find_first_not_of("+-.0123456789eE") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || errno == ERANGE || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

ObjectReader::ObjectReader(const Node& node, std::string path,
                           std::vector<std::string> allowed_keys, Diagnostics& diagnostics)
    : ObjectReader(node, std::move(path), std::move(allowed_keys), {}, "", diagnostics) {}

ObjectReader::ObjectReader(const Node& node, std::string path,
                           std::vector<std::string> allowed_keys,
                           const std::vector<std::string>& foreign_keys, const std::string& what,
                           Diagnostics& diagnostics)
    : node_(node),
      path_(std::move(path)),
      allowed_keys_(std::move(allowed_keys)),
      diagnostics_(diagnostics) {
  if (!node_.is_map()) {
    if (path_.empty()) {
      // The file itself is no zielwerk file: say so without quoting it, since
      // a path that was mistyped or points at a secret (a token file, a key)
      // must not show its content in the message or the daemon's log.
      diagnostics_.error(node_.location(),
                         node_.is_scalar()
                             ? std::string("expected a map, got text (not shown); is this the "
                                           "right file?")
                             : "expected a map, got " + node_.describe());
      return;
    }
    diagnostics_.error(node_.location(), path_ + ": expected a map, got " + node_.describe());
    return;
  }
  check_keys(foreign_keys, what);
}

void ObjectReader::check_keys(const std::vector<std::string>& foreign_keys,
                              const std::string& what) {
  const std::string prefix = path_.empty() ? "" : path_ + ": ";
  for (const auto& entry : node_.entries()) {
    if (std::find(allowed_keys_.begin(), allowed_keys_.end(), entry.key) != allowed_keys_.end()) {
      continue;
    }
    if (std::find(foreign_keys.begin(), foreign_keys.end(), entry.key) != foreign_keys.end()) {
      diagnostics_.error(entry.key_location,
                         prefix + "key " + quote(entry.key) + " does not apply to " + what);
      continue;
    }
    diagnostics_.error(entry.key_location, prefix + "unknown key " + quote(entry.key) +
                                               did_you_mean(entry.key, allowed_keys_));
  }
}

void ObjectReader::name_object(std::string_view id) {
  path_ += " \"";
  path_ += id;
  path_ += '"';
}

const Node* ObjectReader::get(std::string_view key) const {
  if (!node_.is_map()) {
    return nullptr;
  }
  const MapEntry* entry = node_.find(key);
  if (entry == nullptr || entry->value->is_null()) {
    return nullptr;
  }
  return entry->value;
}

SourceLocation ObjectReader::location_of(std::string_view key) const {
  if (node_.is_map()) {
    if (const MapEntry* entry = node_.find(key)) {
      return entry->value->is_null() ? entry->key_location : entry->value->location();
    }
  }
  return node_.location();
}

void ObjectReader::error(std::string_view key, const std::string& message) {
  std::string where = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  diagnostics_.error(location_of(key), where + ": " + message);
}

void ObjectReader::error_at(const SourceLocation& where, const std::string& message) {
  diagnostics_.error(where, (path_.empty() ? "" : path_ + ": ") + message);
}

std::string ObjectReader::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string ObjectReader::child_path(std::string_view key, std::size_t index) const {
  return child_path(key) + "[" + std::to_string(index) + "]";
}

const Node* ObjectReader::required_value(std::string_view key, bool required) {
  if (!node_.is_map()) {
    return nullptr;
  }
  const Node* value = get(key);
  if (value == nullptr && required) {
    const MapEntry* entry = node_.find(key);
    if (entry != nullptr) {
      error(key, "a value is required");
    } else {
      error_at(node_.location(), "missing required key '" + std::string(key) + "'");
    }
  }
  return value;
}

void ObjectReader::type_error(std::string_view key, const Node& value,
                              const std::string& expected) {
  std::string message = "expected " + expected + ", got " + value.describe();
  if (value.is_scalar() && !value.is_plain() && expected == "a number" &&
      parse_number(value.text())) {
    message += " (a quoted number is text: remove the quotes)";
  }
  error(key, message);
}

std::optional<std::string> ObjectReader::text(std::string_view key, bool required) {
  const Node* value = required_value(key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_scalar()) {
    type_error(key, *value, "text");
    return std::nullopt;
  }
  if (value->text().empty() && required) {
    error(key, "must not be empty");
    return std::nullopt;
  }
  return value->text();
}

std::optional<std::string> ObjectReader::id(std::string_view key, bool required) {
  auto value = text(key, required);
  if (value && !is_valid_id(*value)) {
    error(key, "'" + *value +
                   "' is not a valid id (lower-case letters, digits, '-' and '_', starting with a "
                   "letter or digit, at most 64 characters)");
    return std::nullopt;
  }
  return value;
}

std::optional<double> ObjectReader::number(std::string_view key, bool required) {
  const Node* value = required_value(key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto parsed =
      value->is_scalar() && value->is_plain() ? parse_number(value->text()) : std::nullopt;
  if (!parsed) {
    type_error(key, *value, "a number");
  }
  return parsed;
}

std::optional<long> ObjectReader::integer(std::string_view key, bool required, long min, long max) {
  const Node* value = get(key);
  const auto parsed = number(key, required);
  if (!parsed || value == nullptr) {
    return std::nullopt;
  }
  if (std::floor(*parsed) != *parsed || *parsed < static_cast<double>(min) ||
      *parsed > static_cast<double>(max)) {
    error(key, "expected a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max) + ", got " + value->text());
    return std::nullopt;
  }
  return static_cast<long>(*parsed);
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) {
  const Node* value = required_value(key, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->is_scalar() && value->is_plain()) {
    if (value->text() == "true") {
      return true;
    }
    if (value->text() == "false") {
      return false;
    }
  }
  type_error(key, *value, "true or false");
  return std::nullopt;
}

std::optional<std::chrono::year_month_day> ObjectReader::date(std::string_view key, bool required) {
  const auto value = text(key, required);
  if (!value) {
    return std::nullopt;
  }
  const auto parsed = parse_date(*value);
  if (!parsed) {
    error(key, "expected a date YYYY-MM-DD that exists in the calendar, got " + quote(*value));
  }
  return parsed;
}

std::optional<YearMonth> ObjectReader::period(std::string_view key, bool required) {
  const auto value = text(key, required);
  if (!value) {
    return std::nullopt;
  }
  const auto parsed = YearMonth::parse(*value);
  if (!parsed) {
    error(key, "expected a month YYYY-MM, got " + quote(*value));
  }
  return parsed;
}

std::optional<std::string> ObjectReader::choice(std::string_view key, bool required,
                                                const std::vector<std::string>& allowed) {
  const auto value = text(key, required);
  if (!value) {
    return std::nullopt;
  }
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    error(key,
          quote(*value) + " is not one of " + join(allowed, ", ") + did_you_mean(*value, allowed));
    return std::nullopt;
  }
  return value;
}

const Node* ObjectReader::list(std::string_view key, bool required) {
  const Node* value = required_value(key, required);
  if (value != nullptr && !value->is_sequence()) {
    type_error(key, *value, "a list");
    return nullptr;
  }
  return value;
}

std::vector<std::pair<std::string, SourceLocation>> ObjectReader::id_list(std::string_view key,
                                                                          bool required) {
  std::vector<std::pair<std::string, SourceLocation>> ids;
  const Node* items = list(key, required);
  if (items == nullptr) {
    return ids;
  }
  if (items->items().empty() && required) {
    error(key, "the list must not be empty");
  }
  for (const Node* item : items->items()) {
    if (!item->is_scalar() || !is_valid_id(item->text())) {
      diagnostics_.error(item->location(),
                         child_path(key) + ": expected an id, got " + item->describe());
      continue;
    }
    ids.emplace_back(item->text(), item->location());
  }
  return ids;
}

}  // namespace zielwerk::rules
