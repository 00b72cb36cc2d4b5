#include "zielwerk/common/utf8.h"

#include <array>
#include <cstdint>

namespace zielwerk {
namespace {

// The length of the well-formed sequence starting at `i`, or 0 when the byte
// there does not start one. On 0, `*valid_prefix` is how many bytes form the
// maximal subpart of an ill-formed sequence (at least 1).
std::size_t sequence_length(std::string_view text, std::size_t i, std::size_t* valid_prefix) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  *valid_prefix = 1;
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong 2-byte) or F5..FF
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (i + k >= text.size()) return 0;
    const unsigned char next = byte(i + k);
    const unsigned char min = k == 1 ? low : 0x80;
    const unsigned char max = k == 1 ? high : 0xBF;
    if (next < min || next > max) return 0;
    *valid_prefix = k + 1;
  }
  return length;
}

// The code point of a well-formed sequence.
std::uint32_t decode(std::string_view sequence) {
  const auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[k]));
  };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1FU) << 6U) | (byte(1) & 0x3FU);
    case 3:
      return ((byte(0) & 0x0FU) << 12U) | ((byte(1) & 0x3FU) << 6U) | (byte(2) & 0x3FU);
    default:
      return ((byte(0) & 0x07U) << 18U) | ((byte(1) & 0x3FU) << 12U) | ((byte(2) & 0x3FU) << 6U) |
             (byte(3) & 0x3FU);
  }
}

constexpr std::string_view kHex = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += kHex[byte >> 4U];
  out += kHex[byte & 0xFU];
}

void append_code_point_escape(std::string& out, std::uint32_t code_point) {
  out += "\\u{";
  std::array<char, 8> digits{};
  std::size_t count = 0;
  do {
    digits.at(count++) = kHex[code_point & 0xFU];
    code_point >>= 4U;
  } while (code_point != 0 || count < 4);
  while (count > 0)
    out += digits.at(--count);
  out += '}';
}

bool is_escaped_code_point(std::uint32_t c) {
  return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t size = text.size();
  while (i < size) {
    // ASCII runs are the common case (ids, numbers, most German text).
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t prefix = 0;
    const std::size_t length = sequence_length(text, i, &prefix);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t prefix = 0;
    const std::size_t length = sequence_length(text, i, &prefix);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      i += prefix;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string escape_controls(std::string_view text, LineFeeds line_feeds) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += text[i++];
      continue;
    }
    if (byte < 0x80) {
      if (byte == '\n' && line_feeds == LineFeeds::keep) {
        out += '\n';
      } else if (byte == '\n') {
        out += "\\n";
      } else if (byte == '\r') {
        out += "\\r";
      } else if (byte == '\t') {
        out += "\\t";
      } else {
        append_byte_escape(out, byte);
      }
      ++i;
      continue;
    }
    std::size_t prefix = 0;
    const std::size_t length = sequence_length(text, i, &prefix);
    if (length == 0) {
      for (std::size_t k = 0; k < prefix; ++k)
        append_byte_escape(out, static_cast<unsigned char>(text[i + k]));
      i += prefix;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    if (const std::uint32_t code_point = decode(sequence); is_escaped_code_point(code_point)) {
      append_code_point_escape(out, code_point);
    } else {
      out.append(sequence);
    }
    i += length;
  }
  return out;
}

std::string quote(std::string_view text, std::size_t max_characters) {
  // Cut at a character boundary: count lead bytes, not continuation bytes.
  std::size_t characters = 0;
  std::size_t cut = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U) continue;
    if (characters == max_characters) {
      cut = i;
      break;
    }
    ++characters;
  }
  std::string out = "'" + escape_controls(text.substr(0, cut)) + "'";
  if (cut < text.size()) out.insert(out.size() - 1, "...");
  return out;
}

std::string utf8_problem(std::string_view text) {
  const std::size_t offset = first_invalid_utf8(text);
  if (offset == std::string_view::npos) return {};
  std::string byte;
  append_byte_escape(byte, static_cast<unsigned char>(text[offset]));
  byte.replace(0, 2, "0x");
  // Some context around the byte, not the whole text.
  std::size_t from = offset > 20 ? offset - 20 : 0;
  while (from < offset && (static_cast<unsigned char>(text[from]) & 0xC0U) == 0x80U)
    ++from;
  std::string excerpt = quote(text.substr(from), 40);
  if (from > 0) excerpt.insert(1, "...");
  return "is not UTF-8 text (byte " + byte + " at position " + std::to_string(offset + 1) + ": " +
         excerpt + "); zielwerk reads and stores text as UTF-8";
}

}  // namespace zielwerk
