#include "terminal_output.h"

#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {
namespace {

// How a stream's text is made safe: escaped for a terminal, or only made
// UTF-8 for a file or a pipe.
std::string escape_for_terminal(std::string_view text) {
  return escape_controls(text, LineFeeds::keep);
}

// A stream buffer in front of another: collects the bytes, and on a flush (or
// when enough came together) writes them through `make_safe` to the one
// behind. A UTF-8 sequence cut by the flush waits for its rest.
class EscapingBuffer : public std::streambuf {
 public:
  using Transform = std::string (*)(std::string_view);
  EscapingBuffer(std::streambuf* target, Transform make_safe)
      : target_(target), make_safe_(make_safe) {}
  EscapingBuffer(const EscapingBuffer&) = delete;
  EscapingBuffer& operator=(const EscapingBuffer&) = delete;
  ~EscapingBuffer() override { finish(); }

  // Writes everything, a cut sequence at the end included (escaped).
  int finish() {
    const int written = write(pending_.size());
    if (target_->pubsync() == 0) return written;
    note_failure();
    return -1;
  }

  // errno of the first failed write, 0 when none failed (or said nothing).
  int failure() const { return failure_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    pending_ += traits_type::to_char_type(c);
    if (pending_.size() >= kChunk && write(complete_prefix()) != 0) return traits_type::eof();
    return c;
  }

  std::streamsize xsputn(const char* text, std::streamsize count) override {
    pending_.append(text, static_cast<std::size_t>(count));
    if (pending_.size() >= kChunk && write(complete_prefix()) != 0) return 0;
    return count;
  }

  int sync() override {
    if (write(complete_prefix()) != 0) return -1;
    if (target_->pubsync() == 0) return 0;
    note_failure();
    return -1;
  }

 private:
  static constexpr std::size_t kChunk = 8192;

  // The length of pending_ without a UTF-8 sequence that may still go on.
  std::size_t complete_prefix() const {
    const std::size_t size = pending_.size();
    for (std::size_t back = 1; back <= 3 && back <= size; ++back) {
      const auto byte = static_cast<unsigned char>(pending_[size - back]);
      if ((byte & 0xC0U) == 0x80U) continue;  // a continuation byte: look further back
      const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      return length > back ? size - back : size;
    }
    return size;
  }

  // Escapes and writes the first `count` pending bytes; 0 on success.
  int write(std::size_t count) {
    if (count == 0) return 0;
    const std::string escaped = make_safe_(std::string_view(pending_).substr(0, count));
    pending_.erase(0, count);
    const auto size = static_cast<std::streamsize>(escaped.size());
    if (target_->sputn(escaped.data(), size) == size) return 0;
    note_failure();
    return -1;
  }

  void note_failure() {
    if (failure_ == 0) failure_ = errno;
  }

  std::streambuf* target_;
  Transform make_safe_;
  std::string pending_;
  int failure_ = 0;
};

}  // namespace

struct TerminalGuard::State {
  std::unique_ptr<EscapingBuffer> out;
  std::unique_ptr<EscapingBuffer> err;
  std::streambuf* original_out = nullptr;
  std::streambuf* original_err = nullptr;
};

TerminalGuard::TerminalGuard() : state_(std::make_unique<State>()) {
  const auto transform_for = [](int descriptor) -> EscapingBuffer::Transform {
    if (::isatty(descriptor) == 1) return &escape_for_terminal;
    return &to_valid_utf8;
  };
  state_->original_out = std::cout.rdbuf();
  state_->out =
      std::make_unique<EscapingBuffer>(state_->original_out, transform_for(STDOUT_FILENO));
  std::cout.rdbuf(state_->out.get());
  state_->original_err = std::cerr.rdbuf();
  state_->err =
      std::make_unique<EscapingBuffer>(state_->original_err, transform_for(STDERR_FILENO));
  std::cerr.rdbuf(state_->err.get());
}

int TerminalGuard::stdout_failure() const {
  return state_->out->failure();
}

void TerminalGuard::finish() {
  if (state_->out->finish() != 0) std::cout.setstate(std::ios::badbit);
  if (state_->err->finish() != 0) std::cerr.setstate(std::ios::badbit);
}

TerminalGuard::~TerminalGuard() {
  finish();
  std::cout.rdbuf(state_->original_out);
  std::cerr.rdbuf(state_->original_err);
}

}  // namespace zielwerk::cli
