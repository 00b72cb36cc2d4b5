// Points in time as zielwerk stores them: UTC, millisecond precision, written
// as ISO 8601 ("2025-07-03T08:15:00.000Z") so that text order is time order.
//
// Logic never reads the wall clock: it receives "now" from a Clock the caller
// injects (the CLI passes the system clock, tests a fixed one).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace zielwerk {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using Clock = std::function<Timestamp()>;

// "YYYY-MM-DDTHH:MM:SS.mmmZ", always 24 characters.
std::string format_timestamp(Timestamp time);

// Accepts exactly what format_timestamp writes, and the same without
// milliseconds ("2025-07-03T08:15:00Z").
std::optional<Timestamp> parse_timestamp(std::string_view text);

// A civil date and time without zone, "YYYY-MM-DDTHH:MM" or
// "YYYY-MM-DDTHH:MM:SS"; which zone it is in is the caller's to say.
std::optional<std::chrono::local_time<std::chrono::milliseconds>> parse_local_date_time(
    std::string_view text);

// A clock that always answers `time`, for tests and replays.
Clock fixed_clock(Timestamp time);

}  // namespace zielwerk
