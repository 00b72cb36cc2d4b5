// Headless Chromium for tests that check what a browser makes of zielwerk's
// HTML (reports, the dashboard): the DOM after scripts ran, screenshots, PDFs.
//
// Chromium is a Debian package scripts/setup.sh installs. A test that needs it
// fails when it is missing instead of skipping: a skipped browser test on CI
// would let a broken report pass unnoticed.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace zielwerk::testing {

// What a child process did: its exit code, its output, whether it was killed.
struct BrowserResult {
  // The exit status, or -1 when it did not start, was killed or died by a signal.
  int exit_code = -1;
  bool timed_out = false;
  std::string out;  // stdout; for dump_dom the serialized DOM
  std::string err;  // stderr; Chromium's log lines, or why it did not start
  std::chrono::milliseconds elapsed{0};

  bool ok() const { return exit_code == 0 && !timed_out; }
};

// For failure messages: exit code, time and stderr (EXPECT_TRUE(r.ok()) << r).
std::ostream& operator<<(std::ostream& out, const BrowserResult& result);

// The Chromium to run: $ZIELWERK_CHROMIUM when set (and then only that), else
// /usr/bin/chromium, else `chromium` on PATH. Empty when none is executable.
std::filesystem::path chromium_path();

// Success when chromium_path() found one; the failure message says how to get
// it. Use as ASSERT_TRUE(chromium_available()) at the start of a browser test.
::testing::AssertionResult chromium_available();

// A file:// URL for a local file (made absolute; characters outside the URL's
// unreserved set percent-encoded), so pages can load their neighbours.
std::string file_url(const std::filesystem::path& path);

// Hard limit for one Chromium run: its whole process group is killed after it.
// Generous because two CI cores may be busy with other tests.
inline constexpr std::chrono::seconds kBrowserTimeout{60};

// The page's DOM as Chromium serializes it after scripts ran (the page gets
// 2 s of virtual time: timers fire without the test waiting for them).
BrowserResult dump_dom(const std::string& url, std::chrono::milliseconds timeout = kBrowserTimeout);

// A PNG of the page's viewport, width x height CSS pixels, without scrollbars.
BrowserResult screenshot(const std::string& url, const std::filesystem::path& png, int width,
                         int height, std::chrono::milliseconds timeout = kBrowserTimeout);

// The page printed to PDF as the print dialog would (print CSS, @page size),
// without the header and footer Chromium adds by default (date, URL).
BrowserResult print_to_pdf(const std::string& url, const std::filesystem::path& pdf,
                           std::chrono::milliseconds timeout = kBrowserTimeout);

// Runs argv[0] (a path, not searched on PATH) with `environment` (NAME=value
// entries) in a process group of its own, stdin from /dev/null, and captures
// stdout and stderr. After `timeout` the whole group is killed with SIGKILL,
// and so are processes the child left behind when it exits. Used by the
// functions above; public so the timeout handling can be tested cheaply.
BrowserResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& environment,
                          std::chrono::milliseconds timeout);

}  // namespace zielwerk::testing
