// Observation files (contracts.md, "Observation import"), in the layouts
// offices use:
//
// - long: a header row naming the columns metric, period, value (required)
//   and region, source (optional) in any order, then one observation per row.
//   German names are the same columns: Kennzahl/Merkmal, Monat/Berichtsmonat,
//   Wert, Region/Jobcenter, Quelle. Names are matched without regard to case.
// - wide: a metric column and one column per month, headed by the month (no
//   period or value column); each cell is one observation, an empty cell none.
//
// A profile (import_profile.h) names the header row, the columns, the labels
// of the metrics and a region filter; then columns it does not name are
// ignored. Months may be written 2025-06, 06/2025, 06.2025, 202506, Juni
// 2025, Jun 25, as a date (30.06.2025, 2025-06-30), as a date cell or an
// Excel serial day number. Values are finite decimal numbers: in a CSV with
// `,` as separator the decimal mark is `.`; with `;`, and in a workbook's
// text cells, it is `,`, and `.` only groups thousands in threes
// (`10.154,5`), because reading "10.154" as ten would be a silent error.
// Placeholders of suppressed or missing figures (`*`, `x`, `-`, `–`, `.`,
// and in the long layout an empty value) are observations without a value,
// with the reason (kMissingReasons).
//
// Every row is checked against the rule set: the metric must be a base series
// (derived metrics are computed, not imported). Errors name the place
// (`file:line:col`, `file.xlsx:Sheet!B17`) and the row is skipped, so one pass
// reports every broken row; the caller decides to store nothing.
#pragma once

#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/observations/import_profile.h"
#include "zielwerk/observations/record_source.h"
#include "zielwerk/rules/model.h"

namespace zielwerk::observations {

inline constexpr std::size_t kMaxRegionLength = 64;
inline constexpr std::size_t kMaxSourceLength = 500;

// One valid row. The views stay valid until the next call to next().
struct ObservationRow {
  std::string_view metric;
  std::string_view region;  // empty when the file has no region column
  std::string_view source;  // empty when the file has no source column
  YearMonth period;
  double value = 0;          // 0 when `missing`
  std::string_view missing;  // empty for a figure; else why there is none (kMissingReasons)
  int line = 0;              // the CSV line or the sheet's row
};

// Placeholders and the reason stored for each (the BA statistics' signs).
struct MissingReason {
  std::string_view placeholder;
  std::string_view reason;
};
inline constexpr MissingReason kMissingReasons[] = {
    {"*", "suppressed"},                                   // anonymised for data protection
    {"x", "not_meaningful"},                               // a figure would not be meaningful
    {"-", "none_reported"},  {"\u2013", "none_reported"},  // en dash, as Excel autocorrects '-'
    {".", "not_available"},                                // not available yet
    {"", "empty"},
};
// The reason of a placeholder, or nullopt when `text` is none.
std::optional<std::string_view> missing_reason(std::string_view text);

// A month in one of the notations above; nullopt for anything else.
std::optional<YearMonth> parse_month_notation(std::string_view text);
// The month of an Excel serial day (1899-12-30 is day 0), or of a number
// YYYYMM (100001..299912) as BA files write months.
std::optional<YearMonth> month_of_number(double number);

struct ReadOptions {
  TextEncoding encoding = TextEncoding::automatic;  // of a CSV file
  const ImportProfile* profile = nullptr;           // must outlive the reader
};

class ObservationReader {
 public:
  // A CSV file. `display_name` is how messages name the file (as the user wrote it).
  ObservationReader(std::istream& input, const std::string& display_name,
                    const rules::RuleSet& rules, ReadOptions options = {});
  // Any source, e.g. a workbook (workbook_reader.h).
  ObservationReader(std::unique_ptr<RecordSource> source, std::string display_name,
                    const rules::RuleSet& rules, ReadOptions options = {});
  ~ObservationReader();
  ObservationReader(const ObservationReader&) = delete;
  ObservationReader& operator=(const ObservationReader&) = delete;

  // Reads the header. False when the file cannot be imported at all (empty,
  // missing or unknown columns), with the reasons in `diagnostics`.
  bool read_header(Diagnostics& diagnostics);

  // The next valid row, or nullopt at the end. Broken rows are reported to
  // `diagnostics` and skipped; rows of regions the profile does not keep are
  // skipped silently.
  std::optional<ObservationRow> next(Diagnostics& diagnostics);

  // ',' or ';' for CSV files, 0 for workbooks.
  char separator() const { return csv_ != nullptr ? csv_->separator() : 0; }
  bool wide() const { return !month_columns_.empty(); }
  std::uint64_t bytes_read() const { return source_->bytes_read(); }
  std::size_t rows_read() const { return rows_read_; }  // data rows, valid or not
  const std::string& display_name() const { return display_name_; }
  // SHA-256 of the whole file (reads any unread rest).
  std::string content_hash() { return source_->content_hash(); }

 private:
  struct MonthColumn {
    std::size_t index;
    YearMonth period;
  };
  SourceLocation at(const CsvField& field) const { return source_->at(&field); }
  SourceLocation at_row() const { return source_->at(nullptr); }
  bool take_header(Diagnostics& diagnostics);
  bool read_record(Diagnostics& diagnostics);  // false at the end
  std::optional<std::string_view> metric_of(const CsvField& field, Diagnostics& diagnostics);
  std::optional<YearMonth> period_of(const CsvField& field, Diagnostics& diagnostics) const;
  // A value or a placeholder's reason; false after reporting an error.
  bool value_of(const CsvField& field, double& value, std::string_view& missing,
                Diagnostics& diagnostics) const;
  bool text_column(int column, const char* what, std::size_t limit, std::string_view& text,
                   Diagnostics& diagnostics) const;
  std::optional<ObservationRow> next_month(Diagnostics& diagnostics);

  CsvReader* csv_ = nullptr;  // the source when it is a CSV file
  std::unique_ptr<RecordSource> source_;
  std::string display_name_;
  ReadOptions options_;
  std::map<std::string, bool, std::less<>> metric_is_base_;  // known metric ids
  std::vector<std::string> base_series_ids_;                 // for did-you-mean
  std::vector<std::string> label_candidates_;                // profile labels and ids
  std::vector<CsvField> fields_;
  CsvError error_;
  std::size_t expected_fields_ = 0;
  int metric_column_ = -1;
  int period_column_ = -1;
  int value_column_ = -1;
  int region_column_ = -1;
  int source_column_ = -1;
  std::vector<MonthColumn> month_columns_;  // the wide layout
  bool table_usable_ = true;                // false after a further sheet's bad header
  // The wide layout: the record whose month cells next() is returning.
  std::size_t next_month_ = 0;
  bool in_wide_row_ = false;
  std::string_view wide_metric_, wide_region_, wide_source_;
  std::size_t rows_read_ = 0;
};

// The column names of the contract, for messages and documentation.
const std::vector<std::string>& observation_columns();

}  // namespace zielwerk::observations
