// Reading CSV files as spreadsheets export them, one record at a time.
//
// The dialect is detected from the header line: `;` when it splits the header
// into more fields than `,` does, `,` otherwise. A UTF-8 byte order mark is
// skipped, LF and CRLF line ends are accepted, fields may be quoted with `"`
// (a doubled `""` inside quotes is one quote). Spaces around fields are trimmed.
// Blank lines are skipped.
//
// Memory stays bounded whatever the file size: the reader holds one chunk of
// input and one record. Every byte read also goes into a SHA-256 digest, so the
// caller gets the file's hash without reading it twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/sha256.h"

namespace zielwerk::observations {

// Limits that keep a hostile file from exhausting memory.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxFields = 64;

struct CsvField {
  std::string text;        // unquoted, trimmed
  std::size_t offset = 0;  // byte offset where the field starts in its line
};

// A malformed line: what is wrong and where.
struct CsvError {
  int line = 0;
  int column = 0;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& input);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank line into `fields`. The first call reads the
  // header and fixes the separator. Returns false at the end of the input. A
  // malformed line (unbalanced quotes, too long, too many fields) is returned
  // as true with `error` set and `fields` empty, so the caller can report it
  // and go on with the next line.
  bool next(std::vector<CsvField>& fields, CsvError& error);

  // The 1-based column, in characters as an editor counts them, of a field of
  // the record last returned. Computed on demand: only messages need it.
  int column_of(const CsvField& field) const;

  char separator() const { return separator_; }
  int line() const { return line_; }  // the line of the record last returned
  std::uint64_t bytes_read() const { return bytes_read_; }
  // Hex SHA-256 of the whole input; reads any rest of the input first.
  std::string content_hash();

 private:
  bool read_line(std::string_view& line);
  bool fill();
  void split(std::string_view line, std::vector<CsvField>& fields, CsvError& error) const;

  std::istream& input_;
  std::string_view current_line_;  // the record last returned, until the next call
  Sha256 hash_;
  std::string digest_;  // hash_'s hex digest once content_hash() computed it
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  bool at_start_ = true;
  bool line_too_long_ = false;
  char separator_ = 0;
  int line_ = 0;
  int next_line_ = 1;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace zielwerk::observations
