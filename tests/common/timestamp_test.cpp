#include "zielwerk/common/timestamp.h"

#include <gtest/gtest.h>

namespace zielwerk {
namespace {

TEST(TimestampTest, FormatsAndParsesUtcWithMilliseconds) {
  const auto time = parse_timestamp("2025-07-03T08:15:00.123Z");
  ASSERT_TRUE(time.has_value());
  EXPECT_EQ(format_timestamp(*time), "2025-07-03T08:15:00.123Z");
  EXPECT_EQ(format_timestamp(parse_timestamp("2025-07-03T08:15:00Z").value()),
            "2025-07-03T08:15:00.000Z");
  // Text order is time order.
  EXPECT_LT(format_timestamp(parse_timestamp("2025-07-03T08:15:00.999Z").value()),
            format_timestamp(parse_timestamp("2025-07-03T08:15:01Z").value()));
}

TEST(TimestampTest, RejectsAnythingElse) {
  for (const char* text :
       {"", "2025-07-03", "2025-07-03T08:15Z", "2025-07-03T08:15:00", "2025-07-03 08:15:00Z",
        "2025-02-30T08:15:00Z", "2025-07-03T24:00:00Z", "2025-07-03T08:60:00Z",
        "2025-07-03T08:15:60Z", "2025-07-03T08:15:00,123Z", "2025-07-03T08:15:00.12Z"}) {
    EXPECT_FALSE(parse_timestamp(text).has_value()) << text;
  }
}

TEST(TimestampTest, ParsesLocalDateTimesWithoutZone) {
  using namespace std::chrono;
  const auto minutes_only = parse_local_date_time("2025-03-30T02:30");
  ASSERT_TRUE(minutes_only.has_value());
  EXPECT_EQ(minutes_only->time_since_epoch(),
            (sys_days{2025y / March / 30} + hours{2} + minutes{30}).time_since_epoch());
  const auto with_seconds = parse_local_date_time("2025-03-30T02:30:15");
  ASSERT_TRUE(with_seconds.has_value());
  EXPECT_EQ(*with_seconds - *minutes_only, seconds{15});
  for (const char* text : {"2025-03-30", "2025-03-30T02:30Z", "2025-03-30T2:30", "2025-03-30T02:3",
                           "2025-03-30T25:00", "2025-03-30T02:30:00.000"}) {
    EXPECT_FALSE(parse_local_date_time(text).has_value()) << text;
  }
}

TEST(TimestampTest, AFixedClockAnswersItsTime) {
  const Timestamp time = parse_timestamp("2025-07-01T08:00:00Z").value();
  const Clock clock = fixed_clock(time);
  EXPECT_EQ(clock(), time);
  EXPECT_EQ(clock(), time);
}

}  // namespace
}  // namespace zielwerk
