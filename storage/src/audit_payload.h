// The canonical payload of an audit record, rendered from its parts.
//
//   {"actor":A,"details":D,"file_hash":F,"objects":[O...],"operation":P,
//    "recorded_at":R,"rule_set_version":V,"seq":N}
//
// Keys are sorted and there is no whitespace, exactly as a JSON library dumps
// the same object canonically (tested). The writer renders a payload here, and
// `audit verify` renders the parts it can know from the stored columns and the
// object index (everything but details and file hash) and compares bytes, so
// it checks each record without parsing JSON. Internal to storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_state.h"

namespace zielwerk::storage {

struct PayloadObject {
  std::string kind;
  std::string id;
  std::optional<StateDigest> state;  // objects of a state kind

  friend bool operator<(const PayloadObject& a, const PayloadObject& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
  }
};

// `text` as a JSON string; bytes that are not UTF-8 become U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// The pieces, appended to `out`, for the verifier to render without
// allocating per record:
//   `{"actor":A,"details":`
void append_payload_head(std::string& out, std::string_view actor);
//   `,"objects":[` then each object `{"id":I,"kind":K[,"rows":N,"sha256":S]}`
//   (a comma before all but the first), then
//   `],"operation":P,"recorded_at":R,"rule_set_version":V,"seq":N}`
void append_payload_objects_start(std::string& out);
void append_payload_object(std::string& out, bool first, std::string_view kind, std::string_view id,
                           const StateDigest* state);
void append_payload_end(std::string& out, std::string_view operation, std::string_view recorded_at,
                        std::string_view rule_set_version, std::int64_t seq);

// The same pieces matched instead of appended: each consumes from the front of
// `rest` exactly what the append_ function of its name would append, and is
// false when `rest` does not start with that (`rest` is then unspecified).
bool match_json_string(std::string_view& rest, std::string_view text);
bool match_payload_head(std::string_view& rest, std::string_view actor);
bool match_payload_objects_start(std::string_view& rest);
bool match_payload_object(std::string_view& rest, bool first, std::string_view kind,
                          std::string_view id, const StateDigest* state);
bool match_payload_end(std::string_view& rest, std::string_view operation,
                       std::string_view recorded_at, std::string_view rule_set_version,
                       std::int64_t seq);

// `{"actor":A,"details":`
std::string payload_head(std::string_view actor);
// `,"file_hash":F` (F empty or 64 hex digits).
std::string payload_file_hash(std::string_view file_hash);
// `,"objects":[...],"operation":P,"recorded_at":R,"rule_set_version":V,"seq":N}`;
// `objects` sorted by kind and id, without duplicates.
std::string payload_tail(const std::vector<PayloadObject>& objects, std::string_view operation,
                         std::string_view recorded_at, std::string_view rule_set_version,
                         std::int64_t seq);

}  // namespace zielwerk::storage
