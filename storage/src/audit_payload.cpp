#include "audit_payload.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace zielwerk::storage {

namespace {

// Whether `text` is its own JSON string body: no control character, quote,
// backslash or non-ASCII byte (the common case: ids, ISO times, hex). Eight
// bytes at a time: verification asks this for every string of every record.
bool is_plain(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero_byte = [](std::uint64_t word) { return (word - kOnes) & ~word & kHigh; };
  const char* at = text.data();
  std::size_t left = text.size();
  for (; left >= 8; at += 8, left -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, at, 8);
    // A byte >= 0x80; with none, a byte < 0x20, '"' or '\\'.
    if ((word & kHigh) != 0) return false;
    if ((((word - 0x20 * kOnes) & ~word) & kHigh) != 0) return false;
    if (has_zero_byte(word ^ ('"' * kOnes)) != 0) return false;
    if (has_zero_byte(word ^ ('\\' * kOnes)) != 0) return false;
  }
  for (; left > 0; ++at, --left) {
    const auto byte = static_cast<unsigned char>(*at);
    if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') return false;
  }
  return true;
}

bool consume(std::string_view& rest, std::string_view expected) {
  if (!rest.starts_with(expected)) return false;
  rest.remove_prefix(expected.size());
  return true;
}

bool consume_number(std::string_view& rest, std::int64_t number) {
  std::array<char, 24> text{};
  const auto end = std::to_chars(text.data(), text.data() + text.size(), number).ptr;
  return consume(rest, std::string_view(text.data(), static_cast<std::size_t>(end - text.data())));
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (is_plain(text)) {
    out += '"';
    out.append(text);
    out += '"';
    return;
  }
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool match_json_string(std::string_view& rest, std::string_view text) {
  if (is_plain(text)) {
    if (rest.size() < text.size() + 2 || rest.front() != '"' ||
        rest.substr(1, text.size()) != text || rest[text.size() + 1] != '"') {
      return false;
    }
    rest.remove_prefix(text.size() + 2);
    return true;
  }
  std::string rendered;
  append_json_string(rendered, text);
  return consume(rest, rendered);
}

bool match_payload_head(std::string_view& rest, std::string_view actor) {
  return consume(rest, R"({"actor":)") && match_json_string(rest, actor) &&
         consume(rest, R"(,"details":)");
}

bool match_payload_objects_start(std::string_view& rest) {
  return consume(rest, R"(,"objects":[)");
}

bool match_payload_object(std::string_view& rest, bool first, std::string_view kind,
                          std::string_view id, const StateDigest* state) {
  if (!first && !consume(rest, ",")) return false;
  if (!consume(rest, R"({"id":)") || !match_json_string(rest, id) ||
      !consume(rest, R"(,"kind":)") || !match_json_string(rest, kind)) {
    return false;
  }
  if (state != nullptr &&
      (!consume(rest, R"(,"rows":)") || !consume_number(rest, state->rows) ||
       !consume(rest, R"(,"sha256":)") || !match_json_string(rest, state->sha256))) {
    return false;
  }
  return consume(rest, "}");
}

bool match_payload_end(std::string_view& rest, std::string_view operation,
                       std::string_view recorded_at, std::string_view rule_set_version,
                       std::int64_t seq) {
  return consume(rest, R"(],"operation":)") && match_json_string(rest, operation) &&
         consume(rest, R"(,"recorded_at":)") && match_json_string(rest, recorded_at) &&
         consume(rest, R"(,"rule_set_version":)") && match_json_string(rest, rule_set_version) &&
         consume(rest, R"(,"seq":)") && consume_number(rest, seq) && consume(rest, "}");
}

void append_payload_head(std::string& out, std::string_view actor) {
  out += R"({"actor":)";
  append_json_string(out, actor);
  out += R"(,"details":)";
}

void append_payload_objects_start(std::string& out) {
  out += R"(,"objects":[)";
}

void append_payload_object(std::string& out, bool first, std::string_view kind, std::string_view id,
                           const StateDigest* state) {
  if (!first) out += ',';
  out += R"({"id":)";
  append_json_string(out, id);
  out += R"(,"kind":)";
  append_json_string(out, kind);
  if (state != nullptr) {
    out += R"(,"rows":)";
    out += std::to_string(state->rows);
    out += R"(,"sha256":)";
    append_json_string(out, state->sha256);
  }
  out += '}';
}

void append_payload_end(std::string& out, std::string_view operation, std::string_view recorded_at,
                        std::string_view rule_set_version, std::int64_t seq) {
  out += R"(],"operation":)";
  append_json_string(out, operation);
  out += R"(,"recorded_at":)";
  append_json_string(out, recorded_at);
  out += R"(,"rule_set_version":)";
  append_json_string(out, rule_set_version);
  out += R"(,"seq":)";
  out += std::to_string(seq);
  out += '}';
}

std::string payload_head(std::string_view actor) {
  std::string out;
  append_payload_head(out, actor);
  return out;
}

std::string payload_file_hash(std::string_view file_hash) {
  std::string out = R"(,"file_hash":)";
  append_json_string(out, file_hash);
  return out;
}

std::string payload_tail(const std::vector<PayloadObject>& objects, std::string_view operation,
                         std::string_view recorded_at, std::string_view rule_set_version,
                         std::int64_t seq) {
  std::string out;
  append_payload_objects_start(out);
  bool first = true;
  for (const auto& object : objects) {
    append_payload_object(out, first, object.kind, object.id,
                          object.state ? &*object.state : nullptr);
    first = false;
  }
  append_payload_end(out, operation, recorded_at, rule_set_version, seq);
  return out;
}

}  // namespace zielwerk::storage
