// Observation files (contracts.md, "Observation import"): a header row naming
// the columns metric, period, value (required) and region, source (optional)
// in any order, then one observation per row.
//
// Column names are matched without regard to case ("Metric" is metric).
// The reader checks every row against the rule set: the metric must be a base
// series of it (derived metrics are computed, not imported), the period a real
// YYYY-MM, the value a finite decimal number. With `,` as separator the decimal
// mark is `.`; with `;` it is `,` and `.` is accepted only as a thousands
// separator in groups of three (`10.154,5`), because spreadsheets write German
// numbers that way and reading "10.154" as ten would be a silent error.
//
// Errors are reported as `file:line:col: error: ...` and the row is skipped, so
// one pass reports every broken row; the caller decides to store nothing.
#pragma once

#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/diagnostics.h"
#include "zielwerk/observations/csv_reader.h"
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
  double value = 0;
  int line = 0;
};

class ObservationReader {
 public:
  // `display_name` is how messages name the file (as the user wrote it).
  ObservationReader(std::istream& input, std::string display_name, const rules::RuleSet& rules);

  // Reads the header. False when the file cannot be imported at all (empty,
  // missing or unknown columns), with the reasons in `diagnostics`.
  bool read_header(Diagnostics& diagnostics);

  // The next valid row, or nullopt at the end. Broken rows are reported to
  // `diagnostics` and skipped.
  std::optional<ObservationRow> next(Diagnostics& diagnostics);

  char separator() const { return csv_.separator(); }
  std::uint64_t bytes_read() const { return csv_.bytes_read(); }
  std::size_t rows_read() const { return rows_read_; }  // data rows, valid or not
  const std::string& display_name() const { return display_name_; }
  // SHA-256 of the whole file (reads any unread rest).
  std::string content_hash() { return csv_.content_hash(); }

 private:
  SourceLocation at(int column) const;
  std::optional<double> parse_value(const CsvField& field, Diagnostics& diagnostics) const;

  CsvReader csv_;
  std::string display_name_;
  std::map<std::string, bool, std::less<>> metric_is_base_;  // known metric ids
  std::vector<std::string> base_series_ids_;                 // for did-you-mean
  const rules::RuleSet& rules_;
  std::vector<CsvField> fields_;
  std::size_t expected_fields_ = 0;
  int metric_column_ = -1;
  int period_column_ = -1;
  int value_column_ = -1;
  int region_column_ = -1;
  int source_column_ = -1;
  std::size_t rows_read_ = 0;
};

// The column names of the contract, for messages and documentation.
const std::vector<std::string>& observation_columns();

}  // namespace zielwerk::observations
