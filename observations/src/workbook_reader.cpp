// The only file that uses liborcus: its import interfaces receive the cells
// directly, without building orcus' own document model (no formula engine,
// no styles). Exceptions of the library end here as diagnostics.
#include "zielwerk/observations/workbook_reader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <orcus/exception.hpp>
#include <orcus/orcus_ods.hpp>
#include <orcus/orcus_xlsx.hpp>
#include <orcus/spreadsheet/import_interface.hpp>
#include <stdexcept>
#include <unordered_map>

#include "zielwerk/common/sha256.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"

namespace zielwerk::observations {
namespace {

namespace ss = orcus::spreadsheet;

struct Cell {
  CellKind kind = CellKind::text;
  std::string text;
  double number = 0;
};

struct Sheet {
  std::string name;
  std::map<int, std::map<int, Cell>> rows;  // row -> column -> cell, both 0-based
};

// More cells than the limit: stops the library's parse.
struct TooManyCells : std::runtime_error {
  TooManyCells() : std::runtime_error("too many cells") {}
};

std::string number_text(double value) {
  char text[32];
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.15g", value);
  }
  return text;
}

class Workbook;

class SharedStrings final : public ss::iface::import_shared_strings {
 public:
  std::size_t append(std::string_view s) override {
    strings_.emplace_back(s);
    return strings_.size() - 1;
  }
  std::size_t add(std::string_view s) override {
    const auto it = index_.find(std::string(s));
    if (it != index_.end()) return it->second;
    const std::size_t id = append(s);
    index_.emplace(std::string(s), id);
    return id;
  }
  void set_segment_font(std::size_t /*font_index*/) override {}
  void set_segment_bold(bool /*b*/) override {}
  void set_segment_italic(bool /*b*/) override {}
  void set_segment_font_name(std::string_view /*s*/) override {}
  void set_segment_font_size(double /*point*/) override {}
  void set_segment_font_color(ss::color_elem_t /*alpha*/, ss::color_elem_t /*red*/,
                              ss::color_elem_t /*green*/, ss::color_elem_t /*blue*/) override {}
  void append_segment(std::string_view s) override { segments_.append(s); }
  std::size_t commit_segments() override {
    const std::size_t id = append(segments_);
    segments_.clear();
    return id;
  }
  const std::string* get(std::size_t id) const {
    return id < strings_.size() ? &strings_[id] : nullptr;
  }

 private:
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::size_t> index_;
  std::string segments_;
};

class GlobalSettings final : public ss::iface::import_global_settings {
 public:
  void set_origin_date(int year, int month, int day) override {
    origin_ = std::chrono::sys_days(std::chrono::year(year) / month / day);
  }
  void set_default_formula_grammar(ss::formula_grammar_t grammar) override { grammar_ = grammar; }
  ss::formula_grammar_t get_default_formula_grammar() const override { return grammar_; }
  void set_character_set(orcus::character_set_t /*charset*/) override {}
  // Day 0 of serial numbers: 1899-12-30 unless the workbook uses the 1904 system.
  std::chrono::sys_days origin() const { return origin_; }

 private:
  std::chrono::sys_days origin_ =
      std::chrono::sys_days(std::chrono::year(1899) / std::chrono::December / 30);
  ss::formula_grammar_t grammar_ = ss::formula_grammar_t::unknown;
};

class SheetImport;

class FormulaImport final : public ss::iface::import_formula {
 public:
  explicit FormulaImport(SheetImport& sheet) : sheet_(sheet) {}
  void set_position(ss::row_t row, ss::col_t col) override {
    row_ = row;
    col_ = col;
    result_.reset();
  }
  void set_formula(ss::formula_grammar_t /*grammar*/, std::string_view /*formula*/) override {}
  void set_shared_formula_index(std::size_t /*index*/) override {}
  void set_result_string(std::string_view value) override {
    result_ = Cell{CellKind::text, std::string(value), 0};
  }
  void set_result_value(double value) override {
    result_ = Cell{CellKind::number, number_text(value), value};
  }
  void set_result_bool(bool value) override {
    result_ = Cell{CellKind::text, value ? "TRUE" : "FALSE", 0};
  }
  void set_result_empty() override { result_.reset(); }
  void commit() override;

 private:
  SheetImport& sheet_;
  ss::row_t row_ = 0;
  ss::col_t col_ = 0;
  std::optional<Cell> result_;
};

class SheetImport final : public ss::iface::import_sheet {
 public:
  SheetImport(Sheet& sheet, const SharedStrings& strings, const GlobalSettings& settings,
              std::size_t& cells)
      : sheet_(sheet), strings_(strings), settings_(settings), cells_(cells), formula_(*this) {}

  ss::iface::import_formula* get_formula() override { return &formula_; }
  void set_auto(ss::row_t row, ss::col_t col, std::string_view s) override {
    put(row, col, Cell{CellKind::text, std::string(s), 0});
  }
  void set_string(ss::row_t row, ss::col_t col, ss::string_id_t sindex) override {
    const std::string* text = strings_.get(sindex);
    put(row, col, Cell{CellKind::text, text != nullptr ? *text : std::string(), 0});
  }
  void set_value(ss::row_t row, ss::col_t col, double value) override {
    put(row, col, Cell{CellKind::number, number_text(value), value});
  }
  void set_bool(ss::row_t row, ss::col_t col, bool value) override {
    put(row, col, Cell{CellKind::text, value ? "TRUE" : "FALSE", 0});
  }
  void set_date_time(ss::row_t row, ss::col_t col, int year, int month, int day, int /*hour*/,
                     int /*minute*/, double /*second*/) override {
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(year),
                              std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) {
      put(row, col,
          Cell{CellKind::text,
               std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day), 0});
      return;
    }
    const auto serial = (sys_days(date) - settings_.origin()).count();
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    put(row, col, Cell{CellKind::date, text, static_cast<double>(serial)});
  }
  void set_format(ss::row_t /*row*/, ss::col_t /*col*/, std::size_t /*xf_index*/) override {}
  void set_format(ss::row_t /*row_start*/, ss::col_t /*col_start*/, ss::row_t /*row_end*/,
                  ss::col_t /*col_end*/, std::size_t /*xf_index*/) override {}
  void fill_down_cells(ss::row_t src_row, ss::col_t src_col, ss::row_t range_size) override {
    const auto row = sheet_.rows.find(src_row);
    if (row == sheet_.rows.end()) return;
    const auto cell = row->second.find(src_col);
    if (cell == row->second.end()) return;
    const Cell copy = cell->second;
    for (ss::row_t i = 1; i <= range_size; ++i)
      put(src_row + i, src_col, copy);
  }
  ss::range_size_t get_sheet_size() const override { return {1048576, 16384}; }

  void put(ss::row_t row, ss::col_t col, Cell cell) {
    if (row < 0 || col < 0) return;
    if (++cells_ > kMaxWorkbookCells) throw TooManyCells();
    sheet_.rows[row][col] = std::move(cell);
  }

 private:
  Sheet& sheet_;
  const SharedStrings& strings_;
  const GlobalSettings& settings_;
  std::size_t& cells_;
  FormulaImport formula_;
};

void FormulaImport::commit() {
  if (result_) sheet_.put(row_, col_, std::move(*result_));
  result_.reset();
}

// A1 references, as XLSX writes cell positions ("B17", "$B$17"; ranges
// "A1:C3"); sheet-qualified references are not needed for cell positions.
class ReferenceResolver final : public ss::iface::import_reference_resolver {
 public:
  ss::src_address_t resolve_address(std::string_view address) override {
    ss::src_address_t result{0, 0, 0};
    std::size_t i = 0;
    if (i < address.size() && address[i] == '$') ++i;
    long column = 0;
    const std::size_t letters = i;
    while (i < address.size() && address[i] >= 'A' && address[i] <= 'Z') {
      column = column * 26 + (address[i] - 'A' + 1);
      if (column > 16384) throw orcus::invalid_arg_error("column out of range");
      ++i;
    }
    if (i == letters) throw orcus::invalid_arg_error("not a cell address");
    if (i < address.size() && address[i] == '$') ++i;
    long row = 0;
    const std::size_t digits = i;
    while (i < address.size() && address[i] >= '0' && address[i] <= '9') {
      row = row * 10 + (address[i] - '0');
      if (row > 1048576) throw orcus::invalid_arg_error("row out of range");
      ++i;
    }
    if (i == digits || i != address.size() || row == 0) {
      throw orcus::invalid_arg_error("not a cell address");
    }
    result.row = static_cast<ss::row_t>(row - 1);
    result.column = static_cast<ss::col_t>(column - 1);
    return result;
  }
  ss::src_range_t resolve_range(std::string_view range) override {
    const std::size_t colon = range.find(':');
    if (colon == std::string_view::npos) {
      const auto single = resolve_address(range);
      return {single, single};
    }
    return {resolve_address(range.substr(0, colon)), resolve_address(range.substr(colon + 1))};
  }
};

class Factory final : public ss::iface::import_factory {
 public:
  ss::iface::import_reference_resolver* get_reference_resolver(
      ss::formula_ref_context_t /*cxt*/) override {
    return &resolver_;
  }
  ss::iface::import_global_settings* get_global_settings() override { return &settings_; }
  ss::iface::import_shared_strings* get_shared_strings() override { return &strings_; }
  ss::iface::import_sheet* append_sheet(ss::sheet_t /*sheet_index*/,
                                        std::string_view name) override {
    sheets_.push_back(std::make_unique<Sheet>());
    sheets_.back()->name = std::string(name);
    imports_.push_back(std::make_unique<SheetImport>(*sheets_.back(), strings_, settings_, cells_));
    return imports_.back().get();
  }
  ss::iface::import_sheet* get_sheet(std::string_view name) override {
    for (std::size_t i = 0; i < sheets_.size(); ++i) {
      if (sheets_[i]->name == name) return imports_[i].get();
    }
    return nullptr;
  }
  ss::iface::import_sheet* get_sheet(ss::sheet_t sheet_index) override {
    if (sheet_index < 0 || static_cast<std::size_t>(sheet_index) >= imports_.size()) return nullptr;
    return imports_[static_cast<std::size_t>(sheet_index)].get();
  }
  void finalize() override {}

  std::vector<std::unique_ptr<Sheet>>& sheets() { return sheets_; }

 private:
  GlobalSettings settings_;
  SharedStrings strings_;
  ReferenceResolver resolver_;
  std::vector<std::unique_ptr<Sheet>> sheets_;
  std::vector<std::unique_ptr<SheetImport>> imports_;
  std::size_t cells_ = 0;
};

class WorkbookSource final : public RecordSource {
 public:
  WorkbookSource(std::vector<std::unique_ptr<Sheet>> sheets, std::string display_name,
                 std::string hash, std::uint64_t size)
      : sheets_(std::move(sheets)),
        display_name_(std::move(display_name)),
        hash_(std::move(hash)),
        size_(size) {
    if (!sheets_.empty()) row_ = sheets_[0]->rows.begin();
  }

  bool next(std::vector<CsvField>& fields, CsvError& error) override {
    error = {};
    starts_table_ = false;
    while (sheet_ < sheets_.size()) {
      Sheet& sheet = *sheets_[sheet_];
      if (!started_) {
        row_ = sheet.rows.begin();
        started_ = true;
        first_in_sheet_ = true;
      }
      while (row_ != sheet.rows.end()) {
        const auto& [row, cells] = *row_;
        ++row_;
        const bool blank = std::all_of(cells.begin(), cells.end(), [](const auto& cell) {
          return cell.second.kind == CellKind::text && is_blank(cell.second.text);
        });
        if (blank) continue;
        current_row_ = row;
        const int last = cells.rbegin()->first;
        if (last >= static_cast<int>(kMaxFields)) {
          error = {row, last, "more than " + std::to_string(kMaxFields) + " columns in one row"};
          fields.clear();
          starts_table_ = first_in_sheet_ && sheet_ > 0;
          first_in_sheet_ = false;
          return true;
        }
        fields.resize(static_cast<std::size_t>(last) + 1);
        for (auto& field : fields)
          field = CsvField{};
        for (const auto& [column, cell] : cells) {
          CsvField& field = fields[static_cast<std::size_t>(column)];
          field.offset = static_cast<std::size_t>(column);
          field.kind = cell.kind;
          field.number = cell.number;
          field.text = cell.kind == CellKind::text ? trim(cell.text) : cell.text;
          if (!is_valid_utf8(field.text)) {
            error = {row, column, "the cell is not UTF-8 text"};
            fields.clear();
            break;
          }
        }
        for (std::size_t i = 0; i < fields.size(); ++i)
          fields[i].offset = i;
        starts_table_ = first_in_sheet_ && sheet_ > 0;
        first_in_sheet_ = false;
        return true;
      }
      ++sheet_;
      started_ = false;
    }
    return false;
  }

  SourceLocation at(const CsvField* field) const override {
    const std::string sheet = sheet_name();
    if (field == nullptr) {
      return {display_name_ + ":" + sheet + "!" + std::to_string(current_row_ + 1), 0, 0};
    }
    return {display_name_ + ":" + sheet + "!" +
                cell_name(current_row_, static_cast<int>(field->offset)),
            0, 0};
  }
  SourceLocation at(const CsvError& error) const override {
    const std::string sheet = sheet_name();
    return {display_name_ + ":" + sheet + "!" + cell_name(error.line, error.column), 0, 0};
  }
  int row() const override { return current_row_ + 1; }
  bool starts_table() const override { return starts_table_; }
  bool decimal_comma() const override { return true; }
  std::uint64_t bytes_read() const override { return size_; }
  std::uint64_t size_hint() const override { return size_; }
  std::string content_hash() override { return hash_; }

 private:
  // The name of the sheet being read, as messages may show it (a sheet name
  // is the workbook's text: controls escaped).
  std::string sheet_name() const {
    return escape_controls(sheets_[std::min(sheet_, sheets_.size() - 1)]->name);
  }
  static bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
  }
  static std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
      text.remove_suffix(1);
    return std::string(text);
  }

  std::vector<std::unique_ptr<Sheet>> sheets_;
  std::string display_name_;
  std::string hash_;
  std::uint64_t size_ = 0;
  std::size_t sheet_ = 0;
  bool started_ = false;
  bool first_in_sheet_ = false;
  bool starts_table_ = false;
  std::map<int, std::map<int, Cell>>::const_iterator row_;
  int current_row_ = 0;
};

std::uint32_t le16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8;
}

std::uint32_t le32(std::string_view bytes, std::size_t at) {
  return le16(bytes, at) | le16(bytes, at + 2) << 16;
}

// liborcus allocates what a zip entry's headers say it holds before reading
// it, so a few damaged bytes could ask for gigabytes. The sizes are checked
// here first, against the archive and kMaxWorkbookPartBytes: the central
// directory's entries and the local header each points at. Empty when the
// archive may be read; else what is wrong.
std::string zip_problem(std::string_view bytes) {
  constexpr std::size_t kEndRecord = 22;
  if (bytes.size() < kEndRecord) return "not a zip archive";
  // The end record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  std::size_t end = std::string_view::npos;
  const std::size_t lowest =
      bytes.size() > 0xFFFF + kEndRecord ? bytes.size() - 0xFFFF - kEndRecord : 0;
  for (std::size_t at = bytes.size() - kEndRecord + 1; at-- > lowest;) {
    if (le32(bytes, at) == 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) return "not a zip archive (no end of central directory)";
  const std::uint32_t entries = le16(bytes, end + 10);
  const std::uint32_t directory_size = le32(bytes, end + 12);
  const std::uint32_t directory = le32(bytes, end + 16);
  if (directory > bytes.size() || directory_size > bytes.size() - directory) {
    return "a damaged zip archive (the central directory lies outside the file)";
  }
  std::size_t at = directory;
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < entries; ++i) {
    if (at + 46 > bytes.size() || le32(bytes, at) != 0x02014b50) {
      return "a damaged zip archive (a broken central directory entry)";
    }
    const std::uint32_t compressed = le32(bytes, at + 20);
    const std::uint32_t size = le32(bytes, at + 24);
    const std::uint32_t name_length = le16(bytes, at + 28);
    const std::uint32_t extra = le16(bytes, at + 30);
    const std::uint32_t comment = le16(bytes, at + 32);
    const std::uint32_t local = le32(bytes, at + 42);
    if (compressed == 0xFFFFFFFF || size == 0xFFFFFFFF || local == 0xFFFFFFFF) {
      return "a ZIP64 archive, which is not supported";
    }
    if (local + std::uint64_t{30} > bytes.size() || le32(bytes, local) != 0x04034b50) {
      return "a damaged zip archive (an entry without its local header)";
    }
    const std::uint64_t data =
        local + std::uint64_t{30} + le16(bytes, local + 26) + le16(bytes, local + 28);
    // A local header's own sizes (zero when a data descriptor follows) count too.
    const std::uint32_t local_compressed = le32(bytes, local + 18);
    const std::uint32_t local_size = le32(bytes, local + 22);
    if (data + std::max(compressed, local_compressed) > bytes.size()) {
      return "a damaged zip archive (an entry larger than the file)";
    }
    if (std::max(size, local_size) > kMaxWorkbookPartBytes) {
      return "a part of the workbook is larger than " +
             std::to_string(kMaxWorkbookPartBytes >> 20) + " MiB unpacked";
    }
    total += std::max(size, local_size);
    at += 46 + std::size_t{name_length} + extra + comment;
  }
  if (total > 2 * std::uint64_t{kMaxWorkbookPartBytes}) {
    return "the workbook is larger than " + std::to_string((2 * kMaxWorkbookPartBytes) >> 20) +
           " MiB unpacked";
  }
  return {};
}

}  // namespace

std::optional<WorkbookKind> workbook_kind(std::string_view file_name) {
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext(file_name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "xlsx" || ext == "xlsm") return WorkbookKind::xlsx;
  if (ext == "ods") return WorkbookKind::ods;
  return std::nullopt;
}

std::string cell_name(int row, int column) {
  std::string letters;
  for (int c = column + 1; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters + std::to_string(row + 1);
}

std::unique_ptr<RecordSource> read_workbook(std::string_view bytes, WorkbookKind kind,
                                            const std::string& display_name,
                                            const std::string& sheet, Diagnostics& diagnostics) {
  const char* kind_name = kind == WorkbookKind::xlsx ? "XLSX" : "ODS";
  if (bytes.size() > kMaxWorkbookBytes) {
    diagnostics.error({display_name, 0, 0}, "the workbook is larger than " +
                                                std::to_string(kMaxWorkbookBytes / (1024 * 1024)) +
                                                " MiB");
    return nullptr;
  }
  if (const std::string problem = zip_problem(bytes); !problem.empty()) {
    diagnostics.error({display_name, 0, 0},
                      std::string("not a readable ") + kind_name + " workbook (" + problem + ")");
    return nullptr;
  }
  const std::string hash = sha256_hex(bytes);
  const std::uint64_t size = bytes.size();
  Factory factory;
  try {
    if (kind == WorkbookKind::xlsx) {
      orcus::orcus_xlsx filter(&factory);
      filter.read_stream(bytes);
    } else {
      orcus::orcus_ods filter(&factory);
      filter.read_stream(bytes);
    }
  } catch (const TooManyCells&) {
    diagnostics.error({display_name, 0, 0},
                      "the workbook has more than " + std::to_string(kMaxWorkbookCells) + " cells");
    return nullptr;
  } catch (const std::exception& e) {
    diagnostics.error({display_name, 0, 0},
                      std::string("not a readable ") + kind_name + " workbook (" +
                          (*e.what() != '\0' ? escape_controls(e.what())
                                             : std::string("a damaged or incomplete zip archive")) +
                          ")");
    return nullptr;
  }
  auto& sheets = factory.sheets();
  if (sheets.empty()) {
    diagnostics.error({display_name, 0, 0},
                      std::string("not a readable ") + kind_name + " workbook (it has no sheet)");
    return nullptr;
  }
  if (!sheet.empty()) {
    std::vector<std::string> names;
    for (const auto& s : sheets)
      names.push_back(s->name);
    std::vector<std::string> shown;
    for (const auto& name : names)
      shown.push_back(escape_controls(name));
    const auto found = std::find(names.begin(), names.end(), sheet);
    if (found == names.end()) {
      diagnostics.error({display_name, 0, 0}, "the workbook has no sheet " + quote(sheet) +
                                                  did_you_mean(sheet, names) + "; its sheets are " +
                                                  join(shown, ", "));
      return nullptr;
    }
    auto chosen = std::move(sheets[static_cast<std::size_t>(found - names.begin())]);
    sheets.clear();
    sheets.push_back(std::move(chosen));
  }
  return std::make_unique<WorkbookSource>(std::move(sheets), display_name, hash, size);
}

}  // namespace zielwerk::observations
