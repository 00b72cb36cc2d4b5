// Text at the edges: zielwerk stores and shows UTF-8 only. Input is checked
// where it comes in (command-line arguments, CSV fields, YAML files, URL
// parameters) with first_invalid_utf8; anything quoted back to a person (a
// terminal, a log line) goes through escape_controls, so input can neither
// break a writer nor steer a terminal (ESC sequences, a title change, a
// cleared screen, text that runs backwards).
//
// "Well-formed UTF-8" is RFC 3629 / Unicode 15, table 3-7: no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
// sequence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zielwerk {

// The byte offset of the first byte that does not belong to a well-formed
// UTF-8 sequence, or std::string_view::npos when the whole text is UTF-8.
std::size_t first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == std::string_view::npos;
}

// The text with each ill-formed sequence replaced by U+FFFD (one per maximal
// subpart, as Unicode recommends): for writers that must not fail on a byte
// that got into storage some other way.
std::string to_valid_utf8(std::string_view text);

// Whether escape_controls keeps line feeds (multi-line messages) or writes
// them as \n (a quoted value).
enum class LineFeeds { escape, keep };

// The text as it may be shown on a terminal or written to a log: every C0
// control, DEL, every C1 control (U+0080..U+009F), the bidirectional
// formatting characters (U+202A..U+202E, U+2066..U+2069) and every byte that is
// not part of well-formed UTF-8 is written as an escape: \n \r \t for those
// three, \xNN for other C0 controls, DEL and stray bytes, \u{NNNN} for the
// others. Everything else (printable ASCII including the backslash, other
// UTF-8 text) stays as it is, so the result holds no control character and is
// valid UTF-8, and escaping it again changes nothing.
std::string escape_controls(std::string_view text, LineFeeds line_feeds = LineFeeds::escape);

// How messages quote input: '…' around escape_controls(text), cut after
// `max_characters` characters of the input with "..." (a quoted value is
// a hint where the problem is, never the whole content of a file).
inline constexpr std::size_t kQuoteLength = 64;
std::string quote(std::string_view text, std::size_t max_characters = kQuoteLength);

// Empty when `text` is UTF-8; otherwise what is wrong, for a message that
// names where the text came from: "is not UTF-8 text (byte 0xDF at position
// 3: 'Ma\xdfnahme')". Positions count bytes from 1.
std::string utf8_problem(std::string_view text);

}  // namespace zielwerk
