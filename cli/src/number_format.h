// How the CLI writes numbers. For people it uses the one set of number
// formats (locale/format.h) in English: "10,154", "15.2 %", "14,676,528 EUR",
// never rounded into looking equal to the target the rules judge different.
// For machines (CSV, --explain) it writes plain decimals.
#pragma once

#include <optional>
#include <string>

#include "zielwerk/locale/format.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::cli {

// locale::format_quantity in English.
inline std::string format_quantity(double value, rules::Unit unit,
                                   std::optional<double> compare_with = std::nullopt) {
  return locale::format_quantity(value, unit, locale::Language::en, compare_with);
}

// locale::format_change_pct in English: "+3.0 %", "-0.4 %", "±0.0 %".
inline std::string format_change_pct(double value) {
  return locale::format_change_pct(value, locale::Language::en);
}

// Plain decimal for CSV: shortest text that reads back as the same double.
std::string format_plain(double value);

}  // namespace zielwerk::cli
