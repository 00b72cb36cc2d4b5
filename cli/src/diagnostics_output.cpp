#include "diagnostics_output.h"

namespace zielwerk::cli {

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& out) {
  for (const auto& diagnostic : diagnostics.items()) {
    out << format_diagnostic(diagnostic) << '\n';
  }
  const std::size_t errors = diagnostics.error_count();
  const std::size_t warnings = diagnostics.warning_count();
  if (errors > 0) {
    out << errors << (errors == 1 ? " error" : " errors");
    if (warnings > 0) out << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
    out << '\n';
  }
}

}  // namespace zielwerk::cli
