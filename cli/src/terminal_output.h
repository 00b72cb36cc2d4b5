// What zielwerk prints on a terminal is shown, never obeyed: while a
// TerminalGuard lives, std::cout and std::cerr that are terminals pass
// everything through escape_controls (common/utf8.h), so a title, a CSV field
// or a file name holding ESC sequences cannot retitle the window, clear the
// screen or fake a coloured "OK". Output to a file or a pipe is data and stays
// byte for byte as written (JSON escapes controls itself; CSV keeps the
// stored text).
#pragma once

#include <memory>

namespace zielwerk::cli {

class TerminalGuard {
 public:
  TerminalGuard();
  ~TerminalGuard();  // flushes and restores the streams
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zielwerk::cli
