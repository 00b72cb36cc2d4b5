// The wall clock the commands are given: the one place zielwerk reads it.
//
// A test build (CMake option ZIELWERK_TEST_CLOCK, on with the fault-injection
// hook in the dev and asan presets) lets the environment variable
// ZIELWERK_TEST_NOW (a UTC time as stored, "2025-07-03T08:00:00Z") stand in
// for the system clock, so the end-to-end tests can play a year at known
// times: every record a command writes then carries that time, as if the
// machine's clock showed it. A build for service use (the release preset)
// has no such variable and always reads the system clock.
#pragma once

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"

namespace zielwerk::cli {

// The clock to inject into the commands; a usage error when ZIELWERK_TEST_NOW
// is set in a test build but is no UTC time.
Result<Clock> wall_clock();

}  // namespace zielwerk::cli
