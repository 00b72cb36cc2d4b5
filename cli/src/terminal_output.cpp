#include "terminal_output.h"

#include <unistd.h>

#include <iostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "zielwerk/common/utf8.h"

namespace zielwerk::cli {
namespace {

// A stream buffer in front of another: collects the bytes, and on a flush (or
// when enough came together) writes them escaped to the one behind. A UTF-8
// sequence cut by the flush waits for its rest.
class EscapingBuffer : public std::streambuf {
 public:
  explicit EscapingBuffer(std::streambuf* target) : target_(target) {}
  EscapingBuffer(const EscapingBuffer&) = delete;
  EscapingBuffer& operator=(const EscapingBuffer&) = delete;
  ~EscapingBuffer() override { finish(); }

  // Writes everything, a cut sequence at the end included (escaped).
  int finish() {
    const int written = write(pending_.size());
    return target_->pubsync() == 0 ? written : -1;
  }

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
    return target_->pubsync();
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
    const std::string escaped =
        escape_controls(std::string_view(pending_).substr(0, count), LineFeeds::keep);
    pending_.erase(0, count);
    const auto size = static_cast<std::streamsize>(escaped.size());
    return target_->sputn(escaped.data(), size) == size ? 0 : -1;
  }

  std::streambuf* target_;
  std::string pending_;
};

}  // namespace

struct TerminalGuard::State {
  std::unique_ptr<EscapingBuffer> out;
  std::unique_ptr<EscapingBuffer> err;
  std::streambuf* original_out = nullptr;
  std::streambuf* original_err = nullptr;
};

TerminalGuard::TerminalGuard() : state_(std::make_unique<State>()) {
  if (::isatty(STDOUT_FILENO) == 1) {
    state_->original_out = std::cout.rdbuf();
    state_->out = std::make_unique<EscapingBuffer>(state_->original_out);
    std::cout.rdbuf(state_->out.get());
  }
  if (::isatty(STDERR_FILENO) == 1) {
    state_->original_err = std::cerr.rdbuf();
    state_->err = std::make_unique<EscapingBuffer>(state_->original_err);
    std::cerr.rdbuf(state_->err.get());
  }
}

TerminalGuard::~TerminalGuard() {
  if (state_->out) {
    state_->out->finish();
    std::cout.rdbuf(state_->original_out);
  }
  if (state_->err) {
    state_->err->finish();
    std::cerr.rdbuf(state_->original_err);
  }
}

}  // namespace zielwerk::cli
