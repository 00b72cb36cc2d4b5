#include "zielwerk/observations/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace zielwerk::observations {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

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

CsvReader::CsvReader(std::istream& input) : input_(input), buffer_(kChunkBytes + kMaxLineBytes) {}
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
  bytes_read_ += got;
  end_ += got;
  return got > 0;
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
  if (at_start_) {
    at_start_ = false;
    if (line.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      line.remove_prefix(kByteOrderMark.size());
    }
  }
  return true;
}

void CsvReader::split(std::string_view line, std::vector<CsvField>& fields, CsvError& error) const {
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
      if (i < line.size() && line[i] != separator_) {
        error = {line_, column_at(line, i),
                 std::string("unexpected text after a quoted field; expected '") + separator_ +
                     "' or the end of the line"};
        fields.clear();
        return;
      }
      pos = i;
    } else {
      const std::size_t stop = std::min(line.find(separator_, pos), line.size());
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
  if (separator_ == 0) {
    separator_ = count_fields(line, ';') > count_fields(line, ',') ? ';' : ',';
  }
  current_line_ = line;
  split(line, fields, error);
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
