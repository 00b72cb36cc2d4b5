#include "number_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace zielwerk::cli {
namespace {

// Fixed notation with `decimals` and "," grouping the thousands.
std::string grouped(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string_view text(buffer);
  std::string out;
  // A value that rounds to zero is zero, not "-0".
  if (text.front() == '-' && std::strtod(buffer, nullptr) != 0) out += '-';
  if (text.front() == '-') text.remove_prefix(1);
  const std::size_t point = std::min(text.find('.'), text.size());
  for (std::size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) out += ',';
    out += text[i];
  }
  out.append(text.substr(point));
  return out;
}

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

std::string format_quantity(double value, rules::Unit unit, std::optional<double> compare_with) {
  int decimals = unit == rules::Unit::percent ? 1 : 0;
  if (compare_with && *compare_with != value) {
    while (decimals < 4 && rounded(value, decimals) == rounded(*compare_with, decimals)) {
      ++decimals;
    }
  }
  std::string text = grouped(value, decimals);
  switch (unit) {
    case rules::Unit::percent:
      return text + " %";
    case rules::Unit::eur:
      return text + " EUR";
    case rules::Unit::count:
      return text;
  }
  return text;
}

std::string format_change_pct(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.1f %%", value);
  return buffer;
}

std::string format_plain(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace zielwerk::cli
