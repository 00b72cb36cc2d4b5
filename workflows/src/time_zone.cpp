#include "zielwerk/workflows/time_zone.h"

#include <date/tz.h>

#include <stdexcept>

namespace zielwerk::workflows {
namespace {

// date/tz has its own local_time; the std one converts through its epoch count.
date::local_time<std::chrono::milliseconds> to_date(
    std::chrono::local_time<std::chrono::milliseconds> local) {
  return date::local_time<std::chrono::milliseconds>{local.time_since_epoch()};
}

}  // namespace

bool is_known_time_zone(const std::string& name) {
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::runtime_error&) {  // date/tz reports an unknown zone by throwing
    return false;
  }
}

std::chrono::year_month_day local_date(const std::string& zone, Timestamp time) {
  const auto local = date::locate_zone(zone)->to_local(time);
  return std::chrono::year_month_day{
      std::chrono::local_days{std::chrono::floor<std::chrono::days>(local.time_since_epoch())}};
}

std::chrono::local_time<std::chrono::milliseconds> to_local_time(const std::string& zone,
                                                                 Timestamp time) {
  const auto local = date::locate_zone(zone)->to_local(time);
  return std::chrono::local_time<std::chrono::milliseconds>{local.time_since_epoch()};
}

LocalTimeMatch match_local_time(const std::string& zone,
                                std::chrono::local_time<std::chrono::milliseconds> local) {
  using std::chrono::duration_cast;
  using std::chrono::minutes;
  const auto info = date::locate_zone(zone)->get_info(to_date(local));
  LocalTimeMatch match;
  match.first_offset = duration_cast<minutes>(info.first.offset);
  match.second_offset = duration_cast<minutes>(info.second.offset);
  switch (info.result) {
    case date::local_info::unique:
      match.first = Timestamp{local.time_since_epoch() - info.first.offset};
      break;
    case date::local_info::ambiguous:
      match.kind = LocalTimeMatch::Kind::ambiguous;
      match.first = Timestamp{local.time_since_epoch() - info.first.offset};
      match.second = Timestamp{local.time_since_epoch() - info.second.offset};
      break;
    case date::local_info::nonexistent:
    default:
      match.kind = LocalTimeMatch::Kind::nonexistent;
      match.first = Timestamp{info.second.begin.time_since_epoch()};
      break;
  }
  return match;
}

Timestamp local_to_utc(const std::string& zone,
                       std::chrono::local_time<std::chrono::milliseconds> local) {
  const auto* tz = date::locate_zone(zone);
  const auto info = tz->get_info(to_date(local));
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the first occurrence
      return Timestamp{local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
    default:
      // The clock jumped over this time: take the moment of the jump.
      return Timestamp{info.second.begin.time_since_epoch()};
  }
}

Timestamp end_of_local_day(const std::string& zone, std::chrono::year_month_day date) {
  const std::chrono::local_days next_day{
      (std::chrono::sys_days{date} + std::chrono::days{1}).time_since_epoch()};
  return local_to_utc(
             zone,
             std::chrono::local_time<std::chrono::milliseconds>{next_day.time_since_epoch()}) -
         std::chrono::milliseconds{1};
}

}  // namespace zielwerk::workflows
