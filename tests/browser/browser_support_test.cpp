// The headless-Chromium helpers the report and dashboard tests build on: a page
// is rendered with its scripts run, screenshots and PDFs are real files, and a
// hanging child is killed on time.
#include "browser_support.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "test_support.h"

namespace zielwerk::testing {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A page whose script adds an element only after a timer, so the DOM shows
// that scripts and timers ran before it was taken.
constexpr const char* kPage = R"(<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Test</title>
<style>@page { size: A4; margin: 20mm; } body { margin: 0; font-family: sans-serif; }</style>
</head><body>
<h1 id="title">Zielerreichung Größe</h1>
<div style="width: 200px; height: 100px; background: #c00"></div>
<script>
setTimeout(() => {
  const p = document.createElement("p");
  p.id = "late";
  p.textContent = "nach dem Timer";
  document.body.appendChild(p);
}, 500);
</script>
</body></html>
)";

// Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian).
std::optional<std::pair<std::uint32_t, std::uint32_t>> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 ||
      png.compare(12, 4, "IHDR") != 0)
    return std::nullopt;
  const auto be32 = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
      value = (value << 8) | static_cast<unsigned char>(png[at + i]);
    return value;
  };
  return std::make_pair(be32(16), be32(20));
}

TEST(BrowserSupport, ChromiumIsInstalled) {
  EXPECT_TRUE(chromium_available());
}

TEST(BrowserSupport, DumpDomShowsTheDomAfterScriptsAndTimersRan) {
  ASSERT_TRUE(chromium_available());
  TempDir dir;
  write_file(dir.path() / "page with space.html", kPage);

  const auto result = dump_dom(file_url(dir.path() / "page with space.html"));

  ASSERT_TRUE(result.ok()) << result;
  EXPECT_TRUE(contains(result.out, R"(<h1 id="title">Zielerreichung Größe</h1>)")) << result.out;
  EXPECT_TRUE(contains(result.out, R"(<p id="late">nach dem Timer</p>)")) << result.out;
}

TEST(BrowserSupport, DumpDomReadsDataUrls) {
  ASSERT_TRUE(chromium_available());
  const auto result = dump_dom("data:text/html,<p id=x>ok</p>");
  ASSERT_TRUE(result.ok()) << result;
  EXPECT_TRUE(contains(result.out, R"(<p id="x">ok</p>)")) << result.out;
}

TEST(BrowserSupport, ScreenshotIsAPngOfTheWindowSize) {
  ASSERT_TRUE(chromium_available());
  TempDir dir;
  write_file(dir.path() / "page.html", kPage);
  const auto png = dir.path() / "out" / "shot.png";
  std::filesystem::create_directories(png.parent_path());

  const auto result = screenshot(file_url(dir.path() / "page.html"), png, 640, 480);

  ASSERT_TRUE(result.ok()) << result;
  const auto bytes = read_file(png);
  const auto size = png_size(bytes);
  ASSERT_TRUE(size.has_value()) << "not a PNG: " << png << " (" << bytes.size() << " bytes)";
  EXPECT_EQ(size->first, 640u);
  EXPECT_EQ(size->second, 480u);
  // A blank 640x480 PNG compresses to well under 1 kB; text and a coloured
  // box make more, a raw frame would be far more.
  EXPECT_GT(bytes.size(), 2'000u);
  EXPECT_LT(bytes.size(), 1'000'000u);
}

TEST(BrowserSupport, PrintToPdfHonoursTheA4PageRule) {
  ASSERT_TRUE(chromium_available());
  TempDir dir;
  write_file(dir.path() / "page.html", kPage);
  const auto pdf = dir.path() / "page.pdf";

  const auto result = print_to_pdf(file_url(dir.path() / "page.html"), pdf);

  ASSERT_TRUE(result.ok()) << result;
  const auto bytes = read_file(pdf);
  ASSERT_EQ(bytes.compare(0, 5, "%PDF-"), 0) << "not a PDF: " << pdf;
  // A4 is 595.28 x 841.89 points (Chromium writes 594.96 x 841.92), Letter
  // would be 612 x 792; Skia writes the page dictionary uncompressed.
  const auto box = bytes.find("/MediaBox [0 0 ");
  ASSERT_NE(box, std::string::npos) << bytes.substr(0, 2000);
  char* end = nullptr;
  const double width = std::strtod(bytes.c_str() + box + 15, &end);
  const double height = std::strtod(end, nullptr);
  EXPECT_NEAR(width, 595.3, 1.0);
  EXPECT_NEAR(height, 841.9, 1.0);
}

TEST(BrowserSupport, AMissingChromiumNamesTheSetupScript) {
  const char* saved = std::getenv("ZIELWERK_CHROMIUM");
  const std::optional<std::string> previous =
      saved != nullptr ? std::optional<std::string>(saved) : std::nullopt;
  setenv("ZIELWERK_CHROMIUM", "/nonexistent/chromium", 1);

  const auto available = chromium_available();
  const auto result = dump_dom("data:text/html,x");

  if (previous)
    setenv("ZIELWERK_CHROMIUM", previous->c_str(), 1);
  else
    unsetenv("ZIELWERK_CHROMIUM");
  EXPECT_FALSE(available);
  EXPECT_TRUE(contains(available.message(), "scripts/setup.sh")) << available.message();
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.err, "scripts/setup.sh")) << result.err;
}

TEST(BrowserSupport, AHangingProcessGroupIsKilledAtTheTimeout) {
  // The child's own child holds the pipes too: both must go.
  const auto result =
      run_process({"/bin/sh", "-c", "sleep 30 & sleep 30"}, {"PATH=/usr/bin:/bin"}, 300ms);
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.ok());
  EXPECT_LT(result.elapsed, 10s) << result;
}

TEST(BrowserSupport, RunProcessCapturesOutputAndExitCode) {
  const auto result =
      run_process({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, {"LC_ALL=C"}, 10s);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(BrowserSupport, FileUrlsAreAbsoluteAndEscaped) {
  EXPECT_EQ(file_url("/tmp/a b/ä#1.html"), "file:///tmp/a%20b/%C3%A4%231.html");
}

}  // namespace
}  // namespace zielwerk::testing
