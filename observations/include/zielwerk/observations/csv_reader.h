// Reading CSV files as spreadsheets export them, one record at a time.
//
// The dialect is detected from the header line: `;` when it splits the header
// into more fields than `,` does, `,` otherwise. LF and CRLF line ends are
// accepted, fields may be quoted with `"`
// (a doubled `""` inside quotes is one quote). Spaces around fields are trimmed.
// Blank lines are skipped.
//
// Encodings: the input is converted to UTF-8 as it is read, before anything is
// parsed. A byte order mark decides (UTF-8, UTF-16 LE or BE) and is skipped.
// Without one the declared encoding applies; undeclared (`automatic`), the
// file is UTF-8 unless its first non-ASCII bytes are not a UTF-8 sequence,
// then it is Windows-1252 (what German Excel saves as "CSV (Trennzeichen-
// getrennt)"). Up to that byte both read the same, so the decision needs no
// second pass. A line that is still not UTF-8 after that (a UTF-8 file with a
// stray Latin-1 byte, a broken UTF-16 file) is an error naming its line and
// column: nothing that is not UTF-8 reaches the caller.
//
// Memory stays bounded whatever the file size: the reader holds one chunk of
// input and one record. Every byte read also goes into a SHA-256 digest, so the
// caller gets the file's hash without reading it twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/sha256.h"

namespace zielwerk::observations {

// Limits that keep a hostile file from exhausting memory.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxFields = 64;

enum class TextEncoding { automatic, utf8, utf16le, utf16be, windows1252 };

// "utf-8", "utf-16" (little endian unless a BOM says otherwise),
// "utf-16le", "utf-16be", "windows-1252" (also "cp1252"), "auto"; case
// does not matter. nullopt for anything else.
std::optional<TextEncoding> parse_text_encoding(std::string_view name);
std::string_view encoding_name(TextEncoding encoding);
// The names parse_text_encoding accepts, for messages.
inline constexpr std::string_view kEncodingNames = "auto, utf-8, utf-16, windows-1252";

// One field of a record. CSV fields are text; a workbook's cells may also be
// numbers or dates (see workbook_reader.h), still with their text form.
enum class CellKind : std::uint8_t { text, number, date };

struct CsvField {
  std::string text;        // unquoted, trimmed
  std::size_t offset = 0;  // byte offset where the field starts in its line (a workbook: column)
  CellKind kind = CellKind::text;
  double number = 0;  // a number's value; a date as its Excel serial day
};

// A malformed line: what is wrong and where.
struct CsvError {
  int line = 0;
  int column = 0;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& input, TextEncoding declared = TextEncoding::automatic);
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

  // Detect the separator from the first non-blank line at or after `line`
  // (a header below title rows), not from the first line. Call before next().
  void detect_separator_at(int line) { header_line_ = line; }
  char separator() const { return separator_; }
  // The encoding read so far: `automatic` until a BOM or a non-ASCII byte decided.
  TextEncoding encoding() const { return encoding_; }
  int line() const { return line_; }  // the line of the record last returned
  std::uint64_t bytes_read() const { return bytes_read_; }
  // Hex SHA-256 of the whole input; reads any rest of the input first.
  std::string content_hash();

 private:
  bool read_line(std::string_view& line);
  bool fill();
  void decode(std::size_t from);
  void split(std::string_view line, char separator, std::vector<CsvField>& fields,
             CsvError& error) const;

  std::istream& input_;
  std::string_view current_line_;  // the record last returned, until the next call
  Sha256 hash_;
  std::string digest_;  // hash_'s hex digest once content_hash() computed it
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  TextEncoding encoding_;
  std::string carry_;    // the bytes of a UTF-16 unit split by a chunk boundary
  std::string decoded_;  // scratch for decode()
  bool line_too_long_ = false;
  char separator_ = 0;
  int header_line_ = 0;
  int line_ = 0;
  int next_line_ = 1;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace zielwerk::observations
