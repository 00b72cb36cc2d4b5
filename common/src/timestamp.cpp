#include "zielwerk/common/timestamp.h"

#include <cstdio>

#include "zielwerk/common/calendar.h"

namespace zielwerk {
namespace {

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_timestamp(Timestamp time) {
  using namespace std::chrono;
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char buffer[32];
  std::snprintf(
      buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
  return buffer;
}

namespace {

// "YYYY-MM-DDTHH:MM[:SS[.mmm]]" as a time since the epoch of its own clock
// (UTC or local is the caller's reading).
std::optional<std::chrono::milliseconds> date_and_time(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 16 && text.size() != 19 && text.size() != 23) return std::nullopt;
  if (text[10] != 'T' || text[13] != ':') return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  std::optional<int> second = 0;
  if (text.size() >= 19) second = text[16] == ':' ? digits(text, 17, 2) : std::nullopt;
  std::optional<int> millis = 0;
  if (text.size() == 23) millis = text[19] == '.' ? digits(text, 20, 3) : std::nullopt;
  if (!date || !hour || !minute || !second || !millis || *hour > 23 || *minute > 59 ||
      *second > 59) {
    return std::nullopt;
  }
  return sys_days{*date}.time_since_epoch() + hours{*hour} + minutes{*minute} + seconds{*second} +
         milliseconds{*millis};
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.mmm]Z
  if ((text.size() != 20 && text.size() != 24) || text.back() != 'Z') return std::nullopt;
  const auto since_epoch = date_and_time(text.substr(0, text.size() - 1));
  if (!since_epoch) return std::nullopt;
  return Timestamp{*since_epoch};
}

std::optional<std::chrono::local_time<std::chrono::milliseconds>> parse_local_date_time(
    std::string_view text) {
  // YYYY-MM-DDTHH:MM[:SS]
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  const auto since_epoch = date_and_time(text);
  if (!since_epoch) return std::nullopt;
  return std::chrono::local_time<std::chrono::milliseconds>{*since_epoch};
}

Clock fixed_clock(Timestamp time) {
  return [time] { return time; };
}

}  // namespace zielwerk
