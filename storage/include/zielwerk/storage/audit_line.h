// One audit record as the bytes others check: the line `audit export` writes
// for it, without its line end,
//   {"hash":"…","payload":"…","previous_hash":"…","seq":N}
// (keys sorted, no spaces, the payload a JSON string escaped as
// nlohmann::json::dump escapes it). The Merkle tree's leaf of the record is
// SHA-256(0x00 ‖ these bytes), so anyone can recompute the tree from an
// export with any JSON-free byte reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "zielwerk/storage/audit_log.h"

namespace zielwerk::storage {

// Appends the line of the record with these fields to `out`.
void append_audit_line(std::string& out, std::int64_t seq, std::string_view previous_hash,
                       std::string_view hash, std::string_view payload);

std::string audit_line(const AuditRecord& record);

}  // namespace zielwerk::storage
