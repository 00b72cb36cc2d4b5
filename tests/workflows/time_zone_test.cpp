#include "zielwerk/workflows/time_zone.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "zielwerk/common/timestamp.h"

namespace zielwerk::workflows {
namespace {

using namespace std::chrono;
using zielwerk::testing::at;

const std::string kBerlin = "Europe/Berlin";

local_time<milliseconds> local(const char* text) {
  const auto parsed = parse_local_date_time(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(local_time<milliseconds>{});
}

// The days the clocks change: the offset is the one in force at the instant,
// not the one of that day's midnight.
TEST(TimeZoneTest, LocalTimeUsesTheOffsetOfTheInstant) {
  EXPECT_EQ(to_local_time(kBerlin, at("2025-10-26T11:00:00Z")), local("2025-10-26T12:00"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-10-26T00:30:00Z")), local("2025-10-26T02:30"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-10-26T01:30:00Z")), local("2025-10-26T02:30"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-03-30T10:00:00Z")), local("2025-03-30T12:00"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-03-30T00:59:00Z")), local("2025-03-30T01:59"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-03-30T01:00:00Z")), local("2025-03-30T03:00"));
  EXPECT_EQ(to_local_time(kBerlin, at("2025-07-03T08:00:00Z")), local("2025-07-03T10:00"));
}

TEST(TimeZoneTest, MatchesSkippedAndRepeatedLocalTimes) {
  const auto unique = match_local_time(kBerlin, local("2025-10-26T12:00"));
  EXPECT_EQ(unique.kind, LocalTimeMatch::Kind::unique);
  EXPECT_EQ(unique.first, at("2025-10-26T11:00:00Z"));

  const auto skipped = match_local_time(kBerlin, local("2025-03-30T02:30"));
  EXPECT_EQ(skipped.kind, LocalTimeMatch::Kind::nonexistent);
  EXPECT_EQ(skipped.first, at("2025-03-30T01:00:00Z"));  // the moment of the change
  EXPECT_EQ(skipped.first_offset, hours(1));
  EXPECT_EQ(skipped.second_offset, hours(2));

  const auto repeated = match_local_time(kBerlin, local("2025-10-26T02:30"));
  EXPECT_EQ(repeated.kind, LocalTimeMatch::Kind::ambiguous);
  EXPECT_EQ(repeated.first, at("2025-10-26T00:30:00Z"));
  EXPECT_EQ(repeated.second, at("2025-10-26T01:30:00Z"));
  EXPECT_EQ(repeated.first_offset, hours(2));
  EXPECT_EQ(repeated.second_offset, hours(1));

  // The lenient conversion for computed times keeps its documented choice.
  EXPECT_EQ(local_to_utc(kBerlin, local("2025-03-30T02:30")), at("2025-03-30T01:00:00Z"));
  EXPECT_EQ(local_to_utc(kBerlin, local("2025-10-26T02:30")), at("2025-10-26T00:30:00Z"));
}

}  // namespace
}  // namespace zielwerk::workflows
