// The schema as an ordered list of migrations. Migration i (1-based) upgrades
// a database from version i-1 to i. Never edit a released migration: append.
#pragma once

#include <string_view>
#include <vector>

namespace zielwerk::storage {

const std::vector<std::string_view>& migrations();

}  // namespace zielwerk::storage
