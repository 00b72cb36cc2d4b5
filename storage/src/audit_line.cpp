#include "zielwerk/storage/audit_line.h"

#include <array>
#include <utility>

namespace zielwerk::storage {
namespace {

// How each byte is written: kFirst then kSecond, advancing kLength bytes
// (1: the byte itself; 2: the escapes JSON names, \" \\ \b \t \n \f \r;
// 6: \u00xx, written separately). Writing both bytes and advancing by the
// length needs no branch for the common bytes, and JSON payloads are full
// of quotes.
struct EscapeTable {
  std::array<char, 256> first{};
  std::array<char, 256> second{};
  std::array<unsigned char, 256> length{};
};

constexpr EscapeTable kEscape = [] {
  EscapeTable table;
  for (std::size_t byte = 0; byte < 256; ++byte) {
    table.first[byte] = static_cast<char>(byte);
    table.length[byte] = byte < 0x20 ? 6 : 1;
  }
  const std::array<std::pair<char, char>, 7> named = {
      {{'"', '"'}, {'\\', '\\'}, {'\b', 'b'}, {'\t', 't'}, {'\n', 'n'}, {'\f', 'f'}, {'\r', 'r'}}};
  for (const auto& [byte, letter] : named) {
    const auto index = static_cast<unsigned char>(byte);
    table.first[index] = '\\';
    table.second[index] = letter;
    table.length[index] = 2;
  }
  return table;
}();

// JSON string escaping exactly as nlohmann::json::dump() does it (without
// ensure_ascii): the two-character escapes it knows, \u00xx in lower-case
// hex for the other control characters, every other byte as it is. Written
// out here because verify runs it over every record: the output is written
// through a pointer into room for the worst case, then cut to its length.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + 6 * text.size());
  char* to = out.data() + start;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const unsigned length = kEscape.length[byte];
    if (length == 6) {
      for (const char e : {'\\', 'u', '0', '0', kHex[byte >> 4U], kHex[byte & 0x0FU]})
        *to++ = e;
      continue;
    }
    to[0] = kEscape.first[byte];
    to[1] = kEscape.second[byte];  // overwritten next when the byte stands for itself
    to += length;
  }
  out.resize(static_cast<std::size_t>(to - out.data()));
}

}  // namespace

void append_audit_line(std::string& out, std::int64_t seq, std::string_view previous_hash,
                       std::string_view hash, std::string_view payload) {
  out.append(R"({"hash":")");
  append_escaped(out, hash);
  out.append(R"(","payload":")");
  append_escaped(out, payload);
  out.append(R"(","previous_hash":")");
  append_escaped(out, previous_hash);
  out.append(R"(","seq":)");
  out.append(std::to_string(seq));
  out.push_back('}');
}

std::string audit_line(const AuditRecord& record) {
  std::string line;
  line.reserve(record.payload.size() + record.payload.size() / 8 + 200);
  append_audit_line(line, record.seq, record.previous_hash, record.hash, record.payload);
  return line;
}

}  // namespace zielwerk::storage
