#include "migrations.h"

namespace zielwerk::storage {

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all = {
      // 1: project metadata (e.g. which agreement the database belongs to), so a
      // database cannot silently be used with another project's rules.
      R"sql(
        CREATE TABLE project_meta (
          key   TEXT PRIMARY KEY NOT NULL,
          value TEXT NOT NULL
        ) STRICT;
      )sql",
  };
  return all;
}

}  // namespace zielwerk::storage
