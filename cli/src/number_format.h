// How the CLI writes numbers for people: thousands separators, the unit, and
// never a rounding that hides the difference between a value and its target.
#pragma once

#include <optional>
#include <string>

#include "zielwerk/rules/model.h"

namespace zielwerk::cli {

// "10,154", "15.2 %", "14,676,528 EUR". Counts and EUR are shown whole,
// percentages with one decimal; when `compare_with` is given and would look
// equal at that precision while it is not, more decimals are shown (up to 4).
std::string format_quantity(double value, rules::Unit unit,
                            std::optional<double> compare_with = std::nullopt);

// A change in percent with its sign: "+3.0 %", "-0.4 %".
std::string format_change_pct(double value);

// Plain decimal for CSV: shortest text that reads back as the same double.
std::string format_plain(double value);

}  // namespace zielwerk::cli
