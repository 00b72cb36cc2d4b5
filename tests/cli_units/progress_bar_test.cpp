// The import's progress line, driven by a fake monotonic clock and a fake
// terminal flag: no real time passes in a test.
#include "progress_bar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace zielwerk::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct FakeClock {
  Clock::time_point now{};
  MonotonicClock function() {
    return [this] { return now; };
  }
};

constexpr std::uint64_t kMiB = 1024 * 1024;

TEST(ProgressLineTest, RowsRateAndTimeLeft) {
  EXPECT_EQ(progress_line({"data.csv", 25 * kMiB, 100 * kMiB, 500'000}, 2s),
            "importing data.csv [#####...............]  25 % 500,000 rows, 250,000 rows/s, "
            "0:06 left");
  EXPECT_EQ(progress_line({"data.csv", 100 * kMiB, 100 * kMiB, 2'000'000}, 8s),
            "importing data.csv [####################] 100 % 2,000,000 rows, 250,000 rows/s");
  // No time yet: no rate; no size: no bar and no estimate.
  EXPECT_EQ(progress_line({"data.csv", 1, 100, 10}, 0s),
            "importing data.csv [....................]   1 % 10 rows");
  EXPECT_EQ(progress_line({"data.csv", 1, 0, 10}, 1s), "importing data.csv 10 rows, 10 rows/s");
  EXPECT_EQ(progress_line({"big.csv", 1, 1000, 1000}, 3600s),
            "importing big.csv [....................]   0 % 1,000 rows, 0 rows/s, 999:00:00 left");
  // A file name cannot steer the terminal.
  EXPECT_EQ(progress_line({"a\x1b[2Jb.csv", 0, 0, 0}, 0s), "importing a\\x1b[2Jb.csv 0 rows");
}

TEST(ProgressBarTest, DrawsOnATerminalAtMostEveryTenthOfASecond) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar bar(out, true, clock.function(), 4 * kMiB);
  bar.update({"data.csv", 1 * kMiB, 8 * kMiB, 50'000});
  EXPECT_TRUE(bar.shown());
  EXPECT_EQ(out.str(), "\r\033[Kimporting data.csv [##..................]  12 % 50,000 rows");
  clock.now += 50ms;  // too soon: not drawn again
  bar.update({"data.csv", 2 * kMiB, 8 * kMiB, 100'000});
  EXPECT_EQ(out.str().find("100,000"), std::string::npos);
  clock.now += 50ms;
  bar.update({"data.csv", 4 * kMiB, 8 * kMiB, 200'000});
  EXPECT_NE(out.str().find("\r\033[Kimporting data.csv [##########..........]  50 % 200,000 "
                           "rows, 2,000,000 rows/s, 0:00 left"),
            std::string::npos)
      << out.str();
  bar.finish();
  EXPECT_TRUE(out.str().ends_with("\r\033[K"));
  EXPECT_FALSE(bar.shown());
}

TEST(ProgressBarTest, ANewFileStartsItsOwnClock) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar bar(out, true, clock.function(), 0);
  bar.update({"a.csv", 1, 2, 10});
  clock.now += 10s;
  bar.update({"b.csv", 1, 2, 10});  // drawn at once, its rate from its own start
  EXPECT_TRUE(out.str().ends_with("importing b.csv [##########..........]  50 % 10 rows"))
      << out.str();
}

TEST(ProgressBarTest, NothingWhenNotATerminalOrASmallFile) {
  std::ostringstream out;
  FakeClock clock;
  ProgressBar piped(out, false, clock.function(), 4 * kMiB);
  piped.update({"data.csv", 1 * kMiB, 8 * kMiB, 50'000});
  piped.finish();
  ProgressBar small(out, true, clock.function(), 4 * kMiB);
  small.update({"data.csv", 1, 3 * kMiB, 5});
  small.finish();
  EXPECT_EQ(out.str(), "");
  EXPECT_FALSE(piped.shown());
}

}  // namespace
}  // namespace zielwerk::cli
