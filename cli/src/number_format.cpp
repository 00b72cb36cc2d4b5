#include "number_format.h"

#include <charconv>

namespace zielwerk::cli {

std::string format_plain(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace zielwerk::cli
