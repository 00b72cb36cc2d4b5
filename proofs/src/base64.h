// Standard base64 (RFC 4648 §4, with padding), strict: decoding refuses
// anything but the canonical encoding of some bytes (no whitespace, no
// missing or extra padding, no non-zero padding bits), so one value has one
// text. Internal to proofs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zielwerk::proofs {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace zielwerk::proofs
