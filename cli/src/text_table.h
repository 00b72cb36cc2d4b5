// Aligned plain-text tables and padding for the CLI's `table` output. Widths
// count characters (UTF-8 code points), so umlauts do not break the alignment.
#pragma once

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace zielwerk::cli {

std::size_t display_width(const std::string& text);

// `text` followed by spaces up to `width` characters.
std::string pad(const std::string& text, std::size_t width);

// Writes `rows` (the first is the header) in columns two spaces apart; the
// columns in `right_aligned` are aligned to the right (numbers), the last
// column is not padded, and no line ends in spaces. Control characters and
// bytes that are not UTF-8 in a cell are written escaped (escape_controls).
void write_table(const std::vector<std::vector<std::string>>& rows,
                 const std::set<std::size_t>& right_aligned, std::ostream& out);

}  // namespace zielwerk::cli
