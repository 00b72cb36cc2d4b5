// CSV fields as spreadsheets read them (RFC 4180): quoted when they hold a
// separator, a quote or a line break, with quotes doubled.
#pragma once

#include <string>

namespace zielwerk::cli {

inline std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace zielwerk::cli
