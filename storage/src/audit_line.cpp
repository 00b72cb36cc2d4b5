#include "zielwerk/storage/audit_line.h"

namespace zielwerk::storage {
namespace {

// JSON string escaping exactly as nlohmann::json::dump() does it (without
// ensure_ascii): the two-character escapes it knows, \u00xx in lower-case
// hex for the other control characters, every other byte as it is. Written
// out here because verify runs it over every record.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.substr(plain_from, i - plain_from));
    plain_from = i + 1;
    switch (byte) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\r':
        out.append("\\r");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0x0f]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(text.substr(plain_from));
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
