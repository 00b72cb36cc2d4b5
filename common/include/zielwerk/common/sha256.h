// SHA-256 digests for content hashes (rule-set version, file hashes).
#pragma once

#include <string>
#include <string_view>

namespace zielwerk {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace zielwerk
