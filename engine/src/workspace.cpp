#include "zielwerk/engine/workspace.h"

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/utf8.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::engine {
namespace {
constexpr std::string_view kAgreementKey = "agreement";

// "UTC+02:00".
std::string offset_text(std::chrono::minutes offset) {
  const long total = offset.count();
  const long magnitude = total < 0 ? -total : total;
  const auto two = [](long value) { return (value < 10 ? "0" : "") + std::to_string(value); };
  return std::string("UTC") + (total < 0 ? "-" : "+") + two(magnitude / 60) + ":" +
         two(magnitude % 60);
}

}  // namespace

Result<std::unique_ptr<storage::Database>> open_database(
    const Project& project, const std::optional<std::filesystem::path>& override_path,
    OpenMode mode) {
  const std::filesystem::path path = override_path ? *override_path : project.config.database;
  // A server holds many agreements: this project's is the one to work on.
  const bool server = storage::is_server_location(path.string());
  if (!server && mode == OpenMode::must_exist && !std::filesystem::exists(path)) {
    return Error::usage(path.string() +
                        ": no database yet; import figures first with `zielwerk import FILE...`");
  }
  if (!server && mode == OpenMode::must_exist) {
    // SQLite takes an empty file for an empty database and would give it a
    // schema: a command that only reads must not write to a file that was
    // never a database (a --db typo, a truncated copy).
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!ec && !std::filesystem::is_regular_file(status)) {
      return Error::storage(path.string() + ": not a database file (not a regular file)");
    }
    // An empty file is no database yet, as a missing one (a process that is
    // creating it right now has not written its schema yet).
    if (!ec && std::filesystem::file_size(path, ec) == 0 && !ec) {
      return Error::usage(path.string() +
                          ": an empty file, no database yet; nothing was changed. Import figures "
                          "first with `zielwerk import FILE...`, or check --db");
    }
  }
  auto database = storage::Database::open(path, project.rules.agreement.id);
  if (!database) return database.error();
  // Read like every other query, so a failing disk here is a storage error
  // (exit 4) and not an exception.
  std::optional<std::string> owner;
  const Status read = database.value()->read([&]() -> Status {
    owner = database.value()->meta(kAgreementKey);
    return Ok{};
  });
  if (!read.ok()) return read.error();
  if (server && !owner && mode == OpenMode::must_exist) {
    return Error::usage(path.string() + ": the database holds nothing of the agreement '" +
                        project.rules.agreement.id +
                        "' yet; import figures first with `zielwerk import FILE...`");
  }
  if (owner && *owner != project.rules.agreement.id) {
    return Error::usage(path.string() + ": the database belongs to the agreement '" + *owner +
                        "', but the project's agreement is '" + project.rules.agreement.id +
                        "'; use --db to choose another database");
  }
  return database;
}

void claim_database(storage::Database& database, const Project& project) {
  if (!database.meta(kAgreementKey)) {
    database.set_meta(kAgreementKey, project.rules.agreement.id);
  }
}

Result<const rules::Actor*> require_actor(const Project& project, std::string_view actor_id) {
  std::vector<std::string> ids;
  for (const auto& actor : project.config.actors)
    ids.push_back(actor.id);
  const std::string known = ids.empty() ? std::string(" (zielwerk.yaml declares no actors)")
                                        : "; actors: " + join(ids, ", ");
  if (actor_id.empty()) {
    return Error::usage(
        "this command changes data: name who acts with --actor ID or "
        "ZIELWERK_ACTOR" +
        known);
  }
  if (const auto* actor = project.config.find_actor(actor_id)) return actor;
  return Error::usage("unknown actor '" + std::string(actor_id) + "'" +
                      did_you_mean(std::string(actor_id), ids) + known);
}

Result<Timestamp> parse_point_in_time(const Project& project, std::string_view text,
                                      std::string_view option) {
  const std::string& zone = project.config.time_zone;
  if (const auto date = parse_date(text)) return workflows::end_of_local_day(zone, *date);
  if (const auto utc = parse_timestamp(text)) return *utc;
  if (const auto local = parse_local_date_time(text)) {
    // A time the clocks skipped or repeated names no instant, or two: refuse
    // it with both readings rather than guess an hour.
    const auto match = workflows::match_local_time(zone, *local);
    const std::string quoted = std::string(option) + ": " + quote(text);
    switch (match.kind) {
      case workflows::LocalTimeMatch::Kind::unique:
        return match.first;
      case workflows::LocalTimeMatch::Kind::nonexistent:
        return Error::usage(quoted + " does not exist in " + zone +
                            ": the clocks went forward from " + offset_text(match.first_offset) +
                            " to " + offset_text(match.second_offset) + " at " +
                            format_timestamp(match.first).substr(0, 19) +
                            "Z; give a time that exists, or UTC like " +
                            format_timestamp(match.first).substr(0, 19) + "Z");
      case workflows::LocalTimeMatch::Kind::ambiguous:
        return Error::usage(quoted + " occurs twice in " + zone + " (the clocks went back): at " +
                            offset_text(match.first_offset) + " it is " +
                            format_timestamp(match.first).substr(0, 19) + "Z, at " +
                            offset_text(match.second_offset) + " " +
                            format_timestamp(match.second).substr(0, 19) +
                            "Z; give the one you mean in UTC");
    }
  }
  return Error::usage(std::string(option) + ": " + quote(text) +
                      " is not a date or time; use YYYY-MM-DD, YYYY-MM-DDTHH:MM (" + zone +
                      ") or a UTC time like 2025-07-15T07:30:00Z");
}

}  // namespace zielwerk::engine
