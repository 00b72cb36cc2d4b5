// What every command that reads or writes data needs besides the project: its
// database, and for changes a known actor.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

enum class OpenMode {
  create_if_missing,  // commands that change data
  must_exist,         // commands that only read: no database is an error, not an empty one
};

// Opens the project's database (the path in zielwerk.yaml, or `override_path`)
// and migrates it. Refuses a database that belongs to another agreement
// (ErrorKind::usage), so one project's figures never mix with another's.
Result<std::unique_ptr<storage::Database>> open_database(
    const Project& project, const std::optional<std::filesystem::path>& override_path,
    OpenMode mode);

// Inside Database::write: records which agreement the database belongs to on
// its first change.
void claim_database(storage::Database& database, const Project& project);

// The actor named by `--actor`/ZIELWERK_ACTOR. Missing or unknown is a usage
// error naming the actors zielwerk.yaml declares.
Result<const rules::Actor*> require_actor(const Project& project, std::string_view actor_id);

// A point in time from the command line, read in the project's time zone:
// "2025-07-15" (the end of that day: everything recorded that day counts),
// "2025-07-15T09:30" or "2025-07-15T09:30:00" (local time), or UTC as stored
// ("2025-07-15T07:30:00Z"). Anything else is a usage error naming `option`.
Result<Timestamp> parse_point_in_time(const Project& project, std::string_view text,
                                      std::string_view option);

}  // namespace zielwerk::engine
