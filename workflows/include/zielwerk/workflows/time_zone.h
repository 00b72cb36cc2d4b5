// Time zones of the IANA database (from the system's tzdata), through date/tz:
// civil dates and times in the project's zone against stored UTC timestamps.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "zielwerk/common/timestamp.h"

namespace zielwerk::workflows {

// True when `name` (e.g. "Europe/Berlin") is a zone of the installed tz database.
bool is_known_time_zone(const std::string& name);

// The civil date in `zone` at `time`. `zone` must be known.
std::chrono::year_month_day local_date(const std::string& zone, Timestamp time);

// The UTC time of a local civil time in `zone`. A time skipped by a clock
// change resolves to the instant of the change, a repeated one to its first
// occurrence.
Timestamp local_to_utc(const std::string& zone,
                       std::chrono::local_time<std::chrono::milliseconds> local);

// The last millisecond of `date` in `zone`, as UTC.
Timestamp end_of_local_day(const std::string& zone, std::chrono::year_month_day date);

}  // namespace zielwerk::workflows
