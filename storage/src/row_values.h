// Reading and binding the optional and typed values of the storage tables.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "statement.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"

namespace zielwerk::storage {

inline void bind_text_or_null(Statement& statement, int index, const std::string& text) {
  if (text.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, text);
  }
}

inline std::string text_or_empty(const Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

inline std::optional<Timestamp> timestamp_or_none(const Column& column) {
  if (column.isNull()) return std::nullopt;
  return parse_timestamp(column.getString());
}

inline Timestamp timestamp_of(const Column& column) {
  return timestamp_or_none(column).value_or(Timestamp{});
}

inline std::optional<std::chrono::year_month_day> date_or_none(const Column& column) {
  if (column.isNull()) return std::nullopt;
  return parse_date(column.getString());
}

inline std::string optional_timestamp_text(const std::optional<Timestamp>& time) {
  return time ? format_timestamp(*time) : std::string();
}

inline std::string optional_date_text(const std::optional<std::chrono::year_month_day>& date) {
  return date ? format_date(*date) : std::string();
}

}  // namespace zielwerk::storage
