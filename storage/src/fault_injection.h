// A test hook that kills the process at an exact point of a write, so the kill
// tests (tests/cli/kill_test.cpp) can aim a SIGKILL at every transaction of a
// `run` instead of hoping a random delay lands inside one.
//
// Compiled in only when ZIELWERK_FAULT_INJECTION is defined (CMake option of
// the same name, on in the dev and asan presets, off otherwise). When it
// is, the environment variable ZIELWERK_FAULT_INJECTION=POINT:N kills the
// process with SIGKILL at POINT of its N-th write transaction (counted from 1):
//   before-commit  every row of the step written, COMMIT not yet issued
//   after-commit   COMMIT returned
// Without the variable, or in a build without the hook, nothing happens.
#pragma once

namespace zielwerk::storage::fault_injection {

// Called by Database::write when a transaction's work succeeded, just before
// COMMIT; counts the process's write transactions.
void before_commit();
// Called by Database::write right after COMMIT returned.
void after_commit();

}  // namespace zielwerk::storage::fault_injection
