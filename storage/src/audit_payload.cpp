#include "audit_payload.h"

#include <nlohmann/json.hpp>

namespace zielwerk::storage {

void append_json_string(std::string& out, std::string_view text) {
  // The common case (ids, ISO times, hex) needs no escaping.
  bool plain = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += '"';
    out.append(text);
    out += '"';
    return;
  }
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
