#include "zielwerk/observations/csv_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "zielwerk/common/utf8.h"

namespace zielwerk::observations {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeMark = "\xFF\xFE";
constexpr std::string_view kUtf16BeMark = "\xFE\xFF";
// Written for input that has no UTF-8 form (a Windows-1252 byte without a
// character, a lone UTF-16 surrogate): never valid UTF-8, so the line check
// in next() reports it where it is.
constexpr char kUndecodable = '\xFF';

// Windows-1252's 0x80..0x9F; 0 where the code page has no character.
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Whether the non-ASCII bytes starting `text` begin a UTF-8 sequence, as far
// as `text` holds them (a sequence cut by the end of a chunk counts).
bool starts_utf8_sequence(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
  } else {
    return false;
  }
  const std::string_view present = text.substr(0, length);
  if (present.size() == length) return is_valid_utf8(present);
  return std::all_of(present.begin() + 1, present.end(),
                     [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; });
}

// The offset of the first byte with the high bit set, or text.size(). Eight
// bytes at a time: it runs over every byte of an ASCII file.
std::size_t first_non_ascii(std::string_view text) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & kHighBits) != 0) break;
  }
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0x80) != 0) return i;
  }
  return text.size();
}

bool has_non_ascii(std::string_view text) {
  return first_non_ascii(text) != text.size();
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// The 1-based column of byte `offset` as an editor counts it: in characters,
// so a column after an umlaut is where the user sees it.
int column_at(std::string_view line, std::size_t offset) {
  int column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

// Fields of `line` split at `separator` outside quotes, for detecting the separator.
std::size_t count_fields(std::string_view line, char separator) {
  std::size_t count = 1;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == separator && !quoted) ++count;
  }
  return count;
}

}  // namespace

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "auto") return TextEncoding::automatic;
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::utf8;
  if (lower == "utf-16" || lower == "utf-16le" || lower == "utf16") return TextEncoding::utf16le;
  if (lower == "utf-16be") return TextEncoding::utf16be;
  if (lower == "windows-1252" || lower == "cp1252") return TextEncoding::windows1252;
  return std::nullopt;
}

std::string_view encoding_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::automatic:
      return "auto";
    case TextEncoding::utf8:
      return "UTF-8";
    case TextEncoding::utf16le:
      return "UTF-16LE";
    case TextEncoding::utf16be:
      return "UTF-16BE";
    case TextEncoding::windows1252:
      return "Windows-1252";
  }
  return "auto";
}

CsvReader::CsvReader(std::istream& input, TextEncoding declared)
    : input_(input), buffer_(kChunkBytes + kMaxLineBytes), encoding_(declared) {}
CsvReader::~CsvReader() = default;

bool CsvReader::fill() {
  if (eof_) return false;
  // Move the unread rest to the front, then read one chunk behind it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t room = std::min(kChunkBytes, buffer_.size() - end_);
  input_.read(buffer_.data() + end_, static_cast<std::streamsize>(room));
  const auto got = static_cast<std::size_t>(input_.gcount());
  if (got < room) eof_ = true;
  hash_.update(std::string_view(buffer_.data() + end_, got));
  const bool first = bytes_read_ == 0;
  bytes_read_ += got;
  std::size_t from = end_;
  end_ += got;
  if (first) {
    // A byte order mark decides the encoding, whatever was declared.
    const std::string_view start(buffer_.data(), end_);
    std::size_t mark = 0;
    if (start.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      encoding_ = TextEncoding::utf8;
      mark = kByteOrderMark.size();
    } else if (start.substr(0, 2) == kUtf16LeMark) {
      encoding_ = TextEncoding::utf16le;
      mark = 2;
    } else if (start.substr(0, 2) == kUtf16BeMark) {
      encoding_ = TextEncoding::utf16be;
      mark = 2;
    }
    begin_ = from = mark;
  }
  decode(from);
  return got > 0;
}

// Converts the bytes read last, buffer_[from, end_), to UTF-8 in place.
void CsvReader::decode(std::size_t from) {
  const std::string_view raw(buffer_.data() + from, end_ - from);
  decoded_.clear();
  switch (encoding_) {
    case TextEncoding::utf8:
      return;
    case TextEncoding::automatic: {
      const std::size_t at = first_non_ascii(raw);
      if (at == raw.size()) return;  // ASCII so far: UTF-8 and Windows-1252 agree
      if (starts_utf8_sequence(raw.substr(at))) {
        encoding_ = TextEncoding::utf8;
        return;
      }
      encoding_ = TextEncoding::windows1252;
      decode(from + at);
      return;
    }
    case TextEncoding::windows1252:
      decoded_.reserve(raw.size() + raw.size() / 4);
      for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
          decoded_ += c;
        } else if (byte < 0xA0) {
          const char16_t code = kWindows1252High[byte - 0x80];
          if (code == 0) {
            decoded_ += kUndecodable;
          } else {
            append_utf8(decoded_, code);
          }
        } else {
          append_utf8(decoded_, byte);
        }
      }
      break;
    case TextEncoding::utf16le:
    case TextEncoding::utf16be: {
      std::string units = carry_;
      units.append(raw);
      carry_.clear();
      const bool little = encoding_ == TextEncoding::utf16le;
      const auto unit_at = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(units[i]);
        const auto b = static_cast<unsigned char>(units[i + 1]);
        return little ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
      };
      decoded_.reserve(units.size());
      std::size_t i = 0;
      while (i + 1 < units.size()) {
        const char32_t unit = unit_at(i);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          if (i + 3 >= units.size()) {
            if (!eof_) break;  // its second half comes with the next chunk
            decoded_ += kUndecodable;
            i += 2;
            continue;
          }
          const char32_t low = unit_at(i + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            append_utf8(decoded_, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            i += 4;
          } else {
            decoded_ += kUndecodable;
            i += 2;
          }
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          decoded_ += kUndecodable;
          i += 2;
        } else {
          append_utf8(decoded_, unit);
          i += 2;
        }
      }
      carry_ = units.substr(i);
      if (eof_ && !carry_.empty()) {
        decoded_ += kUndecodable;  // an odd byte at the end
        carry_.clear();
      }
      break;
    }
  }
  if (buffer_.size() < from + decoded_.size() + kChunkBytes) {
    buffer_.resize(from + decoded_.size() + kChunkBytes);
  }
  std::memcpy(buffer_.data() + from, decoded_.data(), decoded_.size());
  end_ = from + decoded_.size();
}

// The next physical line without its line end. Lines longer than
// kMaxLineBytes are consumed to their end and flagged in line_too_long_.
bool CsvReader::read_line(std::string_view& line) {
  line_too_long_ = false;
  std::size_t scanned = 0;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const void* newline = std::memchr(start + scanned, '\n', available - scanned);
    if (newline != nullptr) {
      std::size_t length = static_cast<std::size_t>(static_cast<const char*>(newline) - start);
      begin_ += length + 1;
      if (length > 0 && start[length - 1] == '\r') --length;
      if (length > kMaxLineBytes) line_too_long_ = true;
      line = std::string_view(start, length);
      break;
    }
    scanned = available;
    // Longer than the limit even if its last byte is the '\r' of a CRLF.
    if (available > kMaxLineBytes + 1) {
      // Drop what we have of the over-long line and skip to its end.
      line_too_long_ = true;
      begin_ = end_;
      scanned = 0;
    }
    if (!fill()) {
      if (end_ == begin_) {
        if (line_too_long_) {
          line = {};
          break;
        }
        return false;
      }
      // The last line has no line end.
      const char* rest = buffer_.data() + begin_;
      std::size_t length = end_ - begin_;
      begin_ = end_;
      if (length > 0 && rest[length - 1] == '\r') --length;
      if (length > kMaxLineBytes) line_too_long_ = true;
      line = std::string_view(rest, length);
      break;
    }
  }
  line_ = next_line_++;
  return true;
}

void CsvReader::split(std::string_view line, char separator, std::vector<CsvField>& fields,
                      CsvError& error) const {
  std::size_t pos = 0;
  std::size_t count = 0;
  auto field_at = [&](std::size_t index) -> CsvField& {
    if (index >= fields.size()) fields.emplace_back();
    return fields[index];
  };
  for (;;) {
    if (count == kMaxFields) {
      error = {line_, column_at(line, pos),
               "more than " + std::to_string(kMaxFields) + " fields in one line"};
      fields.clear();
      return;
    }
    CsvField& field = field_at(count++);
    // Skip leading blanks to find a quote.
    std::size_t start = pos;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t'))
      ++start;
    field.offset = start;
    if (start < line.size() && line[start] == '"') {
      field.text.clear();
      std::size_t i = start + 1;
      for (;;) {
        if (i >= line.size()) {
          error = {line_, column_at(line, start),
                   "a quoted field is not closed on this line (line breaks inside quotes are "
                   "not supported)"};
          fields.clear();
          return;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text += line[i++];
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
      if (i < line.size() && line[i] != separator) {
        error = {line_, column_at(line, i),
                 std::string("unexpected text after a quoted field; expected '") + separator +
                     "' or the end of the line"};
        fields.clear();
        return;
      }
      pos = i;
    } else {
      const std::size_t stop = std::min(line.find(separator, pos), line.size());
      const std::string_view raw = line.substr(pos, stop - pos);
      if (raw.find('"') != std::string_view::npos) {
        error = {line_, column_at(line, pos + raw.find('"')),
                 "a quote inside an unquoted field; quote the whole field and double the quote"};
        fields.clear();
        return;
      }
      field.text.assign(trim(raw));
      pos = stop;
    }
    if (pos >= line.size()) break;
    ++pos;  // the separator
  }
  fields.resize(count);
}

bool CsvReader::next(std::vector<CsvField>& fields, CsvError& error) {
  error = {};
  std::string_view line;
  do {
    if (!read_line(line)) return false;
  } while (!line_too_long_ && is_blank(line));
  if (line_too_long_) {
    error = {line_, 0, "line longer than " + std::to_string(kMaxLineBytes) + " bytes"};
    fields.clear();
    return true;
  }
  // Undecided means every byte so far was ASCII: nothing to check.
  if (encoding_ != TextEncoding::automatic && has_non_ascii(line)) {
    if (const std::size_t bad = first_invalid_utf8(line); bad != std::string_view::npos) {
      std::string message;
      if (encoding_ == TextEncoding::utf16le || encoding_ == TextEncoding::utf16be) {
        message = "the line is not valid UTF-16 (a lone surrogate or an odd byte)";
      } else if (encoding_ == TextEncoding::windows1252) {
        message = "the line holds a byte that is no Windows-1252 character";
      } else {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line[bad]));
        message = std::string("the line is not UTF-8 (byte ") + byte +
                  "); save the file as UTF-8 or declare its encoding (--encoding windows-1252)";
      }
      error = {line_, column_at(line, bad), message};
      fields.clear();
      current_line_ = line;
      return true;
    }
  }
  char separator = separator_;
  if (separator == 0) {
    separator = count_fields(line, ';') > count_fields(line, ',') ? ';' : ',';
    // Lines above a later header (title rows) are split as they look.
    if (line_ >= header_line_) separator_ = separator;
  }
  current_line_ = line;
  split(line, separator, fields, error);
  return true;
}

int CsvReader::column_of(const CsvField& field) const {
  return column_at(current_line_, field.offset);
}

std::string CsvReader::content_hash() {
  // Sha256::hex_digest ends the computation: compute once, answer from then on.
  if (digest_.empty()) {
    begin_ = end_;
    while (fill())
      begin_ = end_;
    digest_ = hash_.hex_digest();
  }
  return digest_;
}

}  // namespace zielwerk::observations
