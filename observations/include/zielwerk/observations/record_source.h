// Where observation rows come from: a CSV file or the sheets of a workbook,
// both as records of fields. ObservationReader reads either through this
// interface, so the layouts, the checks and the messages are the same for
// every kind of file; only the place a message names differs (`file:17:3`
// for a CSV line, `file.xlsx:Daten!B17` for a cell).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zielwerk/common/diagnostics.h"
#include "zielwerk/observations/csv_reader.h"

namespace zielwerk::observations {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next non-blank record, as CsvReader::next: false at the end; a
  // malformed record is returned as true with `error` set.
  virtual bool next(std::vector<CsvField>& fields, CsvError& error) = 0;
  // Where a field of the record last returned is; `field` null: the record.
  virtual SourceLocation at(const CsvField* field) const = 0;
  // Where a malformed record's error is.
  virtual SourceLocation at(const CsvError& error) const = 0;
  // The 1-based row (CSV: line) of the record last returned, within its table.
  virtual int row() const = 0;
  // Whether the record last returned is the first of a further table (the
  // next sheet of a workbook), which has its own header.
  virtual bool starts_table() const { return false; }
  // Whether numbers written as text use ',' as the decimal mark.
  virtual bool decimal_comma() const = 0;
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t size_hint() const { return 0; }  // total bytes, 0 if unknown
  // Hex SHA-256 of the file's bytes as stored (reads any unread rest).
  virtual std::string content_hash() = 0;
};

}  // namespace zielwerk::observations
