#include "text_table.h"

#include <algorithm>

#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {

std::size_t display_width(const std::string& text) {
  std::size_t length = 0;
  for (const char c : text)
    length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t length = display_width(text);
  return length >= width ? text : text + std::string(width - length, ' ');
}

void write_table(const std::vector<std::vector<std::string>>& raw_rows,
                 const std::set<std::size_t>& right_aligned, std::ostream& out) {
  // Cells hold stored text (titles, notes, sources): shown, never obeyed by
  // the terminal.
  std::vector<std::vector<std::string>> rows;
  rows.reserve(raw_rows.size());
  for (const auto& raw : raw_rows) {
    auto& row = rows.emplace_back();
    row.reserve(raw.size());
    for (const auto& cell : raw)
      row.push_back(escape_controls(cell));
  }
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool last = i + 1 == row.size();
      if (right_aligned.count(i) != 0) {
        line += std::string(widths[i] - display_width(row[i]), ' ') + row[i];
      } else {
        line += last ? row[i] : pad(row[i], widths[i]);
      }
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out << line << '\n';
  }
}

}  // namespace zielwerk::cli
