#include "system_clock.h"

#include <chrono>
#include <cstdlib>
#include <string>

namespace zielwerk::cli {

namespace {

Timestamp system_now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

Result<Clock> wall_clock() {
#ifdef ZIELWERK_TEST_CLOCK
  if (const char* fixed = std::getenv("ZIELWERK_TEST_NOW"); fixed != nullptr && *fixed != '\0') {
    const auto time = parse_timestamp(fixed);
    if (!time) {
      return Error::usage(std::string("ZIELWERK_TEST_NOW '") + fixed +
                          "' is no UTC time like 2025-07-03T08:00:00Z");
    }
    return Clock([at = *time] { return at; });
  }
#endif
  return Clock(system_now);
}

}  // namespace zielwerk::cli
