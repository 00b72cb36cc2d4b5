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

// The local civil time in `zone` at `time`, with the zone's offset at that
// very instant (so 10:00Z on 26 October 2025 is 11:00 in Europe/Berlin, not
// 12:00 as the morning's offset would give). `zone` must be known.
std::chrono::local_time<std::chrono::milliseconds> to_local_time(const std::string& zone,
                                                                 Timestamp time);

// A local civil time against the zone's clock changes.
struct LocalTimeMatch {
  enum class Kind {
    unique,       // exists exactly once: `first`
    nonexistent,  // skipped when the clocks went forward: `first` is the moment of the change
    ambiguous,    // repeated when the clocks went back: `first` and `second`, in that order
  };
  Kind kind = Kind::unique;
  Timestamp first{};
  Timestamp second{};
  std::chrono::minutes first_offset{0};   // UTC offset before the change (or the only one)
  std::chrono::minutes second_offset{0};  // after it (nonexistent, ambiguous)
};

// What `local` is in `zone`, for input that must name one instant (--now).
LocalTimeMatch match_local_time(const std::string& zone,
                                std::chrono::local_time<std::chrono::milliseconds> local);

// The UTC time of a local civil time in `zone`. A time skipped by a clock
// change resolves to the instant of the change, a repeated one to its first
// occurrence (for computed times such as meetings; input is checked with
// match_local_time).
Timestamp local_to_utc(const std::string& zone,
                       std::chrono::local_time<std::chrono::milliseconds> local);

// The last millisecond of `date` in `zone`, as UTC.
Timestamp end_of_local_day(const std::string& zone, std::chrono::year_month_day date);

}  // namespace zielwerk::workflows
