// Workbooks (XLSX, ODS) as records: each sheet is a table of its own, read
// row by row from its first used row; every row's fields are its cells from
// column A to its last used cell (empty cells in between are empty fields).
//
// A cell is text, a number, or a date (ODS date cells; in XLSX a date is a
// number with a date format, which the layout reads as an Excel serial day).
// A formula contributes its cached result, as the program that saved the
// file computed it; zielwerk does not recalculate. Messages name cells as
// `file.xlsx:Sheet!B17`.
//
// The whole workbook is read before the first record (zip archives are not
// streamable); kMaxWorkbookBytes, kMaxWorkbookPartBytes (each part of the zip
// archive unpacked, checked against its headers before liborcus sees them;
// twice that for all parts) and kMaxWorkbookCells bound the memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/observations/record_source.h"

namespace zielwerk::observations {

inline constexpr std::size_t kMaxWorkbookBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxWorkbookPartBytes = 256 * 1024 * 1024;
inline constexpr std::size_t kMaxWorkbookCells = 5'000'000;

enum class WorkbookKind { xlsx, ods };

// The kind a file name says (.xlsx, .xlsm, .ods), or nullopt for anything else.
std::optional<WorkbookKind> workbook_kind(std::string_view file_name);

// Reads the workbook `bytes` (the file's content), named `display_name` in
// messages. `sheet` selects one sheet by name; empty: every sheet. nullptr
// with the reason in `diagnostics` when the file is not a readable workbook of
// that kind (a damaged zip, missing parts), has no such sheet, or is too big.
std::unique_ptr<RecordSource> read_workbook(std::string_view bytes, WorkbookKind kind,
                                            const std::string& display_name,
                                            const std::string& sheet, Diagnostics& diagnostics);

// "B17": the A1-notation of a 0-based row and column.
std::string cell_name(int row, int column);

}  // namespace zielwerk::observations
