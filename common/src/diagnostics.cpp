#include "zielwerk/common/diagnostics.h"

#include <algorithm>
#include <tuple>

#include "zielwerk/common/utf8.h"

namespace zielwerk {

std::string format_diagnostic(const Diagnostic& diagnostic) {
  const auto& where = diagnostic.location;
  // Messages quote input (a CSV field, a file name): whatever slipped
  // through unquoted must not reach a terminal or a log as a control.
  std::string out = escape_controls(where.file);
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += diagnostic.severity == Severity::error ? ": error: " : ": warning: ";
  out += escape_controls(diagnostic.message);
  return out;
}

void Diagnostics::error(SourceLocation where, std::string message) {
  items_.push_back({Severity::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(SourceLocation where, std::string message) {
  items_.push_back({Severity::warning, std::move(where), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
  return items_.size() - error_count();
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.location.file, a.location.line, a.location.column) <
           std::tie(b.location.file, b.location.line, b.location.column);
  });
}

}  // namespace zielwerk
