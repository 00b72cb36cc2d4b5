// What zielwerk prints on a terminal is shown, never obeyed: while a
// TerminalGuard lives, std::cout and std::cerr that are terminals pass
// everything through escape_controls (common/utf8.h), so a title, a CSV field
// or a file name holding ESC sequences cannot retitle the window, clear the
// screen or fake a coloured "OK". Output to a file or a pipe is data and stays
// as written (JSON escapes controls itself; CSV keeps the stored text), except
// that a byte that is not part of UTF-8 (one that reached the database some
// other way) becomes U+FFFD: whatever a writer put together, stdout and stderr
// carry UTF-8 text.
#pragma once

#include <memory>

namespace zielwerk::cli {

class TerminalGuard {
 public:
  TerminalGuard();
  ~TerminalGuard();  // finish(), then restores the streams

  // Writes what the streams still hold (a UTF-8 sequence cut at the end
  // included) and flushes them; a failure shows in the streams' state.
  void finish();

  // errno of the first write to stdout that failed, 0 when none did.
  int stdout_failure() const;
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk::cli
