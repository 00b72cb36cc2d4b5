// Diagnostics about input files: where (file:line:col) and what. Loaders collect
// every diagnostic of a pass instead of stopping at the first, so users fix all
// problems in one round.
#pragma once

#include <string>
#include <vector>

namespace zielwerk {

// A position in an input file; line and column are 1-based. line == 0 means
// "the file as a whole" (e.g. it cannot be read), column == 0 "the whole line".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation location;
  std::string message;
};

// Renders "file:line:col: error: message" ("file:line: error: ..." without a
// column, "file: error: message" without a line).
std::string format_diagnostic(const Diagnostic& diagnostic);

class Diagnostics {
 public:
  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  void append(const Diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }

  // Orders by file, line, column so output reads top to bottom; stable for equal positions.
  void sort();

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace zielwerk
