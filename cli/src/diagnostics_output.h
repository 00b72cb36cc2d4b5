// How the CLI prints diagnostics: one per line on stderr, then a count.
#pragma once

#include <ostream>

#include "zielwerk/common/diagnostics.h"

namespace zielwerk::cli {

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& out);

}  // namespace zielwerk::cli
